package io.sextant.engine.pareto;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Inferred hypervolume reference points, for when the user gives none. Points are in <b>minimization</b> form
 * ({@code n x m}) and <b>in the order they were observed</b>; rows with a NaN or infinite value are ignored.
 *
 * <p>Rule: BoTorch's {@code infer_reference_point} (mirrored to minimization) on the <em>current Pareto front</em>,
 * with its nadir {@code N_j = max over the front} and ideal {@code I_j = min over the front}:
 * {@code N_j + margin * (N_j - I_j)}, but never closer to the ideal than {@code I_j + (1 + margin) * }
 * {@value #RETAINED_EXTENT}{@code  * E_j}, where {@code E_j} is the largest extent {@code N_j - I_j} that the front
 * of any prefix of the observations had (the widest extent is remembered at 40%). Where the front has no
 * spread in objective j (one front point, or equal values), its scale is the range of all finite points in j
 * instead, and {@code max(1, |N_j|)} when that is zero too.
 *
 * <p>Why both parts. The front's nadir keeps early, far-off <em>dominated</em> points from holding the box out (an
 * early point holding the reference point far out makes EHVI reward every decrease of a far-off value and spend the
 * budget on the front's ends). But the front alone collapses in a feedback loop: when the search improves one end
 * of the front first (ZDT1 in 30 variables: points at f1 near 0 improve g first), that end dominates the rest, the
 * front shrinks to a corner, the reference point follows it, and points beyond it in the lost objective are then
 * worth nothing, so the front cannot regrow. A shrinking extent cannot be told apart from convergence by the
 * observations alone (a 3-objective front converging towards the origin also shrinks), so the box keeps 40% of
 * the widest extent it has seen, counted from the current ideal: it still moves in as the front improves, and a
 * dominated point never widens it. The default margin is {@value #DEFAULT_MARGIN}. Responses should state the
 * reference point used, since hypervolumes are only comparable under the same one.
 */
public final class ReferencePoint {
  /** The default relative margin beyond the nadir. */
  public static final double DEFAULT_MARGIN = 0.1;
  /** The share of the widest extent the front has had that the box keeps from the current ideal. */
  public static final double RETAINED_EXTENT = 0.4;

  private ReferencePoint() {}

  /** {@link #infer(double[][], double)} with the default margin. */
  public static Optional<double[]> infer(double[][] points) {
    return infer(points, DEFAULT_MARGIN);
  }

  /**
   * The inferred reference point (length m), or empty when no row is finite.
   *
   * @param points rows in the order they were observed (the order decides the widest extent of the prefix fronts)
   * @param margin relative margin, finite and >= 0
   * @throws IllegalArgumentException for a negative or non-finite margin or ragged rows
   */
  public static Optional<double[]> infer(double[][] points, double margin) {
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
    double[] widest = widestExtent(rows, m);
    int[] front = Pareto.nonDominatedIndices(rows);
    double[][] f = new double[front.length][];
    for (int i = 0; i < front.length; i++) {
      f[i] = rows[front[i]];
    }
    double[] nadir = columnMax(f);
    double[] ideal = columnMin(f);
    double[] ref = new double[m];
    for (int j = 0; j < m; j++) {
      double spread = nadir[j] - ideal[j];
      if (!(spread > 0)) {
        spread = allMax[j] - allMin[j];
      }
      if (!(spread > 0)) {
        spread = Math.max(1.0, Math.abs(nadir[j]));
      }
      ref[j] = Math.max(nadir[j] + margin * spread, ideal[j] + (1 + margin) * RETAINED_EXTENT * widest[j]);
    }
    return Optional.of(ref);
  }

  /**
   * The largest extent (max - min over the front) in each objective that the Pareto front of any prefix of the rows
   * had, maintained incrementally: O(n f m) for n rows and fronts of at most f points.
   */
  static double[] widestExtent(double[][] rows, int m) {
    double[] widest = new double[m];
    List<double[]> front = new ArrayList<>();
    for (double[] p : rows) {
      boolean covered = false;
      for (double[] q : front) {
        if (weaklyDominates(q, p)) {
          covered = true;
          break;
        }
      }
      if (covered) {
        continue; // the front, and so its extent, is unchanged
      }
      front.removeIf(q -> weaklyDominates(p, q));
      front.add(p);
      if (front.size() > 1) {
        double[][] f = front.toArray(double[][]::new);
        double[] hi = columnMax(f);
        double[] lo = columnMin(f);
        for (int j = 0; j < m; j++) {
          widest[j] = Math.max(widest[j], hi[j] - lo[j]);
        }
      }
    }
    return widest;
  }

  private static boolean weaklyDominates(double[] a, double[] b) {
    for (int j = 0; j < a.length; j++) {
      if (a[j] > b[j]) {
        return false;
      }
    }
    return true;
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
