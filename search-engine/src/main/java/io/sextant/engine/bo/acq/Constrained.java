package io.sextant.engine.bo.acq;

import java.util.List;
import java.util.Optional;

/**
 * Adds the log probability of feasibility of every outcome constraint to a base acquisition (log space, i.e. the
 * product EI x P(feasible) for LogEI). Without a base (no feasible observation yet) it maximizes the probability
 * of feasibility alone.
 *
 * @param base the objective acquisition, empty to search for feasibility only
 * @param constraints one model per constraint; constraint models are independent
 */
public record Constrained(Optional<Acquisition> base, List<ConstraintModel> constraints) implements Acquisition {
  /**
   * A constraint {@code g(x) <= threshold} on a posterior over g (in the posterior's units).
   */
  public record ConstraintModel(Posterior posterior, double threshold) {
    double logFeasibility(double[] x) {
      Prediction p = posterior.predict(x);
      return NormalMath.logCdf((threshold - p.mean()) / p.sd());
    }

    double logFeasibility(double[] x, double[] gradient) {
      Prediction p = posterior.predictWithGradient(x);
      double s = p.sd();
      double z = (threshold - p.mean()) / s;
      double dz = NormalMath.dLogCdf(z);
      for (int j = 0; j < x.length; j++) {
        double ds = p.varianceGradient()[j] / (2 * s);
        double g = dz * (-p.meanGradient()[j] - z * ds) / s;
        gradient[j] = Double.isFinite(g) ? g : 0.0;
      }
      return NormalMath.logCdf(z);
    }
  }

  public Constrained {
    constraints = List.copyOf(constraints);
  }

  @Override
  public double value(double[] x) {
    double v = base.map(b -> b.value(x)).orElse(0.0);
    for (ConstraintModel c : constraints) {
      v += c.logFeasibility(x);
    }
    return Acquisition.floor(v);
  }

  @Override
  public double valueAndGradient(double[] x, double[] gradient) {
    java.util.Arrays.fill(gradient, 0.0);
    double v = 0;
    double[] g = new double[x.length];
    if (base.isPresent()) {
      v += base.get().valueAndGradient(x, g);
      for (int j = 0; j < g.length; j++) {
        gradient[j] += g[j];
      }
    }
    for (ConstraintModel c : constraints) {
      v += c.logFeasibility(x, g);
      for (int j = 0; j < g.length; j++) {
        gradient[j] += g[j];
      }
    }
    return Acquisition.floor(v);
  }
}
