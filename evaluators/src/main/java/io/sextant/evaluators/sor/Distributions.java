package io.sextant.evaluators.sor;

import java.util.random.RandomGenerator;

/** Gamma and Beta variates from an injected generator (Marsaglia-Tsang, with the alpha < 1 boost). */
final class Distributions {
  private Distributions() {}

  static double gamma(RandomGenerator r, double alpha) {
    if (alpha < 1) {
      double u = r.nextDouble();
      return gamma(r, alpha + 1) * Math.pow(u, 1 / alpha);
    }
    double d = alpha - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x;
      double v;
      do {
        x = r.nextGaussian();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = r.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }

  static double beta(RandomGenerator r, double a, double b) {
    double x = gamma(r, a);
    double y = gamma(r, b);
    return x / (x + y);
  }
}
