package io.sextant.evaluators.builtin;

/**
 * Ackley (n >= 1 dimensions, 1 objective), usually on [-32.768, 32.768]^n; global minimum 0 at the origin.
 * f(x) = -20 exp(-0.2 sqrt(mean x_i^2)) - exp(mean cos(2 pi x_i)) + 20 + e.
 */
public final class Ackley extends BenchmarkProvider {
  public Ackley() {
    super("ackley", "Ackley function: n >= 1 numeric parameters (usually in [-32.768, 32.768]), 1 objective;"
        + " global minimum 0 at the origin");
  }

  @Override
  protected int minDimension(int objectives) {
    return 1;
  }

  @Override
  public double[] value(double[] x, int objectives) {
    double sq = 0;
    double cos = 0;
    for (double xi : x) {
      sq += xi * xi;
      cos += Math.cos(2 * Math.PI * xi);
    }
    int n = x.length;
    return new double[] {-20 * Math.exp(-0.2 * Math.sqrt(sq / n)) - Math.exp(cos / n) + 20 + Math.E};
  }
}
