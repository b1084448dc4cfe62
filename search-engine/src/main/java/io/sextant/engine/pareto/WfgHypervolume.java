package io.sextant.engine.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact hypervolume for any number of objectives with WFG (While, Bradstreet and Barone, 2012):
 * {@code HV(S) = sum_k [ prod_j (ref_j - p_k[j]) - HV(nds(limit(S, k))) ]}, where {@code limit(S, k)} holds the
 * component-wise maxima of {@code p_k} with every later point and {@code nds} keeps its non-dominated, distinct
 * points. Points are processed in decreasing order of the last objective, which keeps the limited sets small.
 * Recursive sub-problems with two or three objectives are handed to the O(n log n) sweeps. Exponential in the
 * worst case (the problem is #P-hard in m), fast in practice for fronts of a few hundred points in 4-6 objectives.
 * See {@link Hypervolume} for the contract. Stateless and thread-safe.
 */
public final class WfgHypervolume implements Hypervolume {
  static final WfgHypervolume INSTANCE = new WfgHypervolume();

  /** The shared instance. */
  public static WfgHypervolume instance() {
    return INSTANCE;
  }

  private WfgHypervolume() {}

  @Override
  public double compute(double[][] points, double[] ref) {
    return compute(points, ref, true);
  }

  /** With {@code delegate} false the recursion never hands over to the 2-D/3-D sweeps (used to cross-check them). */
  static double compute(double[][] points, double[] ref, boolean delegate) {
    HvInput.check(points, ref);
    double[][] p = HvInput.kept(points, ref);
    if (p == null) {
      return Double.POSITIVE_INFINITY;
    }
    return wfg(nonDominatedDistinct(p), ref, delegate);
  }

  private static double wfg(double[][] pts, double[] ref, boolean delegate) {
    int n = pts.length;
    int m = ref.length;
    if (n == 0) {
      return 0.0;
    }
    if (n == 1) {
      return inclusive(pts[0], ref);
    }
    if (delegate && m == 2) {
      double[][] sorted = pts.clone();
      Arrays.sort(sorted, (a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
      return Hypervolume2D.sweep(sorted, ref[0], ref[1]);
    }
    if (delegate && m == 3) {
      return Hypervolume3D.sweep(pts, ref);
    }
    double[][] sorted = pts.clone();
    Arrays.sort(sorted, (a, b) -> Double.compare(b[m - 1], a[m - 1]));
    double hv = 0.0;
    for (int k = 0; k < n; k++) {
      double[] pk = sorted[k];
      double[][] limited = new double[n - k - 1][];
      for (int j = k + 1; j < n; j++) {
        double[] q = new double[m];
        for (int d = 0; d < m; d++) {
          q[d] = Math.max(pk[d], sorted[j][d]);
        }
        limited[j - k - 1] = q;
      }
      hv += inclusive(pk, ref) - wfg(nonDominatedDistinct(limited), ref, delegate);
    }
    return hv;
  }

  private static double inclusive(double[] p, double[] ref) {
    double v = 1.0;
    for (int d = 0; d < p.length; d++) {
      v *= ref[d] - p[d];
    }
    return v;
  }

  /**
   * The non-dominated points, one copy each. After a lexicographic sort every weak dominator precedes the points it
   * dominates, so one pass against the kept points suffices.
   */
  static double[][] nonDominatedDistinct(double[][] pts) {
    double[][] sorted = pts.clone();
    Arrays.sort(sorted, Arrays::compare);
    List<double[]> kept = new ArrayList<>();
    outer:
    for (double[] p : sorted) {
      for (double[] q : kept) {
        if (weaklyDominates(q, p)) {
          continue outer;
        }
      }
      kept.add(p);
    }
    return kept.toArray(double[][]::new);
  }

  private static boolean weaklyDominates(double[] a, double[] b) {
    for (int d = 0; d < a.length; d++) {
      if (a[d] > b[d]) {
        return false;
      }
    }
    return true;
  }
}
