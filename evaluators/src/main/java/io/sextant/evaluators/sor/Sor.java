package io.sextant.evaluators.sor;

/**
 * Successive over-relaxation on a CSR matrix, as in the Learning-to-Relax reference: the splitting
 * {@code M = D / omega + L} (L the strict lower triangle), {@code x <- x + M^-1 (b - A x)}, implemented as the usual
 * forward sweep {@code x_i <- (1 - omega) x_i + omega (b_i - sum_{j != i} a_ij x_j) / a_ii} in natural row order.
 * Starts from x0 = 0; after every sweep computes the true residual (fused into the next rows of the sweep, see the
 * code; the same floating-point operations as a separate pass) and stops at the first sweep k with
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
    // The sweep reads the off-diagonal entries of each row (copied once, in the row's column order, so every sum is
    // the same floating-point sum as with the diagonal skipped in place). The residual of row i needs the new x_j of
    // every column j of row i, so it is computed as soon as the sweep has passed row last[i] = max_j j (lagging the
    // sweep by the bandwidth, one pass over the matrix per iteration instead of two); rows are still added to ||r||^2
    // in order 0..n-1, with the same products in the same order as a separate residual pass: identical results.
    int nnz = rs[n];
    int[] offStart = new int[n + 1];
    int[] offCols = new int[nnz];
    double[] offVals = new double[nnz];
    int[] last = new int[n];
    int q = 0;
    for (int i = 0; i < n; i++) {
      offStart[i] = q;
      int m = i;
      for (int p = rs[i]; p < rs[i + 1]; p++) {
        int j = cols[p];
        m = Math.max(m, j);
        if (j != i) {
          offCols[q] = j;
          offVals[q++] = vals[p];
        }
      }
      last[i] = m;
    }
    offStart[n] = q;
    double[] x = new double[n];
    double keep = 1 - omega;
    double rel = 1.0;
    for (int k = 1; k <= maxIterations; k++) {
      double rr = 0;
      int next = 0;
      for (int i = 0; i < n; i++) {
        double s = b[i];
        for (int p = offStart[i], e = offStart[i + 1]; p < e; p++) {
          s -= offVals[p] * x[offCols[p]];
        }
        x[i] = keep * x[i] + omega * s / diag[i];
        while (next < n && last[next] <= i) {
          rr += residualSquared(rs, cols, vals, b, x, next);
          next++;
        }
      }
      while (next < n) {
        rr += residualSquared(rs, cols, vals, b, x, next);
        next++;
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

  /** {@code (b_i - sum_p a_ip x_p)^2} over row i's stored entries in column order. */
  private static double residualSquared(int[] rs, int[] cols, double[] vals, double[] b, double[] x, int i) {
    double r = b[i];
    for (int p = rs[i], e = rs[i + 1]; p < e; p++) {
      r -= vals[p] * x[cols[p]];
    }
    return r * r;
  }

  static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
