package io.sextant.engine.pareto;

/**
 * The hypervolume indicator of a point set in <b>minimization</b> form (callers multiply maximized objectives by
 * -1, see {@code Direction#toMinimization}): the Lebesgue measure of the region dominated by the points and bounded
 * above by the reference point {@code ref}, i.e. of the union of the boxes {@code [p, ref]}.
 *
 * <p>Shapes: {@code points} is {@code n x m} (n points, m objectives, every row of length m, n may be 0);
 * {@code ref} has length m, m >= 1, and is finite. Points that do not strictly dominate the reference point in every
 * objective ({@code p[j] < ref[j]} for all j) add no volume and are ignored, and so are rows containing NaN. A kept
 * point with a {@code -Infinity} coordinate makes the volume {@code +Infinity}. Inputs are never modified.
 *
 * <p>Implementations are stateless and thread-safe; all of them compute the same exact value up to floating-point
 * rounding, so they are interchangeable (tests compare them on the same inputs). Use {@link #exact()} unless you
 * need a particular algorithm.
 */
public interface Hypervolume {
  /**
   * The hypervolume of {@code points} with respect to {@code ref}; 0 when no point dominates the reference point.
   *
   * @throws IllegalArgumentException when a row's length differs from {@code ref.length}, {@code ref} is empty or
   *     contains a non-finite value, or the implementation does not handle this number of objectives
   */
  double compute(double[][] points, double[] ref);

  /**
   * Exclusive contribution of every point: {@code compute(points) - compute(points without row i)}. Dominated points,
   * ignored points and exact duplicates (each copy covers for the other) contribute 0. The default costs one
   * hypervolume per point of the front; {@link Hypervolume2D} overrides it with an O(n log n) sweep.
   *
   * @return an array of length n, entry i for row i
   */
  default double[] contributions(double[][] points, double[] ref) {
    HvInput.check(points, ref);
    double[] out = new double[points.length];
    double total = compute(points, ref);
    for (int i : Pareto.nonDominatedIndices(points)) {
      if (!HvInput.keeps(points[i], ref)) {
        continue;
      }
      double[][] rest = new double[points.length - 1][];
      for (int k = 0, r = 0; k < points.length; k++) {
        if (k != i) {
          rest[r++] = points[k];
        }
      }
      out[i] = Math.max(0.0, total - compute(rest, ref));
    }
    return out;
  }

  /**
   * The exact hypervolume for any number of objectives: a sort for m = 1, the O(n log n) sweep for m = 2
   * ({@link Hypervolume2D}), the O(n log n) dimension sweep for m = 3 ({@link Hypervolume3D}) and WFG for m >= 4
   * ({@link WfgHypervolume}).
   */
  static Hypervolume exact() {
    return ExactHypervolume.INSTANCE;
  }

  /** Shorthand for {@code exact().compute(points, ref)}. */
  static double of(double[][] points, double[] ref) {
    return exact().compute(points, ref);
  }
}
