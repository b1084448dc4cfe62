package io.sextant.evaluators.builtin;

/**
 * Rosenbrock (n >= 2 dimensions, 1 objective), usually on [-5, 10]^n or [-2.048, 2.048]^n; global minimum 0 at
 * (1, ..., 1). f(x) = sum_{i<n} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2.
 */
public final class Rosenbrock extends BenchmarkProvider {
  public Rosenbrock() {
    super("rosenbrock", "Rosenbrock function: n >= 2 numeric parameters (usually in [-5, 10]), 1 objective;"
        + " global minimum 0 at (1, ..., 1)");
  }

  @Override
  protected int minDimension(int objectives) {
    return 2;
  }

  @Override
  public double[] value(double[] x, int objectives) {
    double sum = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      sum += 100 * a * a + b * b;
    }
    return new double[] {sum};
  }
}
