package io.sextant.engine.pareto;

import java.util.ArrayList;
import java.util.List;

/**
 * Ranking under Deb's {@link Pareto#constrainedDominates constrained domination}: the feasible rows
 * ({@code violation[i] == 0}) get the ranks of a {@link NonDominatedRanking} among themselves (0, 1, ..., F - 1; -1
 * for a feasible row with NaN, which stays excluded); the infeasible rows come after every feasible front, one rank
 * per distinct violation in increasing order (F, F + 1, ...), whatever their objective values (NaN included). The
 * cost of the feasible ranking plus a sort of the infeasible rows.
 */
public final class ConstrainedRanking {
  private final NonDominatedRanking feasible;

  /** With {@code feasible} ranking the feasible rows. */
  public ConstrainedRanking(NonDominatedRanking feasible) {
    this.feasible = feasible;
  }

  /**
   * @param violation length n, each {@code >= 0} or {@code +Infinity} (see
   *     {@link io.sextant.engine.study.StudyProblem#violation})
   * @throws IllegalArgumentException for a length mismatch, a negative or NaN violation, or ragged rows
   */
  public int[] ranks(double[][] pts, double[] violation) {
    Rows.checkShape(pts);
    if (violation.length != pts.length) {
      throw new IllegalArgumentException(
          "violation has " + violation.length + " entries for " + pts.length + " points");
    }
    List<Integer> ok = new ArrayList<>();
    List<Integer> infeasible = new ArrayList<>();
    for (int i = 0; i < pts.length; i++) {
      Pareto.checkViolation(violation[i]);
      (violation[i] == 0 ? ok : infeasible).add(i);
    }
    int[] rank = new int[pts.length];
    double[][] fp = new double[ok.size()][];
    for (int k = 0; k < fp.length; k++) {
      fp[k] = pts[ok.get(k)];
    }
    int[] fr = feasible.ranks(fp);
    int fronts = 0;
    for (int k = 0; k < fr.length; k++) {
      rank[ok.get(k)] = fr[k];
      fronts = Math.max(fronts, fr[k] + 1);
    }
    infeasible.sort((x, y) -> Double.compare(violation[x], violation[y]));
    int r = fronts - 1;
    double last = Double.NaN;
    for (int idx : infeasible) {
      if (violation[idx] != last) {
        r++;
        last = violation[idx];
      }
      rank[idx] = r;
    }
    return rank;
  }
}
