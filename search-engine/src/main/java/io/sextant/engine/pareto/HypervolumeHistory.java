package io.sextant.engine.pareto;

import java.util.ArrayList;
import java.util.List;

/**
 * Hypervolume after each point of a sequence (e.g. completed trials in completion order), in minimization form with
 * the {@link Hypervolume} conventions: entry i is the hypervolume of rows {@code 0..i}, so the sequence is
 * non-decreasing. Two objectives cost O(n log n) in total (an incremental front in a balanced tree); otherwise the
 * exact hypervolume of the current front is recomputed only when a point changes the front.
 */
public final class HypervolumeHistory {
  private HypervolumeHistory() {}

  /**
   * @param points {@code n x m} in minimization form, in sequence order
   * @param ref the reference point, length m, finite
   * @return an array of length n
   * @throws IllegalArgumentException on shape mismatch or a non-finite reference point
   */
  public static double[] of(double[][] points, double[] ref) {
    int m = HvInput.check(points, ref);
    double[] out = new double[points.length];
    double current = 0.0;
    if (m == 2) {
      Staircase front = new Staircase(ref[0], ref[1]);
      for (int i = 0; i < points.length; i++) {
        double[] p = points[i];
        if (HvInput.keeps(p, ref)) {
          if (p[0] == Double.NEGATIVE_INFINITY || p[1] == Double.NEGATIVE_INFINITY) {
            current = Double.POSITIVE_INFINITY;
          } else if (current != Double.POSITIVE_INFINITY) {
            front.add(p[0], p[1]);
            current = front.area();
          }
        }
        out[i] = current;
      }
      return out;
    }
    List<double[]> front = new ArrayList<>();
    for (int i = 0; i < points.length; i++) {
      double[] p = points[i];
      if (HvInput.keeps(p, ref) && current != Double.POSITIVE_INFINITY && !weaklyDominatedBy(front, p)) {
        front.removeIf(q -> Pareto.dominates(p, q));
        front.add(p);
        current = Hypervolume.of(front.toArray(double[][]::new), ref);
      }
      out[i] = current;
    }
    return out;
  }

  private static boolean weaklyDominatedBy(List<double[]> front, double[] p) {
    for (double[] q : front) {
      boolean all = true;
      for (int d = 0; d < p.length && all; d++) {
        all = q[d] <= p[d];
      }
      if (all) {
        return true;
      }
    }
    return false;
  }
}
