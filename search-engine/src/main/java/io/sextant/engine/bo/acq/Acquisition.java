package io.sextant.engine.bo.acq;

/**
 * An acquisition function to <em>maximize</em> over feature vectors of the unit cube (length = the posterior's
 * dimension). Implementations are immutable records over a {@link Posterior}; values are finite (log-scale
 * acquisitions floor at {@link #LOG_FLOOR}), pure and thread-safe.
 */
public sealed interface Acquisition
    permits LogExpectedImprovement, LogExpectedHypervolumeImprovement, UpperConfidenceBound, KnowledgeGradient,
        MonteCarloKnowledgeGradient, Constrained, Avoiding {
  /** Floor of log-scale values, so optimizers never see -infinity. */
  double LOG_FLOOR = -1e6;

  /** The value at {@code x}. */
  double value(double[] x);

  /**
   * The value at {@code x}; writes d value / d x into {@code gradient} (same length as x). The default uses central
   * finite differences (2 d evaluations); analytic implementations override it.
   */
  default double valueAndGradient(double[] x, double[] gradient) {
    double v = value(x);
    double h = 1e-6;
    double[] p = x.clone();
    for (int j = 0; j < x.length; j++) {
      p[j] = x[j] + h;
      double up = value(p);
      p[j] = x[j] - h;
      double down = value(p);
      p[j] = x[j];
      gradient[j] = (up - down) / (2 * h);
    }
    return v;
  }

  static double floor(double logValue) {
    return Double.isNaN(logValue) ? LOG_FLOOR : Math.max(LOG_FLOOR, logValue);
  }
}
