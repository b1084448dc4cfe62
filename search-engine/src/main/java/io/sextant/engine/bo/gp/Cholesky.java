package io.sextant.engine.bo.gp;

import java.lang.foreign.MemorySegment;
import smile.linalg.lapack.clapack_h;

/**
 * Dense Cholesky factorization with jitter escalation and triangular solves on row-major {@code double[n][n]}
 * lower-triangular factors (only {@code L[i][0..i]} is meaningful). Static and thread-safe. The engine's one
 * Cholesky: the GPs of {@code bo} and the bandits' ridge regressions and arm GPs ({@code bandit}) use it.
 *
 * <p>The factorization runs in pure Java (O(n^3/6) multiply-adds) below {@link #LAPACK_MIN_N} and through LAPACK
 * {@code dpotrf} (Smile's binding to the system OpenBLAS, {@code smile.linalg.lapack}) from there on, where the
 * blocked native routine is faster (measured crossover, see docs/benchmarks-gp-bo.md). Both give the same factor to
 * rounding (~1e-14 relative). When the native library cannot be loaded or called, a warning is logged once and the
 * pure-Java path is used from then on. The solves and the inverse are pure Java (O(n^2) per solve).
 */
public final class Cholesky {
  /**
   * Smallest n factorized through LAPACK. Measured on the 2-core dev box ({@code benchmarks/gp-bo/run.sh cholesky}):
   * pure Java is as fast or faster up to n ~ 100-120 (call overhead and copies), LAPACK 1.7x faster at 130-160, 2.6x
   * at 200, 7-8x at 500-1000.
   */
  public static final int LAPACK_MIN_N = 128;

  private static final System.Logger LOG = System.getLogger(Cholesky.class.getName());

  private Cholesky() {}

  /**
   * Factorizes {@code a + jitter I} (a symmetric, n x n, not modified; only the lower triangle is read), starting
   * with no jitter and escalating from {@code 1e-10 * mean diagonal} by factors of 10 until it succeeds. Always
   * returns a factor with positive diagonal.
   */
  public static double[][] decompose(double[][] a) {
    return decompose(a, LAPACK_MIN_N);
  }

