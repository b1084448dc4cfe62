package io.sextant.engine.pareto;

import java.util.ArrayList;
import java.util.List;

/** Shared validation and filtering of hypervolume inputs (see {@link Hypervolume} for the contract). */
final class HvInput {
  private HvInput() {}

  /** Validates shapes and the reference point; returns m. */
  static int check(double[][] points, double[] ref) {
    if (ref.length == 0) {
      throw new IllegalArgumentException("the reference point must have at least one objective");
    }
    for (int j = 0; j < ref.length; j++) {
      if (!Double.isFinite(ref[j])) {
        throw new IllegalArgumentException("reference point coordinate " + j + " must be finite (got " + ref[j] + ")");
      }
    }
    for (int i = 0; i < points.length; i++) {
      if (points[i].length != ref.length) {
        throw new IllegalArgumentException(
            "row " + i + " has " + points[i].length + " objectives, the reference point " + ref.length);
      }
    }
    return ref.length;
  }

  /** True when the row has no NaN and strictly dominates the reference point in every objective. */
  static boolean keeps(double[] p, double[] ref) {
    for (int j = 0; j < p.length; j++) {
      if (!(p[j] < ref[j])) {
        return false;
      }
    }
    return true;
  }

  /** The kept rows (shared, not copied), or null when a kept row has a -Infinity coordinate (infinite volume). */
  static double[][] kept(double[][] points, double[] ref) {
    List<double[]> out = new ArrayList<>(points.length);
    for (double[] p : points) {
      if (keeps(p, ref)) {
        for (double v : p) {
          if (v == Double.NEGATIVE_INFINITY) {
            return null;
          }
        }
        out.add(p);
      }
    }
    return out.toArray(double[][]::new);
  }
}
