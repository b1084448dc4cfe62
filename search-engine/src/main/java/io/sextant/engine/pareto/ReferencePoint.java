package io.sextant.engine.pareto;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Inferred hypervolume reference points, for when the user gives none. Points are in <b>minimization</b> form
 * ({@code n x m}); rows with a NaN or infinite value are ignored.
 *
 * <p>Rule (BoTorch's {@code infer_reference_point}, mirrored to minimization): from the <em>current Pareto front</em>
 * of the finite points, with its nadir {@code N_j = max over the front} and ideal {@code I_j = min over the front},
 * {@code ref_j = N_j + margin * (N_j - I_j)}. Where the front has no spread in objective j (one front point, or equal
 * values), the scale is the range of all finite points in j instead, and {@code max(1, |N_j|)} when that is zero too
 * (BoTorch takes {@code |N_j|}, which depends on where the units put zero). So every front point is inside the box
 * with a non-zero contribution, dominated points far from the front do not widen the box (an early, far-off point
 * would otherwise hold the reference point, and with it the region the search rewards, far out for the whole
 * study), and the point moves in as the front improves. The default margin is {@value #DEFAULT_MARGIN}. Responses
 * should state the reference point used, since hypervolumes are only comparable under the same one.
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
    return infer(points, margin, null);
  }

  /**
   * As {@link #infer(double[][], double)}, with the front's nadir raised, per objective, to {@code nadirEstimate[j]}
   * where that is larger (e.g. the nadir of a model's payoff table: the front's extent predicted where the
   * observations do not reach yet); null or NaN entries are ignored.
   */
  public static Optional<double[]> infer(double[][] points, double margin, double[] nadirEstimate) {
    if (!(margin >= 0) || !Double.isFinite(margin)) {
      throw new IllegalArgumentException("margin must be finite and >= 0 (got " + margin + ")");
    }
    List<double[]> finite = new ArrayList<>();
    int m = -1;
    for (int i = 0; i < points.length; i++) {
      double[] p = points[i];
      if (m >= 0 && p.length != m) {
        throw new IllegalArgumentException("row " + i + " has " + p.length + " objectives, expected " + m);
      }
      m = p.length;
      boolean ok = true;
      for (double v : p) {
        ok &= Double.isFinite(v);
      }
      if (ok) {
        finite.add(p);
      }
    }
    if (finite.isEmpty() || m == 0) {
      return Optional.empty();
    }
    double[][] rows = finite.toArray(double[][]::new);
    double[] allMax = columnMax(rows);
    double[] allMin = columnMin(rows);
    int[] front = Pareto.nonDominatedIndices(rows);
    double[][] f = new double[front.length][];
    for (int i = 0; i < front.length; i++) {
      f[i] = rows[front[i]];
    }
    double[] nadir = columnMax(f);
    double[] ideal = columnMin(f);
    if (nadirEstimate != null) {
      for (int j = 0; j < m && j < nadirEstimate.length; j++) {
        if (nadirEstimate[j] > nadir[j] && Double.isFinite(nadirEstimate[j])) {
          nadir[j] = nadirEstimate[j];
        }
      }
    }
    double[] ref = new double[m];
    for (int j = 0; j < m; j++) {
      double spread = nadir[j] - ideal[j];
      if (!(spread > 0)) {
        spread = allMax[j] - allMin[j];
      }
      if (!(spread > 0)) {
        spread = Math.max(1.0, Math.abs(nadir[j]));
      }
      ref[j] = nadir[j] + margin * spread;
    }
    return Optional.of(ref);
  }

  private static double[] columnMax(double[][] rows) {
    double[] out = rows[0].clone();
    for (double[] r : rows) {
      for (int j = 0; j < out.length; j++) {
        out[j] = Math.max(out[j], r[j]);
      }
    }
    return out;
  }

  private static double[] columnMin(double[][] rows) {
    double[] out = rows[0].clone();
    for (double[] r : rows) {
      for (int j = 0; j < out.length; j++) {
        out[j] = Math.min(out[j], r[j]);
      }
    }
    return out;
  }
}
