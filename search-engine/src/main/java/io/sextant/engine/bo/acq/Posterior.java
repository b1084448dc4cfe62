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
}
