package io.sextant.engine.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ranking for any number of objectives by sequential search over the fronts found so far (the idea of ENS-SS, Zhang
 * et al. 2015): rows are visited in lexicographic order, so every dominator of a row comes before it; a row's rank is
 * 1 + the highest rank among its dominators, found by scanning the fronts from the highest down (the first front
 * holding a dominator decides). O(n log n + n^2 m) in the worst case, O(n) extra memory. The reference the
 * two-objective sweep is tested against.
 */
public final class SequentialSearchRanking implements NonDominatedRanking {
  @Override
  public int[] ranks(double[][] pts) {
    Rows.checkShape(pts);
    double[][] p = Rows.clean(pts);
    int[] rank = new int[p.length];
    Arrays.fill(rank, -1);
    List<List<double[]>> fronts = new ArrayList<>();
    for (int idx : Rows.sortedValidRows(p)) {
      int r = 0;
      for (int k = fronts.size() - 1; k >= 0 && r == 0; k--) {
        for (double[] q : fronts.get(k)) {
          if (Pareto.dominates(q, p[idx])) {
            r = k + 1;
            break;
          }
        }
      }
      if (r == fronts.size()) {
        fronts.add(new ArrayList<>());
      }
      fronts.get(r).add(p[idx]);
      rank[idx] = r;
    }
    return rank;
  }
}
