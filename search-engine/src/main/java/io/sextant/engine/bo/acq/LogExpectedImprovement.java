package io.sextant.engine.bo.acq;

/**
 * log EI for minimization: {@code log E[max(incumbent - f(x), 0)] = log h(u) + log sigma}, u = (incumbent - mu) /
 * sigma, with {@link NormalMath#logH} so that the value and gradient stay informative far from the incumbent. With
 * {@code incumbent} = the best posterior mean over observed points this is the noisy-EI variant ({@code nei}).
 *
 * @param posterior the model
 * @param incumbent the value to improve on, in the posterior's units
 */
public record LogExpectedImprovement(Posterior posterior, double incumbent) implements Acquisition {
  @Override
  public double value(double[] x) {
    Prediction p = posterior.predict(x);
    double s = p.sd();
    return Acquisition.floor(NormalMath.logH((incumbent - p.mean()) / s) + Math.log(s));
  }

  @Override
  public double valueAndGradient(double[] x, double[] gradient) {
    Prediction p = posterior.predictWithGradient(x);
    double s = p.sd();
    double u = (incumbent - p.mean()) / s;
    double v = NormalMath.logH(u) + Math.log(s);
    double dlogh = NormalMath.dLogH(u);
    for (int j = 0; j < x.length; j++) {
      double ds = p.varianceGradient()[j] / (2 * s);
      double du = (-p.meanGradient()[j] - u * ds) / s;
      double g = dlogh * du + ds / s;
      gradient[j] = Double.isFinite(g) ? g : 0.0;
    }
    return Acquisition.floor(v);
  }
}
