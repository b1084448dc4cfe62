package io.sextant.evaluators.builtin;

/**
 * The ZDT family (2 objectives, n >= 2 inputs on [0, 1]^n, not rescaled): f1 = x1,
 * g = 1 + 9 sum_{i>=2} x_i / (n - 1), f2 = g h(f1, g). The Pareto front has g = 1 (x2..xn = 0).
 */
abstract class Zdt extends BenchmarkProvider {
  Zdt(String name, String description) {
    super(name, description);
  }

  /** The shape function h(f1, g). */
  abstract double h(double f1, double g);

  @Override
  protected final int minObjectives() {
    return 2;
  }

  @Override
  protected final int maxObjectives() {
    return 2;
  }

  @Override
  protected final int minDimension(int objectives) {
    return 2;
  }

  @Override
  protected final boolean unitCube() {
    return true;
  }

  @Override
  public final double[] value(double[] x, int objectives) {
    double f1 = x[0];
    double s = 0;
    for (int i = 1; i < x.length; i++) {
      s += x[i];
    }
    double g = 1 + 9 * s / (x.length - 1);
    return new double[] {f1, g * h(f1, g)};
  }
}
