package io.sextant.engine.bo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OutcomeTransformTest {

  @Test
  void symmetricValuesAreOnlyStandardized() {
    SplittableRandom r = new SplittableRandom(1);
    double[] y = new double[200];
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextDouble(-1, 1);
    }
    OutcomeTransform t = OutcomeTransform.warpedIfSkewed(y).orElseThrow();
    assertThat(t.warped()).isFalse();
    for (int i = 0; i < y.length; i++) {
      assertThat(t.standardize(y[i])).isCloseTo(t.values()[i], offset(1e-12));
    }
    assertThat(t.standardize(0.5) - t.standardize(0.25)).isCloseTo(0.25 / t.sd(), offset(1e-12));
  }

  @Test
  void heavyRightTailsAreLogWarpedMonotonicallyAndStandardizeAgrees() {
    // Rosenbrock-like: most values small, a few orders of magnitude larger
    SplittableRandom r = new SplittableRandom(2);
    double[] y = new double[100];
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.exp(r.nextDouble(0, 8));
    }
    assertThat(OutcomeTransform.of(y).orElseThrow().warped()).as("never warped unless asked").isFalse();
    OutcomeTransform t = OutcomeTransform.warpedIfSkewed(y).orElseThrow();
    assertThat(t.warped()).isTrue();
    double mean = 0;
    for (int i = 0; i < y.length; i++) {
      assertThat(t.standardize(y[i])).isCloseTo(t.values()[i], offset(1e-9));
      mean += t.values()[i];
    }
    assertThat(mean / y.length).isCloseTo(0, offset(1e-9));
    // order preserved everywhere, also below the observed minimum and between observations
    double prev = Double.NEGATIVE_INFINITY;
    for (double x = -10; x < 4000; x += 0.37) {
      double s = t.standardize(x);
      assertThat(s).isGreaterThan(prev).isFinite();
      prev = s;
    }
    // the good end is spread out: the best tenth of the values covers more of the standardized range than before
    double[] sorted = y.clone();
    java.util.Arrays.sort(sorted);
    double gap = t.standardize(sorted[10]) - t.standardize(sorted[0]);
    double linear = (sorted[10] - sorted[0]) / (sorted[99] - sorted[0]);
    double warped = gap / (t.standardize(sorted[99]) - t.standardize(sorted[0]));
    assertThat(warped).isGreaterThan(3 * linear);
  }

  @Test
  void infinitiesAreMappedToTheExtremes() {
    double[] y = {1, 2, 3, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2.5};
    OutcomeTransform t = OutcomeTransform.of(y).orElseThrow();
    assertThat(t.values()[3]).isEqualTo(java.util.Arrays.stream(t.values()).max().orElseThrow());
    assertThat(t.values()[4]).isCloseTo(t.standardize(1), offset(1e-12));
    assertThat(OutcomeTransform.of(new double[] {1, Double.POSITIVE_INFINITY})).isEmpty();
  }

  @Test
  void candidatesAreThePlainTransformAndOneLogWarpPerOffsetOnlyWhenSkewed() {
    SplittableRandom r = new SplittableRandom(3);
    double[] sym = new double[100];
    double[] skewed = new double[100];
    for (int i = 0; i < sym.length; i++) {
      sym[i] = r.nextDouble(-1, 1);
      skewed[i] = Math.exp(r.nextDouble(0, 12));
    }
    assertThat(OutcomeTransform.candidates(sym)).extracting(OutcomeTransform::label).containsExactly("none");
    assertThat(OutcomeTransform.candidates(skewed)).extracting(OutcomeTransform::label)
        .containsExactly("none", "log0.1", "log1.0");
    assertThat(OutcomeTransform.candidates(new double[] {1})).isEmpty();
  }

  @Test
  void logJacobianIsTheLogSlopeOfStandardizeAtEachObservation() {
    SplittableRandom r = new SplittableRandom(4);
    double[] y = new double[60];
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.exp(r.nextDouble(0, 6));
    }
    for (OutcomeTransform t : OutcomeTransform.candidates(y)) {
      for (int i = 0; i < y.length; i++) {
        double h = 1e-6 * Math.max(1, Math.abs(y[i]));
        double slope = (t.standardize(y[i] + h) - t.standardize(y[i] - h)) / (2 * h);
        assertThat(t.logJacobian(i)).as(t.label() + " at " + y[i]).isCloseTo(Math.log(slope), offset(1e-4));
      }
    }
  }

  /** unstandardize inverts standardize, plain and log-warped (both branches of the warp), so points can be reported. */
  @Test
  void unstandardizeInvertsStandardize() {
    double[] plain = {3.0, -1.0, 7.5, 2.0, 0.25};
    SplittableRandom r = new SplittableRandom(2);
    double[] skewed = new double[100];
    for (int i = 0; i < skewed.length; i++) {
      skewed[i] = Math.exp(r.nextDouble(0, 8)); // as in the test above: warped
    }
    for (OutcomeTransform t : new OutcomeTransform[] {OutcomeTransform.of(plain).orElseThrow(),
        OutcomeTransform.warpedIfSkewed(skewed).orElseThrow()}) {
      for (double x : new double[] {-50, 0.9, 1.0, 1.05, 2.5, 400, 2e4}) {
        assertThat(t.unstandardize(t.standardize(x))).as("%s at %f", t, x).isCloseTo(x, offset(1e-9 * (1 + Math.abs(x))));
      }
    }
    assertThat(OutcomeTransform.warpedIfSkewed(skewed).orElseThrow().warped()).isTrue();
  }
}
