package io.sextant.engine.mobo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sextant.engine.bo.acq.LogExpectedHypervolumeImprovement;
import io.sextant.engine.pareto.BoxDecomposition;
import io.sextant.engine.pareto.Hypervolume;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The closed-form EHVI against exact hypervolume gains and Monte-Carlo estimates. */
class EhviMathTest {
  static double[][] front(int n, int m, SplittableRandom r) {
    return io.sextant.engine.pareto.BoxDecompositionTest.randomFront(n, m, r);
  }

  static LogExpectedHypervolumeImprovement ehvi(double[][] pts, double[] ref) {
    BoxDecomposition b = BoxDecomposition.of(pts, ref);
    return new LogExpectedHypervolumeImprovement(List.of(), b.lower(), b.upper());
  }

  static double[] ref(int m) {
    double[] r = new double[m];
    Arrays.fill(r, 1.1);
    return r;
  }

  static double[] filled(int m, double v) {
    double[] a = new double[m];
    Arrays.fill(a, v);
    return a;
  }

  @ParameterizedTest(name = "m={0}")
  @ValueSource(ints = {2, 3})
  void tinySigmaGivesTheExactHypervolumeImprovement(int m) {
    SplittableRandom r = new SplittableRandom(101 + m);
    for (int rep = 0; rep < 10; rep++) {
      double[][] pts = front(3 + r.nextInt(30), m, r);
      LogExpectedHypervolumeImprovement acq = ehvi(pts, ref(m));
      double base = Hypervolume.of(pts, ref(m));
      for (int t = 0; t < 20; t++) {
        double[] y = new double[m];
        for (int k = 0; k < m; k++) {
          y[k] = 0.1 + 0.9 * r.nextDouble();
        }
        double[][] plus = Arrays.copyOf(pts, pts.length + 1);
        plus[pts.length] = y;
        double hvi = Hypervolume.of(plus, ref(m)) - base;
        double e = Math.exp(acq.logEhvi(y, filled(m, 1e-9), null, null));
        // |E - HVI| <= O(sigma) (the kink of (u - max(y, l))^+ smooths over a few sigma)
        assertThat(e).as("rep %d y %s", rep, Arrays.toString(y)).isCloseTo(hvi, within(1e-7));
      }
    }
  }

  @ParameterizedTest(name = "m={0}")
  @ValueSource(ints = {2, 3})
  void zeroForACandidateDominatedWithCertainty(int m) {
    double[][] pts = front(20, m, new SplittableRandom(7));
    LogExpectedHypervolumeImprovement acq = ehvi(pts, ref(m));
    for (double[] p : pts) {
      double[] worse = p.clone();
      for (int k = 0; k < m; k++) {
        worse[k] += 0.05;
      }
      assertThat(Math.exp(acq.logEhvi(worse, filled(m, 1e-9), null, null))).isEqualTo(0.0);
    }
    // beyond the reference point in one objective: nothing to gain either
    double[] out = filled(m, 0.0);
    out[0] = 1.2;
    assertThat(Math.exp(acq.logEhvi(out, filled(m, 1e-9), null, null))).isEqualTo(0.0);
  }

  /**
   * 200,000 samples of the hypervolume improvement of Y ~ N(mu, diag(sd^2)); the closed form must lie within 4
   * standard errors of the sample mean (a false alarm has probability about 6e-5 per comparison, and the seeds are
   * fixed, so the test is deterministic) plus 1e-9 for rounding.
   */
  @ParameterizedTest(name = "m={0}")
  @ValueSource(ints = {2, 3})
  void matchesMonteCarlo(int m) {
    SplittableRandom r = new SplittableRandom(2024 + m);
    for (int rep = 0; rep < 4; rep++) {
      double[][] pts = front(5 + r.nextInt(25), m, r);
      BoxDecomposition boxes = BoxDecomposition.of(pts, ref(m));
      LogExpectedHypervolumeImprovement acq = new LogExpectedHypervolumeImprovement(List.of(), boxes.lower(),
          boxes.upper());
      double[] mu = new double[m];
      double[] sd = new double[m];
      for (int k = 0; k < m; k++) {
        mu[k] = 0.3 + 0.6 * r.nextDouble();
        sd[k] = 0.05 + 0.3 * r.nextDouble();
      }
      int samples = 200_000;
      double sum = 0;
      double sum2 = 0;
      double[] y = new double[m];
      for (int s = 0; s < samples; s++) {
        for (int k = 0; k < m; k++) {
          y[k] = mu[k] + sd[k] * r.nextGaussian();
        }
        double v = boxes.improvement(y);
        sum += v;
        sum2 += v * v;
      }
      double mean = sum / samples;
      double se = Math.sqrt((sum2 / samples - mean * mean) / samples);
      double e = Math.exp(acq.logEhvi(mu, sd, null, null));
      assertThat(mean).isPositive();
      assertThat(e).as("rep %d mu %s sd %s", rep, Arrays.toString(mu), Arrays.toString(sd))
          .isCloseTo(mean, within(4 * se + 1e-9));
    }
  }

  @Test
  void gradientsWithRespectToMeanAndSdMatchFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(9);
    for (int m = 2; m <= 3; m++) {
      double[][] pts = front(15, m, r);
      LogExpectedHypervolumeImprovement acq = ehvi(pts, ref(m));
      for (int rep = 0; rep < 10; rep++) {
        double[] mu = new double[m];
        double[] sd = new double[m];
        for (int k = 0; k < m; k++) {
          mu[k] = -0.5 + 2.5 * r.nextDouble(); // also far beyond the front: log space stays informative
          sd[k] = 0.01 + 0.5 * r.nextDouble();
        }
        double[] dMu = new double[m];
        double[] dSd = new double[m];
        double v = acq.logEhvi(mu, sd, dMu, dSd);
        assertThat(v).isFinite();
        for (int k = 0; k < m; k++) {
          double h = 1e-6;
          double[] a = mu.clone();
          double[] b = mu.clone();
          a[k] += h;
          b[k] -= h;
          double fd = (acq.logEhvi(a, sd, null, null) - acq.logEhvi(b, sd, null, null)) / (2 * h);
          assertThat(dMu[k]).isCloseTo(fd, within(1e-4 * Math.max(1, Math.abs(fd))));
          a = sd.clone();
          b = sd.clone();
          a[k] += h;
          b[k] -= h;
          fd = (acq.logEhvi(mu, a, null, null) - acq.logEhvi(mu, b, null, null)) / (2 * h);
          assertThat(dSd[k]).isCloseTo(fd, within(1e-4 * Math.max(1, Math.abs(fd))));
        }
      }
    }
  }

  @Test
  void oneBoxWithUnboundedLowerSidesIsTheProductOfExpectedImprovements() {
    // empty front: EHVI = prod_k E[(ref_k - Y_k)^+] = prod_k s h((ref_k - mu_k) / s)
    LogExpectedHypervolumeImprovement acq = ehvi(new double[0][], new double[] {1.0, 2.0});
    double[] mu = {0.5, 2.5};
    double[] sd = {0.2, 1.0};
    double ei1 = ei(1.0, mu[0], sd[0]);
    double ei2 = ei(2.0, mu[1], sd[1]);
    assertThat(Math.exp(acq.logEhvi(mu, sd, null, null))).isCloseTo(ei1 * ei2, within(1e-12));
  }

  private static double ei(double best, double mu, double s) {
    double z = (best - mu) / s;
    double pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    double cdf = 0.5 * org.apache.commons.math3.special.Erf.erfc(-z / Math.sqrt(2));
    return s * (pdf + z * cdf);
  }
}
