package io.sextant.engine.pareto;

import java.util.Arrays;

/**
 * Exact hypervolume for three objectives in O(n log n) (the dimension sweep of Beume, Fonseca, Lopez-Ibanez,
 * Paquete and Vahrenhold, 2009): points are visited in increasing third objective; between consecutive third-
 * objective values the dominated region's cross-section is the area of the 2-D front of the points seen so far,
 * kept in a balanced tree ({@link Staircase}) with O(log n) amortized updates. See {@link Hypervolume} for the
 * contract; contributions use the generic leave-one-out default. Stateless and thread-safe.
 */
public final class Hypervolume3D implements Hypervolume {
  static final Hypervolume3D INSTANCE = new Hypervolume3D();

  /** The shared instance. */
  public static Hypervolume3D instance() {
    return INSTANCE;
  }

  private Hypervolume3D() {}

  @Override
  public double compute(double[][] points, double[] ref) {
    int m = HvInput.check(points, ref);
    if (m != 3) {
      throw new IllegalArgumentException("Hypervolume3D handles 3 objectives, got " + m);
    }
    double[][] p = HvInput.kept(points, ref);
    if (p == null) {
      return Double.POSITIVE_INFINITY;
    }
    return sweep(p, ref);
  }

  /** The sweep over rows all strictly inside the reference box (m = 3). */
  static double sweep(double[][] p, double[] ref) {
    if (p.length == 0) {
      return 0.0;
    }
    double[][] sorted = p.clone();
    Arrays.sort(sorted, (a, b) -> Double.compare(a[2], b[2]));
    Staircase slice = new Staircase(ref[0], ref[1]);
    double hv = 0.0;
    double prevZ = sorted[0][2];
    for (double[] q : sorted) {
      hv += slice.area() * (q[2] - prevZ);
      prevZ = q[2];
      slice.add(q[0], q[1]);
    }
    return hv + slice.area() * (ref[2] - prevZ);
  }
}
