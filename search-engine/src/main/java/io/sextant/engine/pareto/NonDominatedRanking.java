package io.sextant.engine.pareto;

/**
 * A non-dominated sorting algorithm (in the manner of jMetal's {@code Ranking}): the non-domination rank of every row
 * of {@code pts} ({@code n x m}, <b>minimization</b> form, see {@link Pareto}): 0 for the non-dominated rows, r + 1
 * for rows dominated only by rows of rank {@code <= r}, -1 for rows containing NaN. Equal rows share a rank;
 * {@code -0.0} equals {@code 0.0}; inputs are never modified. Every implementation gives the same answer where it
 * applies ({@code RankingAlgorithmsTest}); they differ in cost and in the number of objectives they accept.
 *
 * <p>{@link Pareto#ranks} picks the fastest one for the number of objectives.
 */
public interface NonDominatedRanking {
  /**
   * @throws IllegalArgumentException for ragged rows, or a number of objectives the algorithm does not handle
   */
  int[] ranks(double[][] pts);
}
