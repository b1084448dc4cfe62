package io.sextant.engine.bo;

import io.sextant.engine.bo.acq.Posterior;
import io.sextant.engine.bo.acq.Prediction;
import java.util.function.Function;

/**
 * A fixed posterior for acquisition tests: on 1-D inputs, mean(x) = m0 + m1 x + m2 x^2 and sd(x) = s0 + s1 x^2
 * (smooth, so finite differences are meaningful); or, when built with {@link #discrete}, a finite set of points
 * 0, 1, ..., k-1 (x[0] rounded) with given means and covariance matrix.
 */
record FakePosterior(double[] meanCoef, double[] sdCoef, double[] means, double[][] cov, double noise)
    implements Posterior {

  static FakePosterior smooth(double m0, double m1, double m2, double s0, double s1) {
    return new FakePosterior(new double[] {m0, m1, m2}, new double[] {s0, s1}, null, null, 0.01);
  }

  static FakePosterior discrete(double[] means, double[][] cov, double noise) {
    return new FakePosterior(null, null, means, cov, noise);
  }

  @Override
  public int dimensions() {
    return 1;
  }

  @Override
  public Prediction predict(double[] x) {
    if (means != null) {
      int i = (int) Math.round(x[0]);
      return Prediction.of(means[i], cov[i][i]);
    }
    double t = x[0];
    double sd = sdCoef[0] + sdCoef[1] * t * t;
    return Prediction.of(meanCoef[0] + meanCoef[1] * t + meanCoef[2] * t * t, sd * sd);
  }

  @Override
  public Prediction predictWithGradient(double[] x) {
    Prediction p = predict(x);
    double t = x[0];
    double sd = sdCoef[0] + sdCoef[1] * t * t;
    return new Prediction(p.mean(), p.variance(), new double[] {meanCoef[1] + 2 * meanCoef[2] * t},
        new double[] {2 * sd * 2 * sdCoef[1] * t});
  }

  @Override
  public double noiseVariance() {
    return noise;
  }

  @Override
  public Function<double[], double[]> covarianceWith(double[][] set) {
    return x -> {
      int i = (int) Math.round(x[0]);
      double[] out = new double[set.length];
      for (int k = 0; k < set.length; k++) {
        out[k] = cov[(int) Math.round(set[k][0])][i];
      }
      return out;
    };
  }
}
