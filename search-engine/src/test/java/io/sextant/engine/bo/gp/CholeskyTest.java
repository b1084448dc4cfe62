package io.sextant.engine.bo.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The flat row-major entry the bandits use gives the factor of the 2-D one and solves their systems. */
class CholeskyTest {
  private static double[] spd(int d, SplittableRandom r) {
    double[] b = new double[d * d];
    for (int i = 0; i < b.length; i++) {
      b[i] = r.nextGaussian();
    }
    double[] a = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = i == j ? 0.5 : 0;
        for (int k = 0; k < d; k++) {
          s += b[i * d + k] * b[j * d + k];
        }
        a[i * d + j] = s;
      }
    }
    return a;
  }

  @Test
  void flatRowMajorMatrixFactorsAndSolves() {
    SplittableRandom r = new SplittableRandom(3);
    for (int d : new int[] {1, 2, 7, 30}) {
      double[] a = spd(d, r);
      double[][] square = new double[d][d];
      for (int i = 0; i < d; i++) {
        System.arraycopy(a, i * d, square[i], 0, d);
      }
      double[][] l = Cholesky.decompose(a, d);
      assertThat(l).isDeepEqualTo(Cholesky.decompose(square));
      double[] b = new double[d];
      for (int i = 0; i < d; i++) {
        b[i] = r.nextGaussian();
      }
      double[] x = Cholesky.solve(l, b);
      for (int i = 0; i < d; i++) {
        double ax = 0;
        for (int j = 0; j < d; j++) {
          ax += a[i * d + j] * x[j];
        }
        assertThat(ax).isCloseTo(b[i], within(1e-9 * (1 + Math.abs(b[i]))));
      }
    }
  }

  @Test
  void aSingularMatrixGetsJitterInsteadOfFailing() {
    double[] ones = {1, 1, 1, 1}; // rank 1
    double[][] l = Cholesky.decompose(ones, 2);
    assertThat(l[0][0]).isPositive();
    assertThat(l[1][1]).isPositive().isLessThan(1e-3);
  }

  @Test
  void aFlatMatrixOfTheWrongSizeIsRefused() {
    assertThatThrownBy(() -> Cholesky.decompose(new double[5], 2)).isInstanceOf(IllegalArgumentException.class);
  }
}
