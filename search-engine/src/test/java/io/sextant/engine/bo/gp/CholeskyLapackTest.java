package io.sextant.engine.bo.gp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.engine.bo.acq.Prediction;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LAPACK (Smile dpotrf) factorization path against the pure-Java one. */
class CholeskyLapackTest {
  /** The test command installs the system OpenBLAS (./sextant ensures libopenblas.so): its absence is a failure. */
  @BeforeEach
  void needsLapack() {
    assertThat(Cholesky.lapackAvailable()).as("system OpenBLAS (libopenblas.so) loadable through Smile").isTrue();
  }

  /** A random SPD matrix B B^T / n + 1e-3 I (condition number up to ~1e3 n). */
  private static double[][] randomSpd(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] b = new double[n][n];
    for (double[] row : b) {
      for (int j = 0; j < n; j++) {
        row[j] = r.nextDouble(-1, 1);
      }
    }
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += b[i][k] * b[j][k];
        }
        a[i][j] = s / n + (i == j ? 1e-3 : 0);
        a[j][i] = a[i][j];
      }
    }
    return a;
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  private static void assertClose(double[] actual, double[] expected, double relative) {
    double scale = Math.max(maxAbs(expected), 1e-300);
    for (int i = 0; i < expected.length; i++) {
      assertThat(Math.abs(actual[i] - expected[i]) / scale).as("entry %d", i).isLessThan(relative);
    }
  }

  @Test
  void lapackFactorAndSolvesEqualPureJava() {
    for (int n : new int[] {1, 2, 7, 50, 161, 300, 600}) {
      double[][] a = randomSpd(n, n);
      double[][] pure = Cholesky.decompose(a, Integer.MAX_VALUE);
      double[][] lapack = Cholesky.decompose(a, 0);
      double scale = 0;
      for (int i = 0; i < n; i++) {
        scale = Math.max(scale, maxAbs(pure[i]));
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double expected = j <= i ? pure[i][j] : 0;
          assertThat(Math.abs(lapack[i][j] - expected) / scale).as("n=%d L[%d][%d]", n, i, j).isLessThan(1e-10);
        }
      }
      SplittableRandom r = new SplittableRandom(~n);
      double[] b = new double[n];
      for (int i = 0; i < n; i++) {
        b[i] = r.nextDouble(-1, 1);
      }
      assertClose(Cholesky.solveLower(lapack, b), Cholesky.solveLower(pure, b), 1e-10);
      double[] x = Cholesky.solve(lapack, b);
      assertClose(x, Cholesky.solve(pure, b), 1e-10);
      // and it solves the system: A x = b
      double[] ax = new double[n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          ax[i] += a[i][j] * x[j];
        }
      }
      assertClose(ax, b, 1e-8);
    }
  }

  @Test
  void lapackKeepsJitterEscalationOnSingularMatrices() {
    // rank one (all ones) and an exact duplicate block: not positive definite without jitter
    int n = 200;
    double[][] ones = new double[n][n];
    for (double[] row : ones) {
      java.util.Arrays.fill(row, 1.0);
    }
    double[][] pure = Cholesky.decompose(ones, Integer.MAX_VALUE);
    double[][] lapack = Cholesky.decompose(ones, 0);
    for (int i = 0; i < n; i++) {
      assertThat(lapack[i][i]).isPositive().isFinite();
      for (int j = 0; j <= i; j++) {
        assertThat(lapack[i][j]).isFinite();
      }
    }
    // same jitter chosen: the factors agree to rounding
    assertThat(Math.abs(lapack[n - 1][n - 1] - pure[n - 1][n - 1]) / pure[n - 1][n - 1]).isLessThan(1e-4);
    assertThat(lapack[n - 1][0]).isCloseTo(pure[n - 1][0], org.assertj.core.data.Offset.offset(1e-10));
    // a NaN entry never yields a NaN factor
    double[][] bad = randomSpd(180, 3);
    bad[100][40] = Double.NaN;
    double[][] l = Cholesky.decompose(bad, 0);
    for (int i = 0; i < l.length; i++) {
      assertThat(l[i][i]).isPositive().isFinite();
    }
  }

  @Test
  void gpPosteriorAboveTheCrossoverEqualsPureJava() {
    int n = Cholesky.LAPACK_MIN_N + 140;
    int d = 4;
    SplittableRandom r = new SplittableRandom(11);
    double[][] x = new double[n][d];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[i][j] = r.nextDouble();
      }
      y[i] = Math.sin(5 * x[i][0]) + x[i][1] * x[i][2] - x[i][3] + 0.01 * r.nextDouble(-1, 1);
    }
    GpHyperparameters h = new GpHyperparameters(new double[] {0.3, 0.5, 0.7, 1.0}, 1.3, 1e-4);
    GaussianProcess lapack = GaussianProcess.fit(x, y, h); // default threshold: n is above it
    GaussianProcess pure = GaussianProcess.fit(x, y, h, Integer.MAX_VALUE);
    for (int k = 0; k < 20; k++) {
      double[] q = new double[d];
      for (int j = 0; j < d; j++) {
        q[j] = r.nextDouble();
      }
      Prediction a = lapack.predictWithGradient(q);
      Prediction b = pure.predictWithGradient(q);
      assertThat(Math.abs(a.mean() - b.mean())).isLessThan(1e-10 * Math.max(1, Math.abs(b.mean())));
      assertThat(Math.abs(a.variance() - b.variance())).isLessThan(1e-10 * h.amplitude());
      assertClose(a.meanGradient(), b.meanGradient(), 1e-9);
      assertClose(a.varianceGradient(), b.varianceGradient(), 1e-8);
    }
  }
}
