package io.sextant.evaluators.sor;

/**
 * Successive over-relaxation on a CSR matrix, as in the Learning-to-Relax reference: the splitting
 * {@code M = D / omega + L} (L the strict lower triangle), {@code x <- x + M^-1 (b - A x)}, implemented as the usual
 * forward sweep {@code x_i <- (1 - omega) x_i + omega (b_i - sum_{j != i} a_ij x_j) / a_ii} in natural row order.
 * Starts from x0 = 0; after every sweep computes the true residual and stops at the first sweep k with
 * {@code ||r_k||_2 / ||r_0||_2 < tolerance}; at most {@code maxIterations} sweeps (the cost reported then is the cap).
 * Pure and thread-safe.
 */
public final class Sor {
  private Sor() {}

  /** Reference defaults: tolerance 1e-8, cap 10000. */
  public static final double DEFAULT_TOLERANCE = 1e-8;

  public static final int DEFAULT_MAX_ITERATIONS = 10_000;

  public static SorResult solve(CsrMatrix a, double[] b, double omega, double tolerance, int maxIterations) {
    return solve(a, b, omega, tolerance, maxIterations, () -> false);
  }

  /** As {@link #solve(CsrMatrix, double[], double, double, int)}, checking {@code stop} every 64 sweeps. */
  public static SorResult solve(
      CsrMatrix a, double[] b, double omega, double tolerance, int maxIterations, java.util.function.BooleanSupplier stop) {
    int n = a.n();
    if (b.length != n) {
      throw new IllegalArgumentException("b has length " + b.length + ", the matrix dimension is " + n);
    }
    if (!(omega > 0 && omega < 2)) {
      throw new IllegalArgumentException("omega must lie in (0, 2), got " + omega);
    }
    int[] rs = a.rowStart();
    int[] cols = a.columns();
    double[] vals = a.values();
    double[] diag = a.diagonal();
    for (int i = 0; i < n; i++) {
      if (diag[i] == 0) {
        throw new IllegalArgumentException("zero diagonal entry in row " + i);
      }
    }
    double norm0 = norm(b);
    if (norm0 == 0) {
      return new SorResult(0, true, 0.0);
    }
    double[] x = new double[n];
    double rel = 1.0;
    for (int k = 1; k <= maxIterations; k++) {
      for (int i = 0; i < n; i++) {
        double s = b[i];
        for (int p = rs[i]; p < rs[i + 1]; p++) {
          int j = cols[p];
          if (j != i) {
            s -= vals[p] * x[j];
          }
        }
        x[i] = (1 - omega) * x[i] + omega * s / diag[i];
      }
      double rr = 0;
      for (int i = 0; i < n; i++) {
        double r = b[i];
        for (int p = rs[i]; p < rs[i + 1]; p++) {
          r -= vals[p] * x[cols[p]];
        }
        rr += r * r;
      }
      rel = Math.sqrt(rr) / norm0;
      if (rel < tolerance) {
        return new SorResult(k, true, rel);
      }
      if (!Double.isFinite(rel)) {
        return new SorResult(maxIterations, false, rel);
      }
      if ((k & 63) == 0 && stop.getAsBoolean()) {
        throw new java.util.concurrent.CancellationException("stopped after " + k + " SOR sweeps");
      }
    }
    return new SorResult(maxIterations, false, rel);
  }

  static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
