package io.sextant.engine.bo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sextant.engine.bo.acq.FantasyMean;
import io.sextant.engine.bo.acq.KnowledgeGradient;
import io.sextant.engine.bo.acq.MonteCarloKnowledgeGradient;
import io.sextant.engine.bo.acq.Posterior;
import io.sextant.engine.bo.acq.Prediction;
import io.sextant.engine.bo.gp.GaussianProcess;
import io.sextant.engine.bo.gp.GpHyperparameters;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The continuous (Monte-Carlo / hybrid) knowledge gradient of {@code kg-mc} against the discrete KG and against a
 * brute-force fantasy average.
 */
class MonteCarloKnowledgeGradientTest {
  /** A 1-D GP on 6 points of a wiggly function, noise 1e-3 (standardized units). */
  static GaussianProcess gp1() {
    double[][] x = {{0.05}, {0.2}, {0.42}, {0.55}, {0.8}, {0.95}};
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = Math.sin(9 * x[i][0]) + 0.5 * x[i][0];
    }
    return GaussianProcess.fit(x, y, new GpHyperparameters(new double[] {0.15}, 1.0, 1e-3));
  }

  /** A 2-D GP on 8 points, anisotropic lengthscales. */
  static GaussianProcess gp2() {
    double[][] x = {{0.1, 0.2}, {0.3, 0.9}, {0.5, 0.5}, {0.7, 0.1}, {0.9, 0.8}, {0.2, 0.6}, {0.65, 0.7},
        {0.85, 0.35}};
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = Math.cos(5 * x[i][0]) * Math.sin(4 * x[i][1]) + x[i][0];
    }
    return GaussianProcess.fit(x, y, new GpHyperparameters(new double[] {0.3, 0.5}, 1.3, 1e-2));
  }

  static double[][] observed1() {
    return new double[][] {{0.05}, {0.2}, {0.42}, {0.55}, {0.8}, {0.95}};
  }

  @Test
  void fantasyMeanIsTheConditionedMeanAndItsGradientsMatchFiniteDifferences() {
    GaussianProcess gp = gp2();
    double[] x = {0.4, 0.3};
    FantasyMean fm = gp.fantasyMean(x);
    double sy = Math.sqrt(gp.predict(x).variance() + gp.noiseVariance());
    double[] out = new double[2];
    double[] gm = new double[2];
    double[] gs = new double[2];
    for (double z : new double[] {-1.7, 0.4, 2.2}) {
      // conditioning on y = mean(x) + sy z (a rank-one Cholesky update of the real GP) moves the mean by slope z
      GaussianProcess after = gp.withObservation(x, gp.predict(x).mean() + sy * z);
      for (double[] q : new double[][] {{0.1, 0.1}, {0.45, 0.35}, {0.9, 0.6}, x}) {
        fm.evaluate(q, out, Prediction.NONE, Prediction.NONE);
        assertThat(out[0]).isCloseTo(gp.predict(q).mean(), within(1e-12));
        assertThat(out[0] + z * out[1]).isCloseTo(after.predict(q).mean(), within(1e-9));
      }
    }
    // the generic default of Posterior agrees with the O(n d) override
    FantasyMean generic = ((Posterior) new DelegatingPosterior(gp)).fantasyMean(x);
    double[] o2 = new double[2];
    double[] gm2 = new double[2];
    double[] gs2 = new double[2];
    double h = 1e-6;
    for (double[] q : new double[][] {{0.1, 0.15}, {0.45, 0.35}, {0.9, 0.6}}) {
      fm.evaluate(q, out, gm, gs);
      generic.evaluate(q, o2, gm2, gs2);
      assertThat(out[1]).isCloseTo(o2[1], within(1e-12));
      for (int j = 0; j < 2; j++) {
        double[] up = q.clone();
        double[] down = q.clone();
        up[j] += h;
        down[j] -= h;
        double[] ou = new double[2];
        double[] od = new double[2];
        fm.evaluate(up, ou, Prediction.NONE, Prediction.NONE);
        fm.evaluate(down, od, Prediction.NONE, Prediction.NONE);
        assertThat(gm[j]).isCloseTo((ou[0] - od[0]) / (2 * h), within(1e-6));
        assertThat(gs[j]).isCloseTo((ou[1] - od[1]) / (2 * h), within(1e-6));
        assertThat(gm2[j]).isCloseTo(gm[j], within(1e-6));
        assertThat(gs2[j]).isCloseTo(gs[j], within(1e-6));
      }
    }
  }

  @Test
  void restrictedToTheDiscreteSetItIsTheDiscreteKnowledgeGradient() {
    GaussianProcess gp = gp1();
    double[][] set = observed1();
    KnowledgeGradient discrete = KnowledgeGradient.over(gp, set);
    MonteCarloKnowledgeGradient restricted = MonteCarloKnowledgeGradient.of(gp, set,
        MonteCarloKnowledgeGradient.nodes(16), 0);
    double[] nodes = MonteCarloKnowledgeGradient.nodes(20_000);
    for (double t : new double[] {0.0, 0.13, 0.3, 0.5, 0.67, 0.88, 1.0}) {
      double[] x = {t};
      // same envelope, same lines: equal up to roundoff
      assertThat(restricted.value(x)).isCloseTo(discrete.value(x), within(1e-12));
      // and both are the literal Monte-Carlo form restricted to the set: fantasize y at x, take the best fantasized
      // mean over set + {x}, average over z, subtract the best current mean. 20000 equal-probability quantile nodes:
      // the midpoint rule on a convex piecewise-linear integrand errs by O(N^-2) away from the tails and the tails
      // beyond +-4.4 sd carry < 1e-5 of mass, so 1e-4 absolute is a safe bound for KG values of order 0.01-0.3.
      double literal = fantasyAverage(gp, set, x, nodes);
      assertThat(Math.exp(discrete.value(x))).isCloseTo(literal, within(1e-4));
    }
  }

  @Test
  void theContinuousInnerMaximumCanOnlyAddValueAndMatchesABruteForceFantasyAverage() {
    GaussianProcess gp = gp1();
    double[][] set = observed1();
    KnowledgeGradient discrete = KnowledgeGradient.over(gp, set);
    MonteCarloKnowledgeGradient mc = MonteCarloKnowledgeGradient.over(gp, set, 16);
    double maxGain = 0;
    for (double t : new double[] {0.0, 0.13, 0.3, 0.5, 0.67, 0.88, 1.0}) {
      double[] x = {t};
      double kg = Math.exp(mc.value(x));
      // a superset of lines: never below the discrete KG (up to roundoff), never negative
      assertThat(kg).isGreaterThanOrEqualTo(Math.exp(discrete.value(x)) * (1 - 1e-9));
      // brute force: the KG whose inner maximum runs over a 2001-point grid of [0,1] (the continuous max to ~1e-6
      // at these lengthscales), expectation over Z exact (the envelope of the 2002 lines). The estimator is a lower
      // bound of the continuous KG: between and beyond its 16 nodes the envelope is made of the lines of the node
      // maximizers. Measured: 0.968-0.996 of the brute force here at 16 nodes (0.992-0.9995 at 64), the discrete KG
      // over the observed points 0-0.97 of it; 0.96 fails any estimator that misses a basin of the inner maximum.
      double brute = Math.exp(MonteCarloKnowledgeGradient.of(gp, grid(2001), new double[] {0.0}, 0).value(x));
      assertThat(kg).isLessThanOrEqualTo(brute * 1.001 + 1e-9).isGreaterThanOrEqualTo(brute * 0.96);
      maxGain = Math.max(maxGain, kg - Math.exp(discrete.value(x)));
    }
    // on this GP the continuous maximum is worth something: the discrete KG over observed points misses it
    assertThat(maxGain).isGreaterThan(1e-3);
  }

  @Test
  void gradientMatchesFiniteDifferencesOfTheValue() {
    GaussianProcess gp = gp2();
    double[][] set = {{0.1, 0.2}, {0.3, 0.9}, {0.5, 0.5}, {0.7, 0.1}, {0.9, 0.8}, {0.2, 0.6}, {0.65, 0.7},
        {0.85, 0.35}};
    MonteCarloKnowledgeGradient mc = MonteCarloKnowledgeGradient.over(gp, set, 16);
    double[] g = new double[2];
    for (double[] x : new double[][] {{0.35, 0.45}, {0.6, 0.25}, {0.15, 0.85}}) {
      double v = mc.valueAndGradient(x, g);
      assertThat(v).isEqualTo(mc.value(x));
      // the analytic-in-x part is differenced with the inner maximizers held fixed (envelope theorem); differencing
      // the full value (inner maximizers re-optimized) with a wider step must agree to a few percent of |g|
      double h = 1e-4;
      for (int j = 0; j < 2; j++) {
        double[] up = x.clone();
        double[] down = x.clone();
        up[j] += h;
        down[j] -= h;
        double fd = (mc.value(up) - mc.value(down)) / (2 * h);
        assertThat(g[j]).isCloseTo(fd, within(0.03 * Math.max(Math.abs(fd), 0.1 * Math.hypot(g[0], g[1]))));
      }
    }
  }

  @Test
  void nodesAreSymmetricEqualProbabilityQuantiles() {
    double[] z = MonteCarloKnowledgeGradient.nodes(4);
    // Phi^-1(1/8) = -1.1503493803760083, Phi^-1(3/8) = -0.3186393639643752
    assertThat(z).containsExactly(new double[] {-1.1503493803760083, -0.3186393639643752, 0.3186393639643752,
        1.1503493803760083}, within(1e-12));
    assertThat(MonteCarloKnowledgeGradient.nodes(3)[1]).isEqualTo(0.0);
    assertThat(Arrays.stream(MonteCarloKnowledgeGradient.nodes(16)).sum()).isCloseTo(0.0, within(1e-15));
  }

  // ------------------------------------------------------------------------------------------- helpers

  static double[][] grid(int k) {
    double[][] g = new double[k][];
    for (int i = 0; i < k; i++) {
      g[i] = new double[] {i / (k - 1.0)};
    }
    return g;
  }

  /**
   * The literal Monte-Carlo KG (for maximization of -f): mean over nodes z of max over points q of
   * {@code -mean(q) + slope(q) z}, minus max over points of {@code -mean(q)}; the points are {@code points} and x.
   */
  static double fantasyAverage(GaussianProcess gp, double[][] points, double[] x, double[] nodes) {
    FantasyMean fm = gp.fantasyMean(x);
    int m = points.length + 1;
    double[] a = new double[m];
    double[] b = new double[m];
    double[] out = new double[2];
    for (int i = 0; i < m; i++) {
      fm.evaluate(i < points.length ? points[i] : x, out, Prediction.NONE, Prediction.NONE);
      a[i] = -out[0];
      b[i] = out[1];
    }
    double best = Arrays.stream(a).max().orElseThrow();
    double sum = 0;
    for (double z : nodes) {
      double mx = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < m; i++) {
        mx = Math.max(mx, a[i] + b[i] * z);
      }
      sum += mx - best;
    }
    return sum / nodes.length;
  }

  /** Uses the generic {@link Posterior#fantasyMean} default over a GP. */
  record DelegatingPosterior(GaussianProcess gp) implements Posterior {
    @Override
    public int dimensions() {
      return gp.dimensions();
    }

    @Override
    public Prediction predict(double[] x) {
      return gp.predict(x);
    }

    @Override
    public Prediction predictWithGradient(double[] x) {
      return gp.predictWithGradient(x);
    }

    @Override
    public double noiseVariance() {
      return gp.noiseVariance();
    }

    @Override
    public java.util.function.Function<double[], double[]> covarianceWith(double[][] set) {
      return gp.covarianceWith(set);
    }
  }
}
