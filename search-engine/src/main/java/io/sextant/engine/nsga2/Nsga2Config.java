package io.sextant.engine.nsga2;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Validated options of the {@code nsga2} designer (see {@link Nsga2DesignerProvider} for their JSON names and
 * defaults).
 *
 * @param populationSize individuals per generation (N), >= 2; the designer reads the last
 *     {@code WINDOW_GENERATIONS * N} trials
 * @param crossoverProb probability that a pair of parents is recombined (SBX / uniform), in [0, 1]
 * @param crossoverEta SBX distribution index (larger: children closer to their parents), finite, >= 0
 * @param mutationEta polynomial-mutation distribution index, finite, >= 0
 * @param mutationProb per-parameter mutation probability in [0, 1]; empty: 1 / (number of searched parameters)
 * @param referencePoint one number per objective in the study's own directions (not minimization form); accepted
 *     and validated for reporting (GET /pareto), not used by the search
 * @param windowGenerations how many generations of trials the designer reads ({@code windowGenerations * N} most
 *     recent trials), >= 2: elites older than the window are forgotten, so a larger window is closer to the classic
 *     generational NSGA-II (measured in docs/benchmarks-pareto.md) at a proportionally larger read and survival cost
 */
public record Nsga2Config(
    int populationSize, double crossoverProb, double crossoverEta, double mutationEta, OptionalDouble mutationProb,
    Optional<List<Double>> referencePoint, int windowGenerations) {
  public static final int DEFAULT_POPULATION_SIZE = 50;
  public static final double DEFAULT_CROSSOVER_PROB = 0.9;
  public static final double DEFAULT_CROSSOVER_ETA = 15.0;
  public static final double DEFAULT_MUTATION_ETA = 20.0;
  /**
   * By default the designer reads this many generations of trials (by number, most recent first). 8 keeps elites
   * long enough to match generational NSGA-II (jMetal 6.1) within 1% of hypervolume at 25,000 evaluations on ZDT1-3
   * and DTLZ2; 4 missed on DTLZ2 (98.87%). See docs/benchmarks-pareto.md.
   */
  public static final int WINDOW_GENERATIONS = 8;
  /** Bound of the {@code windowGenerations} option. */
  public static final int MAX_WINDOW_GENERATIONS = 1000;

  public Nsga2Config {
    if (populationSize < 2) {
      throw new IllegalArgumentException("populationSize must be >= 2");
    }
    if (windowGenerations < 2 || windowGenerations > MAX_WINDOW_GENERATIONS) {
      throw new IllegalArgumentException("windowGenerations must be in [2, " + MAX_WINDOW_GENERATIONS + "]");
    }
    referencePoint = referencePoint.map(List::copyOf);
  }

  /** The defaults, with no reference point. */
  public static Nsga2Config defaults() {
    return new Nsga2Config(DEFAULT_POPULATION_SIZE, DEFAULT_CROSSOVER_PROB, DEFAULT_CROSSOVER_ETA,
        DEFAULT_MUTATION_ETA, OptionalDouble.empty(), Optional.empty(), WINDOW_GENERATIONS);
  }

  /** Trials the designer reads: {@code windowGenerations * populationSize}, saturated at Integer.MAX_VALUE. */
  public int windowTrials() {
    return (int) Math.min(Integer.MAX_VALUE, (long) windowGenerations * populationSize);
  }

  /** The same options with another population size. */
  public Nsga2Config withPopulationSize(int n) {
    return new Nsga2Config(n, crossoverProb, crossoverEta, mutationEta, mutationProb, referencePoint,
        windowGenerations);
  }
}
