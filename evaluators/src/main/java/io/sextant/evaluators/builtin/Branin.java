package io.sextant.evaluators.builtin;

/**
 * Branin-Hoo (2-D, 1 objective), usually on x1 in [-5, 10], x2 in [0, 15]. Global minimum 0.397887 at (-pi, 12.275),
 * (pi, 2.275) and (9.42478, 2.475).
 */
public final class Branin extends BenchmarkProvider {
  private static final double A = 1;
  private static final double B = 5.1 / (4 * Math.PI * Math.PI);
  private static final double C = 5 / Math.PI;
  private static final double R = 6;
  private static final double S = 10;
  private static final double T = 1 / (8 * Math.PI);

  public Branin() {
    super("branin", "Branin-Hoo function: 2 numeric parameters (usually x1 in [-5, 10], x2 in [0, 15]), 1 objective;"
        + " global minimum 0.397887 at (-pi, 12.275), (pi, 2.275) and (9.42478, 2.475)");
  }

  @Override
  protected int minDimension(int objectives) {
    return 2;
  }

  @Override
  protected int maxDimension(int objectives) {
    return 2;
  }

  @Override
  public double[] value(double[] x, int objectives) {
    double x1 = x[0];
    double x2 = x[1];
    double q = x2 - B * x1 * x1 + C * x1 - R;
    return new double[] {A * q * q + S * (1 - T) * Math.cos(x1) + S};
  }
}
