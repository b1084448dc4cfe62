package io.sextant.engine.bo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sextant.engine.bo.acq.Prediction;
import io.sextant.engine.bo.gp.Cholesky;
import io.sextant.engine.bo.gp.GaussianProcess;
import io.sextant.engine.bo.gp.GpFitter;
import io.sextant.engine.bo.gp.GpHyperparameters;
import io.sextant.engine.bo.gp.MarginalLikelihood;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianProcessTest {
  private static double[][] points(int n, int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = r.nextDouble();
      }
    }
    return x;
  }

  private static double[] f(double[][] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = Math.sin(6 * x[i][0]) + 0.5 * x[i][1] * x[i][1] - 0.2 * x[i][2];
    }
    return y;
  }

  @Test
  void logMarginalLikelihoodGradientMatchesCentralDifferences() {
    double[][] x = points(15, 3, 1);
    double[] y = f(x);
    double[] t = new GpHyperparameters(new double[] {0.3, 0.7, 1.9}, 1.4, 0.02).toLog();
    double[] g = new double[t.length];
    MarginalLikelihood.valueAndGradient(x, y, t, g);
    double h = 1e-5;
    for (int k = 0; k < t.length; k++) {
      double[] up = t.clone();
      double[] dn = t.clone();
      up[k] += h;
      dn[k] -= h;
      double fd = (MarginalLikelihood.valueAndGradient(x, y, up, new double[t.length])
          - MarginalLikelihood.valueAndGradient(x, y, dn, new double[t.length])) / (2 * h);
      assertThat(g[k]).as("d/dt[%d]", k).isCloseTo(fd, within(1e-5 * (1 + Math.abs(fd))));
    }
  }

  @Test
  void lengthscalePriorModeGrowsAsSqrtOfDimensionAboveFour() {
    assertThat(MarginalLikelihood.lengthscalePriorMode(1)).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(MarginalLikelihood.lengthscalePriorMode(4)).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(MarginalLikelihood.lengthscalePriorMode(16)).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(MarginalLikelihood.lengthscalePriorMode(10)).isCloseTo(Math.sqrt(10.0 / 4) / 3, within(1e-12));
    // the log posterior's prior part is stationary in log l at the mode: with one point and y = 0 the likelihood
    // does not depend on the lengthscales, so the lengthscale gradient is the prior's alone
    for (int d : new int[] {2, 10}) {
      double[] ls = new double[d];
      java.util.Arrays.fill(ls, MarginalLikelihood.lengthscalePriorMode(d));
      double[] t = new GpHyperparameters(ls, 1.0, 0.01).toLog();
      double[] g = new double[t.length];
      MarginalLikelihood.valueAndGradient(new double[][] {new double[d]}, new double[] {0}, t, g);
      for (int k = 0; k < d; k++) {
        assertThat(g[k]).as("d=%d, d/dlog l_%d at the mode", d, k).isCloseTo(0, within(1e-9));
      }
      java.util.Arrays.fill(ls, 1.0 / 3);
      MarginalLikelihood.valueAndGradient(new double[][] {new double[d]}, new double[] {0},
          new GpHyperparameters(ls, 1.0, 0.01).toLog(), g);
      // at l = 1/3 the prior still pulls longer in 10-D (positive gradient), not in 2-D
      assertThat(g[0]).as("d=%d at 1/3", d).isCloseTo(d > 4 ? 2 - 2 * Math.sqrt(0.4) : 0, within(1e-9));
    }
  }

  @Test
  void posteriorGradientsMatchCentralDifferences() {
    double[][] x = points(20, 3, 2);
    GaussianProcess gp = GaussianProcess.fit(x, f(x), new GpHyperparameters(new double[] {0.4, 0.5, 0.9}, 1.2, 1e-4));
    double[] q = {0.31, 0.62, 0.17};
    Prediction p = gp.predictWithGradient(q);
    assertThat(p.mean()).isCloseTo(gp.predict(q).mean(), within(1e-12));
    double h = 1e-6;
    for (int j = 0; j < 3; j++) {
      double[] up = q.clone();
      double[] dn = q.clone();
      up[j] += h;
      dn[j] -= h;
      double dm = (gp.predict(up).mean() - gp.predict(dn).mean()) / (2 * h);
      double dv = (gp.predict(up).variance() - gp.predict(dn).variance()) / (2 * h);
      assertThat(p.meanGradient()[j]).isCloseTo(dm, within(1e-6 * (1 + Math.abs(dm))));
      assertThat(p.varianceGradient()[j]).isCloseTo(dv, within(1e-6 * (1 + Math.abs(dv))));
    }
  }

  @Test
  void fittingRecoversAPlausibleModelAndInterpolates() {
    double[][] x = points(40, 3, 3);
    double[] y = f(x);
    double mean = java.util.Arrays.stream(y).average().orElseThrow();
    double sd = Math.sqrt(java.util.Arrays.stream(y).map(v -> (v - mean) * (v - mean)).average().orElseThrow());
    double[] ys = java.util.Arrays.stream(y).map(v -> (v - mean) / sd).toArray();
    GpHyperparameters h = GpFitter.fit(x, ys, Optional.empty(), 2, new SplittableRandom(4));
    // x0 drives sin(6 x0): shortest lengthscale; x2 enters linearly with a small slope: longest
    assertThat(h.lengthscales()[0]).isLessThan(h.lengthscales()[2]);
    assertThat(h.noise()).isLessThan(0.05);
    GaussianProcess gp = GaussianProcess.fit(x, ys, h);
    double[][] test = points(30, 3, 5);
    double[] truth = f(test);
    double sq = 0;
    for (int i = 0; i < test.length; i++) {
      double e = gp.predict(test[i]).mean() * sd + mean - truth[i];
      sq += e * e;
    }
    // a smooth 3-D function from 40 points: RMSE well below the function's sd (~0.6)
    assertThat(Math.sqrt(sq / test.length)).isLessThan(0.1 * sd + 0.05);
  }

  @Test
  void duplicatePointsNeedJitterAndNeverGiveNaN() {
    double[][] x = {{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}, {0.2, 0.9}};
    double[] y = {1.0, 1.1, 0.9, -1.0};
    // noise far below double precision of the amplitude: K + noise I is singular in floating point
    GpHyperparameters h = new GpHyperparameters(new double[] {0.3, 0.3}, 1.0, 1e-300);
    GaussianProcess gp = GaussianProcess.fit(x, y, h);
    for (double[] q : new double[][] {{0.5, 0.5}, {0.1, 0.1}, {0.2, 0.9}}) {
      Prediction p = gp.predictWithGradient(q);
      assertThat(p.mean()).isFinite();
      assertThat(p.variance()).isFinite().isPositive();
      java.util.Arrays.stream(p.meanGradient()).forEach(v -> assertThat(v).isFinite());
    }
    assertThat(gp.predict(new double[] {0.5, 0.5}).mean()).isCloseTo(1.0, within(0.05));
    double[][] k = new double[3][3];
    for (double[] row : k) {
      java.util.Arrays.fill(row, 1.0);
    }
    double[][] l = Cholesky.decompose(k);
    for (int i = 0; i < 3; i++) {
      assertThat(l[i][i]).isPositive().isFinite();
    }
    // the fitted noise keeps the likelihood finite on duplicates with different values
    GpHyperparameters fitted = GpFitter.fit(x, y, Optional.empty(), 1, new SplittableRandom(1));
    assertThat(fitted.noise()).isFinite().isPositive();
  }

  @Test
  void appendingAnObservationEqualsRefitting() {
    double[][] x = points(12, 2, 6);
    double[] y = new double[12];
    for (int i = 0; i < 12; i++) {
      y[i] = Math.cos(3 * x[i][0]) + x[i][1];
    }
    GpHyperparameters h = new GpHyperparameters(new double[] {0.4, 0.8}, 1.0, 1e-3);
    double[] q = {0.4, 0.45};
    GaussianProcess appended = GaussianProcess.fit(java.util.Arrays.copyOf(x, 11), java.util.Arrays.copyOf(y, 11), h)
        .withObservation(x[11], y[11]);
    GaussianProcess direct = GaussianProcess.fit(x, y, h);
    assertThat(appended.predict(q).mean()).isCloseTo(direct.predict(q).mean(), within(1e-9));
    assertThat(appended.predict(q).variance()).isCloseTo(direct.predict(q).variance(), within(1e-9));
    // a believed point (y = posterior mean) keeps the mean and shrinks the variance there
    GaussianProcess believed = direct.withObservation(q, direct.predict(q).mean());
    assertThat(believed.predict(q).mean()).isCloseTo(direct.predict(q).mean(), within(1e-9));
    assertThat(believed.predict(q).variance()).isLessThan(0.5 * direct.predict(q).variance());
  }
}
