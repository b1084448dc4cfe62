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
    Rows rows = Rows.of(a, b, new double[] {omega});
    int n = a.n();
    int[] rs = a.rowStart();
    int[] cols = a.columns();
    double[] vals = a.values();
    double[] diag = rows.diag();
    double norm0 = norm(b);
    if (norm0 == 0) {
      return new SorResult(0, true, 0.0);
    }
    // The sweep reads the off-diagonal entries of each row (copied once, in the row's column order, so every sum is
    // the same floating-point sum as with the diagonal skipped in place). The residual of row i needs the new x_j of
    // every column j of row i, so it is computed as soon as the sweep has passed row last[i] = max_j j (lagging the
    // sweep by the bandwidth, one pass over the matrix per iteration instead of two); rows are still added to ||r||^2
    // in order 0..n-1, with the same products in the same order as a separate residual pass: identical results.
    int[] offStart = rows.offStart();
    int[] offCols = rows.offCols();
    double[] offVals = rows.offVals();
    int[] last = rows.last();
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

  /**
   * The solves {@code solve(a, b, omegas[k], tolerance, maxIterations)} of one system at several omegas, run together:
   * element k of the result is bit for bit that solve's result (the same floating-point operations in the same order
   * for every omega). One sweep updates row i for every omega still running before it moves to row i + 1, so each
   * matrix entry is read once per sweep for all of them and their independent updates overlap in the processor (a
   * single solve waits on the division of row i - 1 before row i can start); an omega drops out at its own stopping
   * sweep. For a table of costs at many omegas (the bandit benchmark); {@link #solve} is the one-omega form.
   */
  public static SorResult[] solveAll(CsrMatrix a, double[] b, double[] omegas, double tolerance, int maxIterations) {
    Rows rows = Rows.of(a, b, omegas);
    int n = a.n();
    int[] rs = a.rowStart();
    int[] cols = a.columns();
    double[] vals = a.values();
    double[] diag = rows.diag();
    SorResult[] out = new SorResult[omegas.length];
    double norm0 = norm(b);
    if (norm0 == 0) {
      java.util.Arrays.fill(out, new SorResult(0, true, 0.0));
      return out;
    }
    int[] offStart = rows.offStart();
    int[] offCols = rows.offCols();
    double[] offVals = rows.offVals();
    int[] last = rows.last();
    // Lane l (0 <= l < running) is the solve of omegas[lane[l]]; x[(l & ~3) * n + 4 i + (l & 3)] is its x_i (a group
    // of four lanes holds its x_i side by side, the groups one after another). A finished lane is
    // replaced by the last running one, so the running lanes stay contiguous. Lanes are swept in groups of four
    // (four independent chains of dependent operations per row); the lanes of the last group past `running` (a
    // finished solve, or padding at omegas[0]) are swept too, unreported, as it costs no more than leaving them out.
    int width = (omegas.length + 3) / 4 * 4;
    int running = omegas.length;
    int[] lane = new int[width];
    double[] om = new double[width];
    double[] keep = new double[width];
    double[] rel = new double[width];
    for (int l = 0; l < width; l++) {
      lane[l] = l < running ? l : -1;
      om[l] = omegas[l < running ? l : 0];
      keep[l] = 1 - om[l];
      rel[l] = 1.0;
    }
    double[] x = new double[n * width];
    double[] rr = new double[width];
    for (int k = 1; k <= maxIterations && running > 0; k++) {
      int groups = (running + 3) / 4;
      for (int g = 0; g < 4 * groups; g += 4) {
        double w0 = om[g];
        double w1 = om[g + 1];
        double w2 = om[g + 2];
        double w3 = om[g + 3];
        double k0 = keep[g];
        double k1 = keep[g + 1];
        double k2 = keep[g + 2];
        double k3 = keep[g + 3];
        int base = g * n;
        double q0 = 0;
        double q1 = 0;
        double q2 = 0;
        double q3 = 0;
        int next = 0;
        for (int i = 0; i <= n; i++) {
          if (i < n) {
            double s0 = b[i];
            double s1 = s0;
            double s2 = s0;
            double s3 = s0;
            for (int p = offStart[i], e = offStart[i + 1]; p < e; p++) {
              double v = offVals[p];
              int xj = base + 4 * offCols[p];
              s0 -= v * x[xj];
              s1 -= v * x[xj + 1];
              s2 -= v * x[xj + 2];
              s3 -= v * x[xj + 3];
            }
            double d = diag[i];
            int xi = base + 4 * i;
            x[xi] = k0 * x[xi] + w0 * s0 / d;
            x[xi + 1] = k1 * x[xi + 1] + w1 * s1 / d;
            x[xi + 2] = k2 * x[xi + 2] + w2 * s2 / d;
            x[xi + 3] = k3 * x[xi + 3] + w3 * s3 / d;
          }
          // the residual of row `next` as soon as the sweep has passed its last column (as in solve; i = n: the rest)
          while (next < n && (i == n || last[next] <= i)) {
            double r0 = b[next];
            double r1 = r0;
            double r2 = r0;
            double r3 = r0;
            for (int p = rs[next], e = rs[next + 1]; p < e; p++) {
              double v = vals[p];
              int xj = base + 4 * cols[p];
              r0 -= v * x[xj];
              r1 -= v * x[xj + 1];
              r2 -= v * x[xj + 2];
              r3 -= v * x[xj + 3];
            }
            q0 += r0 * r0;
            q1 += r1 * r1;
            q2 += r2 * r2;
            q3 += r3 * r3;
            next++;
          }
        }
        rr[g] = q0;
        rr[g + 1] = q1;
        rr[g + 2] = q2;
        rr[g + 3] = q3;
      }
      for (int l = running - 1; l >= 0; l--) {
        rel[l] = Math.sqrt(rr[l]) / norm0;
        SorResult done = rel[l] < tolerance ? new SorResult(k, true, rel[l])
            : !Double.isFinite(rel[l]) ? new SorResult(maxIterations, false, rel[l]) : null;
        if (done != null) {
          out[lane[l]] = done;
          int tail = --running;
          if (l != tail) {
            // lane `tail` was checked already (the loop runs downwards) and is still running: it moves to slot l
            lane[l] = lane[tail];
            om[l] = om[tail];
            keep[l] = keep[tail];
            rel[l] = rel[tail];
            for (int i = 0; i < n; i++) {
              x[(l & ~3) * n + 4 * i + (l & 3)] = x[(tail & ~3) * n + 4 * i + (tail & 3)];
            }
          }
        }
      }
    }
    for (int l = 0; l < running; l++) {
      out[lane[l]] = new SorResult(maxIterations, false, rel[l]);
    }
    return out;
  }

  /**
   * The checked arguments of a solve and the rows as the sweeps read them: the diagonal, each row's off-diagonal
   * entries in column order ({@code offVals[offStart[i] .. offStart[i + 1])} at columns {@code offCols[...]}), and
   * {@code last[i]}, the largest column of row i or i itself.
   */
  private record Rows(double[] diag, int[] offStart, int[] offCols, double[] offVals, int[] last) {
    static Rows of(CsrMatrix a, double[] b, double[] omegas) {
      int n = a.n();
      if (b.length != n) {
        throw new IllegalArgumentException("b has length " + b.length + ", the matrix dimension is " + n);
      }
      for (double omega : omegas) {
        if (!(omega > 0 && omega < 2)) {
          throw new IllegalArgumentException("omega must lie in (0, 2), got " + omega);
        }
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
      return new Rows(diag, offStart, offCols, offVals, last);
    }
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
