package io.sextant.engine.bo.acq;

import java.util.function.Function;

/**
 * A Gaussian posterior over a latent function to be minimized, on feature vectors of the unit cube (length
 * {@link #dimensions()}). Implementations are immutable and thread-safe; every method is pure and never returns NaN
 * for finite inputs.
 */
public interface Posterior {
  int dimensions();

  /** Mean and (latent) variance at {@code x}, without gradients. */
  Prediction predict(double[] x);

  /** Mean and variance at {@code x} with their gradients with respect to {@code x}. */
  Prediction predictWithGradient(double[] x);

  /** Observation-noise variance in the same units as the variance. */
  double noiseVariance();

  /**
   * Prepares posterior covariances against a fixed set of points (rows of {@code set}): the returned function maps
   * x to the vector {@code Cov(f(set_i), f(x))}, length {@code set.length}. Used by the knowledge gradient.
   */
  Function<double[], double[]> covarianceWith(double[][] set);

  /**
   * The posterior mean after a fantasy observation at {@code x} (see {@link FantasyMean}), for the inner
   * maximization of the Monte-Carlo knowledge gradient. This default is generic and slow (O(n^2) per query through
   * {@link #covarianceWith}, gradients by central differences); GP implementations override it with O(n d) per query.
   */
  default FantasyMean fantasyMean(double[] x) {
    double[] at = x.clone();
    Function<double[], double[]> cov = covarianceWith(new double[][] {at});
    double scale = 1.0 / Math.sqrt(predict(at).variance() + noiseVariance());
    return (q, out, meanGradient, slopeGradient) -> {
      out[0] = predict(q).mean();
      out[1] = cov.apply(q)[0] * scale;
      double h = 1e-6;
      double[] p = q.clone();
      for (int j = 0; j < meanGradient.length; j++) {
        p[j] = q[j] + h;
        double mUp = predict(p).mean();
        double sUp = cov.apply(p)[0] * scale;
        p[j] = q[j] - h;
        meanGradient[j] = (mUp - predict(p).mean()) / (2 * h);
        slopeGradient[j] = (sUp - cov.apply(p)[0] * scale) / (2 * h);
        p[j] = q[j];
      }
    };
  }
}
