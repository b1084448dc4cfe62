package io.sextant.engine.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A partition of the region that a point set does <b>not</b> dominate, inside the reference box, into disjoint
 * axis-aligned boxes (minimization): the union of the boxes is {@code {y <= ref : no point p has p <= y}} (up to
 * boundaries of measure zero). Box b is {@code [lower[b], upper[b]]}; lower coordinates may be {@code -Infinity},
 * upper ones are finite and at most {@code ref}. This is the "improvement region" of expected-hypervolume
 * improvement: for any y, the hypervolume improvement of adding y is {@code sum_b prod_k (upper_bk - max(y_k,
 * lower_bk))^+} ({@link #improvement}).
 *
 * <p><b>Algorithm</b> (dimension sweep, recursive on the last objective): sort the points by objective m-1; between
 * two consecutive values z_i < z_{i+1} the undominated region of the slab is the undominated region, in the first
 * m-1 objectives, of the points with {@code p_{m-1} <= z_i}, so the slab's boxes are the (m-1)-dimensional boxes of
 * that projected set times {@code [z_i, z_{i+1}]}; a point whose projection is weakly dominated by the active set
 * changes nothing and opens no slab. In one dimension the region is the single interval
 * {@code [-inf, min(ref, min p)]}. For m = 2 this is the sorted staircase (f + 1 boxes for a front of f points);
 * for m = 3 it gives at most O(f^2) boxes in O(f^2 log f) time. Exponential in m; meant for m <= 3 (works for any).
 *
 * <p>Points with NaN or not strictly better than {@code ref} in every objective are ignored (they dominate nothing
 * inside the box), dominated points and duplicates are harmless. Immutable once built; thread-safe.
 *
 * @param lower B x m lower corners
 * @param upper B x m upper corners
 */
public record BoxDecomposition(double[][] lower, double[][] upper) {
  /**
   * @param points n x m, minimization form (n may be 0)
   * @param ref length m, finite
   */
  public static BoxDecomposition of(double[][] points, double[] ref) {
    HvInput.check(points, ref);
    int m = ref.length;
    List<double[]> kept = new ArrayList<>();
    for (double[] p : points) {
      if (HvInput.keeps(p, ref)) {
        kept.add(p);
      }
    }
    List<double[]> lo = new ArrayList<>();
    List<double[]> up = new ArrayList<>();
    double[] l = new double[m];
    double[] u = new double[m];
    decompose(kept, ref, m - 1, l, u, lo, up);
    return new BoxDecomposition(lo.toArray(double[][]::new), up.toArray(double[][]::new));
  }

  /** Number of boxes. */
  public int size() {
    return lower.length;
  }

  /** Number of objectives. */
  public int objectives() {
    return lower.length == 0 ? 0 : lower[0].length;
  }

  /** The exact hypervolume improvement of adding {@code y} to the point set: volume of [y, ref] not dominated. */
  public double improvement(double[] y) {
    double total = 0;
    for (int b = 0; b < lower.length; b++) {
      double v = 1;
      for (int k = 0; k < y.length && v > 0; k++) {
        v *= Math.max(0.0, upper[b][k] - Math.max(y[k], lower[b][k]));
      }
      total += v;
    }
    return total;
  }

  /**
   * Emits the boxes of the undominated region of {@code pts} in dimensions 0..k (dimensions above k are already set
   * in l and u by the callers).
   */
  private static void decompose(
      List<double[]> pts, double[] ref, int k, double[] l, double[] u, List<double[]> lo, List<double[]> up) {
    if (k == 0) {
      double min = ref[0];
      for (double[] p : pts) {
        min = Math.min(min, p[0]);
      }
      l[0] = Double.NEGATIVE_INFINITY;
      u[0] = min;
      lo.add(l.clone());
      up.add(u.clone());
      return;
    }
    List<double[]> sorted = new ArrayList<>(pts);
    sorted.sort(Comparator.comparingDouble(p -> p[k]));
    List<double[]> active = new ArrayList<>();
    double zPrev = Double.NEGATIVE_INFINITY;
    int i = 0;
    while (i < sorted.size()) {
      double z = sorted.get(i)[k];
      // the points with this value of objective k that change the projected front
      List<double[]> added = new ArrayList<>();
      while (i < sorted.size() && sorted.get(i)[k] == z) {
        double[] p = sorted.get(i++);
        if (!weaklyDominatedBelow(active, p, k) && !weaklyDominatedBelow(added, p, k)) {
          added.add(p);
        }
      }
      if (added.isEmpty()) {
        continue;
      }
      if (z > zPrev) {
        l[k] = zPrev;
        u[k] = z;
        decompose(active, ref, k - 1, l, u, lo, up);
      }
      for (double[] p : added) {
        active.removeIf(q -> weaklyDominatesBelow(p, q, k));
        active.add(p);
      }
      zPrev = z;
    }
    l[k] = zPrev;
    u[k] = ref[k];
    decompose(active, ref, k - 1, l, u, lo, up);
  }

  /** True when some point of {@code set} is <= p in every dimension below k. */
  private static boolean weaklyDominatedBelow(List<double[]> set, double[] p, int k) {
    for (double[] q : set) {
      if (weaklyDominatesBelow(q, p, k)) {
        return true;
      }
    }
    return false;
  }

  private static boolean weaklyDominatesBelow(double[] q, double[] p, int k) {
    for (int j = 0; j < k; j++) {
      if (q[j] > p[j]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BoxDecomposition b && Arrays.deepEquals(lower, b.lower) && Arrays.deepEquals(upper, b.upper);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.deepHashCode(lower) + Arrays.deepHashCode(upper);
  }

  @Override
  public String toString() {
    return "BoxDecomposition[" + lower.length + " boxes]";
  }
}
