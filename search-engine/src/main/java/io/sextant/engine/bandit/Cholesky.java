package io.sextant.engine.bandit;

/** Small symmetric positive definite systems (row-major d x d) by Cholesky factorization. */
final class Cholesky {
  private Cholesky() {}

  /** The lower factor L (row-major, A = L L'); throws ArithmeticException when A is not positive definite. */
  static double[] factor(double[] a, int d) {
    double[] l = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i * d + j];
        for (int k = 0; k < j; k++) {
          s -= l[i * d + k] * l[j * d + k];
        }
        if (i == j) {
          if (!(s > 0)) {
            throw new ArithmeticException("matrix is not positive definite");
          }
          l[i * d + i] = Math.sqrt(s);
        } else {
          l[i * d + j] = s / l[j * d + j];
        }
      }
    }
    return l;
  }

  /** y with L y = b. */
  static double[] solveLower(double[] l, double[] b, int d) {
    double[] y = new double[d];
    for (int i = 0; i < d; i++) {
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= l[i * d + k] * y[k];
      }
      y[i] = s / l[i * d + i];
    }
    return y;
  }

  /** x with L' x = y. */
  static double[] solveUpper(double[] l, double[] y, int d) {
    double[] x = new double[d];
    for (int i = d - 1; i >= 0; i--) {
      double s = y[i];
      for (int k = i + 1; k < d; k++) {
        s -= l[k * d + i] * x[k];
      }
      x[i] = s / l[i * d + i];
    }
    return x;
  }

  /** x with A x = b. */
  static double[] solve(double[] a, double[] b, int d) {
    double[] l = factor(a, d);
    return solveUpper(l, solveLower(l, b, d), d);
  }
}
