package io.sextant.engine.bo.gp;

/**
 * Dense Cholesky factorization with jitter escalation and triangular solves on row-major {@code double[n][n]}
 * lower-triangular factors (only {@code L[i][0..i]} is meaningful). Pure Java, O(n^3/6) multiply-adds; static and
 * thread-safe.
 */
public final class Cholesky {
  private Cholesky() {}

  /**
   * Factorizes {@code a + jitter I} (a symmetric, n x n, not modified), starting with no jitter and escalating from
   * {@code 1e-10 * mean diagonal} by factors of 10 until it succeeds. Always returns a factor with positive diagonal.
   */
  public static double[][] decompose(double[][] a) {
    int n = a.length;
    double meanDiag = 0;
    for (int i = 0; i < n; i++) {
      meanDiag += a[i][i];
    }
    meanDiag = n == 0 ? 1 : Math.max(meanDiag / n, 1e-300);
    double jitter = 0;
    for (int attempt = 0; attempt < 14; attempt++) {
      double[][] l = tryDecompose(a, jitter);
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
