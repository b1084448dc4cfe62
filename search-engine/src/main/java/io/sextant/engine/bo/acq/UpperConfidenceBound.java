package io.sextant.engine.bo.acq;

/**
 * Confidence bound for minimization, written to be maximized: {@code -mu(x) + sqrt(beta) sigma(x)}.
 *
 * @param posterior the model
 * @param beta exploration weight ({@code >= 0})
 */
public record UpperConfidenceBound(Posterior posterior, double beta) implements Acquisition {
  @Override
  public double value(double[] x) {
    Prediction p = posterior.predict(x);
    return -p.mean() + Math.sqrt(beta) * p.sd();
  }

  @Override
  public double valueAndGradient(double[] x, double[] gradient) {
    Prediction p = posterior.predictWithGradient(x);
    double s = p.sd();
    double rb = Math.sqrt(beta);
    for (int j = 0; j < x.length; j++) {
      gradient[j] = -p.meanGradient()[j] + rb * p.varianceGradient()[j] / (2 * s);
    }
    return -p.mean() + rb * s;
  }
}