  /**
   * As {@link #decompose(double[][])}, through LAPACK when {@code n >= lapackMinN} and the native library is
   * available ({@code 0}: always, {@link Integer#MAX_VALUE}: never). For tests and benchmarks.
   */
  public static double[][] decompose(double[][] a, int lapackMinN) {
    int n = a.length;
    double meanDiag = 0;
    for (int i = 0; i < n; i++) {
      meanDiag += a[i][i];
    }
    meanDiag = n == 0 ? 1 : Math.max(meanDiag / n, 1e-300);
    boolean lapack = n >= lapackMinN && n > 0 && Lapack.available();
    double jitter = 0;
    for (int attempt = 0; attempt < 14; attempt++) {
      double[][] l = null;
      if (lapack) {
        try {
          l = Lapack.tryDecompose(a, jitter);
        } catch (LinkageError | RuntimeException e) {
          Lapack.disable(e);
          lapack = false;
        }
      }
      if (!lapack) {
        l = tryDecompose(a, jitter);
      }
      if (l != null) {
        return l;
      }
      jitter = jitter == 0 ? 1e-10 * meanDiag : jitter * 10;
    }
    // Last resort: the diagonal alone (never reached for a valid kernel matrix plus noise).
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      l[i][i] = Math.sqrt(Math.max(a[i][i], 1e-300) + jitter);
    }
    return l;
  }

  /**
   * As {@link #decompose(double[][])} for a matrix stored row-major in a flat array of d x d (the bandits' ridge
   * regressions and arm GPs keep their Gram matrices so).
   */
  public static double[][] decompose(double[] rowMajor, int d) {
    if (rowMajor.length != d * d) {
      throw new IllegalArgumentException("expected " + d * d + " entries, got " + rowMajor.length);
    }
    double[][] a = new double[d][];
    for (int i = 0; i < d; i++) {
      a[i] = java.util.Arrays.copyOfRange(rowMajor, i * d, i * d + d);
    }
    return decompose(a);
  }

  /** Whether the LAPACK path is usable in this JVM (loads the native library on first call). */
  public static boolean lapackAvailable() {
    return Lapack.available();
  }

  /**
   * LAPACK {@code dpotrf} through Smile's FFM binding. Holder class: the library is looked up on first use; any
   * failure then (missing libopenblas.so, native access denied) or later disables the path with one warning.
   */
  private static final class Lapack {
    private static volatile boolean available = probe();

    private Lapack() {}

    static boolean available() {
      return available;
    }

    private static boolean probe() {
      try {
        double[][] l = tryDecompose(new double[][] {{4, 2}, {2, 5}}, 0);
        if (l == null || l[0][0] != 2 || l[1][0] != 1 || l[1][1] != 2) {
          throw new IllegalStateException("dpotrf returned a wrong factor for a 2 x 2 test matrix");
        }
        return true;
      } catch (LinkageError | RuntimeException e) {
        warn(e);
        return false;
      }
    }

    static synchronized void disable(Throwable e) {
      if (available) {
        available = false;
        warn(e);
      }
    }

    private static void warn(Throwable e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      LOG.log(System.Logger.Level.WARNING, "LAPACK Cholesky (Smile, system OpenBLAS) unavailable, using the pure-Java "
          + "factorization: " + e + (root == e ? "" : " (cause: " + root + ")"));
    }

    /**
     * {@code a + jitter I} factorized by dpotrf, or null when it is not numerically positive definite. Column-major
     * upper factor U = L^T: column i of U holds row i of L contiguously, and for symmetric a, column i of the upper
     * triangle is row i of the lower one, so rows copy in and out with arraycopy.
     */
    static double[][] tryDecompose(double[][] a, double jitter) {
      int n = a.length;
      double[] buf = new double[n * n];
      for (int i = 0; i < n; i++) {
        System.arraycopy(a[i], 0, buf, i * n, i + 1);
        buf[i * n + i] += jitter;
      }
      int[] info = new int[1];
      clapack_h.dpotrf_(MemorySegment.ofArray(new byte[] {'U'}), MemorySegment.ofArray(new int[] {n}),
          MemorySegment.ofArray(buf), MemorySegment.ofArray(new int[] {n}), MemorySegment.ofArray(info));
      if (info[0] < 0) {
        throw new IllegalStateException("dpotrf: illegal argument " + -info[0]);
      }
      if (info[0] > 0) {
        return null;
      }
      double[][] l = new double[n][n];
      for (int i = 0; i < n; i++) {
        double d = buf[i * n + i];
        if (!(d > 0) || !Double.isFinite(d)) {
          return null;
        }
        System.arraycopy(buf, i * n, l[i], 0, i + 1);
      }
      return l;
    }
  }

  private static double[][] tryDecompose(double[][] a, double jitter) {
    int n = a.length;
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      double[] li = l[i];
      for (int j = 0; j <= i; j++) {
        double[] lj = l[j];
        double s = a[i][j];
        for (int k = 0; k < j; k++) {
          s -= li[k] * lj[k];
        }
        if (i == j) {
          s += jitter;
          if (!(s > 0) || !Double.isFinite(s)) {
            return null;
          }
          li[i] = Math.sqrt(s);
        } else {
          li[j] = s / lj[j];
        }
      }
    }
    return l;
  }

  /** Solves {@code L v = b} (forward substitution); returns v. */
  public static double[] solveLower(double[][] l, double[] b) {
    int n = b.length;
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      double[] li = l[i];
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= li[k] * v[k];
      }
      v[i] = s / li[i];
    }
    return v;
  }

  /** Solves {@code L^T w = v} (back substitution); returns w. */
  public static double[] solveUpper(double[][] l, double[] v) {
    int n = v.length;
    double[] w = v.clone();
    for (int i = n - 1; i >= 0; i--) {
      double[] li = l[i];
      w[i] /= li[i];
      double wi = w[i];
      for (int k = 0; k < i; k++) {
        w[k] -= li[k] * wi;
      }
    }
    return w;
  }

  /** {@code (L L^T)^-1 b}. */
  public static double[] solve(double[][] l, double[] b) {
    return solveUpper(l, solveLower(l, b));
  }

  /** The full inverse {@code (L L^T)^-1}, n x n symmetric. O(n^3). */
  public static double[][] inverse(double[][] l) {
    int n = l.length;
    // Linv lower triangular
    double[][] inv = new double[n][n];
    for (int c = 0; c < n; c++) {
      double[] e = new double[n];
      e[c] = 1;
      // forward solve restricted to rows >= c
      for (int i = c; i < n; i++) {
        double s = e[i];
        double[] li = l[i];
        for (int k = c; k < i; k++) {
          s -= li[k] * inv[k][c];
        }
        inv[i][c] = s / li[i];
      }
    }
    // A^-1 = Linv^T Linv: (i,j) = sum_{k >= max(i,j)} Linv[k][i] Linv[k][j]
    double[][] out = new double[n][n];
    for (int k = 0; k < n; k++) {
      double[] row = inv[k];
      for (int i = 0; i <= k; i++) {
        double ri = row[i];
        if (ri == 0) {
          continue;
        }
        double[] oi = out[i];
        for (int j = 0; j <= i; j++) {
          oi[j] += ri * row[j];
        }
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        out[j][i] = out[i][j];
      }
    }
    return out;
  }
}
