package io.sextant.engine.bo.acq;

/**
 * The marginal posterior of the latent function at one point, in the model's (standardized, minimization) units.
 *
 * @param mean posterior mean
 * @param variance posterior variance of the latent function (no observation noise), always {@code > 0}
 * @param meanGradient d mean / d x, length = input dimension, or empty when not requested
 * @param varianceGradient d variance / d x, same shape as {@code meanGradient}
 */
public record Prediction(double mean, double variance, double[] meanGradient, double[] varianceGradient) {
  public static final double[] NONE = new double[0];

  public static Prediction of(double mean, double variance) {
    return new Prediction(mean, variance, NONE, NONE);
  }

  public double sd() {
    return Math.sqrt(variance);
  }

  public boolean hasGradient() {
    return meanGradient.length > 0;
  }
}
