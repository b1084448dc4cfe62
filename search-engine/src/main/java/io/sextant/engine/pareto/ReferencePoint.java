package io.sextant.engine.pareto;

import java.util.Optional;

/**
 * Inferred hypervolume reference points, for when the user gives none. Points are in <b>minimization</b> form
 * ({@code n x m}); rows with a NaN or infinite value are ignored.
 *
 * <p>Rule (as BoTorch's {@code infer_reference_point}, mirrored to minimization): with the nadir {@code N_j = max_i
 * p_ij} and the ideal {@code I_j = min_i p_ij} of the observed points, {@code ref_j = N_j + margin * (N_j - I_j)};
 * when an objective has no spread ({@code N_j == I_j}), {@code ref_j = N_j + margin * max(1, |N_j|)}. So every
 * observed point is weakly inside the box and the extreme points of the front get a non-zero contribution (a
 * reference point exactly at the nadir would give them none). The default margin is {@value #DEFAULT_MARGIN}.
 * Responses should state the reference point used, since hypervolumes are only comparable under the same one.
 */
public final class ReferencePoint {
  /** The default relative margin beyond the nadir. */
  public static final double DEFAULT_MARGIN = 0.1;

  private ReferencePoint() {}

  /** {@link #infer(double[][], double)} with the default margin. */
  public static Optional<double[]> infer(double[][] points) {
    return infer(points, DEFAULT_MARGIN);
  }

  /**
   * The inferred reference point (length m), or empty when no row is finite.
   *
   * @param margin relative margin, finite and >= 0
   * @throws IllegalArgumentException for a negative or non-finite margin or ragged rows
   */
  public static Optional<double[]> infer(double[][] points, double margin) {
    if (!(margin >= 0) || !Double.isFinite(margin)) {
      throw new IllegalArgumentException("margin must be finite and >= 0 (got " + margin + ")");
    }
    double[] nadir = null;
    double[] ideal = null;
    for (int i = 0; i < points.length; i++) {
      double[] p = points[i];
      if (nadir != null && p.length != nadir.length) {
        throw new IllegalArgumentException("row " + i + " has " + p.length + " objectives, expected " + nadir.length);
      }
      boolean finite = true;
      for (double v : p) {
        finite &= Double.isFinite(v);
      }
      if (!finite) {
        continue;
      }
      if (nadir == null) {
        nadir = p.clone();
        ideal = p.clone();
      } else {
        for (int j = 0; j < p.length; j++) {
          nadir[j] = Math.max(nadir[j], p[j]);
          ideal[j] = Math.min(ideal[j], p[j]);
        }
      }
    }
    if (nadir == null || nadir.length == 0) {
      return Optional.empty();
    }
    double[] ref = new double[nadir.length];
    for (int j = 0; j < ref.length; j++) {
      double spread = nadir[j] - ideal[j];
      ref[j] = nadir[j] + margin * (spread > 0 ? spread : Math.max(1.0, Math.abs(nadir[j])));
    }
    return Optional.of(ref);
  }
}
