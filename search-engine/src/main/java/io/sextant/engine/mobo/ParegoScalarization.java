package io.sextant.engine.mobo;

import java.util.SplittableRandom;

/**
 * ParEGO's pieces (Knowles 2006): weight vectors drawn uniformly from the simplex, objective normalization to [0, 1]
 * by the observed range, and the augmented Chebyshev scalarization {@code max_i(w_i f_i) + rho sum_i w_i f_i}.
 * Values are in minimization form (directions already mirrored). Pure functions; thread-safe.
 */
public final class ParegoScalarization {
  /** The augmentation weight of the original ParEGO. */
  public static final double RHO = 0.05;

  private ParegoScalarization() {}

  /**
   * The weight vector of suggestion {@code index} (the study's issued count + position in the batch): uniform on the
   * simplex (normalized exponentials, i.e. Dirichlet(1, ..., 1)) from a generator seeded by (seed, index) only, so
   * any replica draws the same weights. Entries are > 0 and sum to 1.
   */
  public static double[] weights(long seed, long index, int m) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ (index + 0x632BE59BD9B4E019L));
    r = r.split(); // decorrelate neighbouring seeds
    double[] w = new double[m];
    double sum = 0;
    for (int i = 0; i < m; i++) {
      w[i] = -Math.log(1.0 - r.nextDouble()) + 1e-12;
      sum += w[i];
    }
    for (int i = 0; i < m; i++) {
      w[i] /= sum;
    }
    return w;
  }

  /**
   * Normalizes each column to [0, 1] by its finite minimum and maximum (a constant column maps to 0); infinite
   * entries stay infinite, NaN stays NaN. Rows are n x m; returns a new array.
   */
  public static double[][] normalize(double[][] y) {
    int n = y.length;
    if (n == 0) {
      return new double[0][];
    }
    int m = y[0].length;
    double[][] out = new double[n][m];
    for (int k = 0; k < m; k++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double[] row : y) {
        if (Double.isFinite(row[k])) {
          lo = Math.min(lo, row[k]);
          hi = Math.max(hi, row[k]);
        }
      }
      double range = hi > lo ? hi - lo : 1.0;
      double base = Double.isFinite(lo) ? lo : 0.0;
      for (int i = 0; i < n; i++) {
        out[i][k] = (y[i][k] - base) / range;
      }
    }
    return out;
  }

  /**
   * Normalizes each column to [0, 1] between its finite minimum (the ideal) and {@code upper[k]} (the hypervolume
   * reference point), so points beyond the reference point get values above 1 and the scalarization's weights act on
   * the region the hypervolume measures. A column whose {@code upper} is not above its minimum falls back to the
   * observed range ({@link #normalize(double[][])}). Rows are n x m; returns a new array.
   */
  public static double[][] normalize(double[][] y, double[] upper) {
    double[][] out = normalize(y);
    int n = y.length;
    if (n == 0) {
      return out;
    }
    for (int k = 0; k < upper.length; k++) {
      double lo = Double.POSITIVE_INFINITY;
      for (double[] row : y) {
        if (Double.isFinite(row[k])) {
          lo = Math.min(lo, row[k]);
        }
      }
      if (Double.isFinite(lo) && Double.isFinite(upper[k]) && upper[k] > lo) {
        for (int i = 0; i < n; i++) {
          out[i][k] = (y[i][k] - lo) / (upper[k] - lo);
        }
      }
    }
    return out;
  }

  /**
   * {@code max_i(w_i f_i) + rho sum_i w_i f_i} for a normalized row f. A row with a +infinity entry scores
   * +infinity (worst), otherwise one with -infinity scores -infinity; NaN rows give NaN.
   */
  public static double scalarize(double[] f, double[] w, double rho) {
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    boolean negInf = false;
    for (int i = 0; i < f.length; i++) {
      if (Double.isNaN(f[i])) {
        return Double.NaN;
      }
      if (f[i] == Double.POSITIVE_INFINITY) {
        return Double.POSITIVE_INFINITY;
      }
      if (f[i] == Double.NEGATIVE_INFINITY) {
        negInf = true;
        continue;
      }
      max = Math.max(max, w[i] * f[i]);
      sum += w[i] * f[i];
    }
    return negInf ? Double.NEGATIVE_INFINITY : max + rho * sum;
  }
}
