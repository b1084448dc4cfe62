package io.sextant.engine.mobo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ParegoScalarizationTest {
  @Test
  void augmentedChebyshevOnAHandCheckedExample() {
    // w = (0.25, 0.75), f = (0.4, 0.2): max(0.1, 0.15) + 0.05 (0.1 + 0.15) = 0.15 + 0.0125
    assertThat(ParegoScalarization.scalarize(new double[] {0.4, 0.2}, new double[] {0.25, 0.75}, 0.05))
        .isCloseTo(0.1625, within(1e-15));
    // three objectives, w = (0.5, 0.3, 0.2), f = (0.1, 1.0, 0.5): max(0.05, 0.3, 0.1) + 0.05 * 0.45 = 0.3225
    assertThat(ParegoScalarization.scalarize(new double[] {0.1, 1.0, 0.5}, new double[] {0.5, 0.3, 0.2}, 0.05))
        .isCloseTo(0.3225, within(1e-15));
    assertThat(ParegoScalarization.scalarize(new double[] {0.1, Double.POSITIVE_INFINITY}, new double[] {0.5, 0.5},
        0.05)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(ParegoScalarization.scalarize(new double[] {Double.NEGATIVE_INFINITY, 0.3}, new double[] {0.5, 0.5},
        0.05)).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void normalizationMapsTheObservedRangeToTheUnitInterval() {
    double[][] y = {{1, 10}, {3, 30}, {2, 20}, {2, Double.POSITIVE_INFINITY}};
    double[][] n = ParegoScalarization.normalize(y);
    assertThat(n[0]).containsExactly(0.0, 0.0);
    assertThat(n[1]).containsExactly(1.0, 1.0);
    assertThat(n[2]).containsExactly(0.5, 0.5);
    assertThat(n[3][1]).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(ParegoScalarization.normalize(new double[][] {{4, 4}})[0]).containsExactly(0.0, 0.0);
  }

  @Test
  void weightsLieOnTheSimplexAreDeterministicAndVary() {
    for (int m = 1; m <= 5; m++) {
      for (long i = 0; i < 50; i++) {
        double[] w = ParegoScalarization.weights(7, i, m);
        assertThat(w).hasSize(m);
        assertThat(Arrays.stream(w).min().orElseThrow()).isPositive();
        assertThat(Arrays.stream(w).sum()).isCloseTo(1.0, within(1e-12));
        assertThat(ParegoScalarization.weights(7, i, m)).isEqualTo(w);
      }
    }
    assertThat(ParegoScalarization.weights(7, 1, 2)).isNotEqualTo(ParegoScalarization.weights(7, 2, 2));
    assertThat(ParegoScalarization.weights(7, 1, 2)).isNotEqualTo(ParegoScalarization.weights(8, 1, 2));
    // uniform on the 2-simplex: the first weight is U(0, 1); its mean over 2000 draws is 0.5 +- 4 x 0.0065
    double mean = 0;
    for (long i = 0; i < 2000; i++) {
      mean += ParegoScalarization.weights(3, i, 2)[0] / 2000;
    }
    assertThat(mean).isCloseTo(0.5, within(0.026));
  }

  /** With a reference point, each objective runs from its observed minimum (0) to the reference point (1). */
  @Test
  void normalizationToTheReferencePoint() {
    double[][] y = {{1, 10}, {2, 30}, {3, 20}, {Double.POSITIVE_INFINITY, 15}};
    double[][] n = ParegoScalarization.normalize(y, new double[] {5, 20});
    assertThat(n[0]).containsExactly(0.0, 0.0);
    assertThat(n[1]).containsExactly(0.25, 2.0);
    assertThat(n[2]).containsExactly(0.5, 1.0);
    assertThat(n[3][0]).isEqualTo(Double.POSITIVE_INFINITY);
    // a reference point not above the minimum, or NaN: the observed range
    double[][] fallback = ParegoScalarization.normalize(y, new double[] {0.5, Double.NaN});
    assertThat(fallback[1]).containsExactly(0.5, 1.0);
  }
}
