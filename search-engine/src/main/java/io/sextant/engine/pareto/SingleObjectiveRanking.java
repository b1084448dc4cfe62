package io.sextant.engine.pareto;

import java.util.Arrays;

/**
 * Ranking with at most one objective: the dense rank of the value (the smallest value is rank 0, the next distinct
 * value rank 1, ...; with no objective at all every row is rank 0). O(n log n).
 */
public final class SingleObjectiveRanking implements NonDominatedRanking {
  @Override
  public int[] ranks(double[][] pts) {
    int m = Rows.checkShape(pts);
    if (m > 1) {
      throw new IllegalArgumentException("SingleObjectiveRanking takes at most one objective, not " + m);
    }
    double[][] p = Rows.clean(pts);
    int[] rank = new int[p.length];
    Arrays.fill(rank, -1);
    Integer[] order = Rows.sortedValidRows(p);
    int r = -1;
    for (int i = 0; i < order.length; i++) {
      if (i == 0 || !Arrays.equals(p[order[i]], p[order[i - 1]])) {
        r++;
      }
      rank[order[i]] = r;
    }
    return rank;
  }
}
