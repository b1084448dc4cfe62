package io.sextant.evaluators.builtin;

/**
 * Hartmann 6-D (1 objective) on [0, 1]^6. Global minimum -3.32237 at
 * (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573).
 */
public final class Hartmann6 extends BenchmarkProvider {
  private static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};
  private static final double[][] A = {
      {10, 3, 17, 3.5, 1.7, 8},
      {0.05, 10, 17, 0.1, 8, 14},
      {3, 3.5, 1.7, 10, 17, 8},
      {17, 8, 0.05, 10, 0.1, 14}};
  private static final double[][] P = {
      {1312e-4, 1696e-4, 5569e-4, 124e-4, 8283e-4, 5886e-4},
      {2329e-4, 4135e-4, 8307e-4, 3736e-4, 1004e-4, 9991e-4},
      {2348e-4, 1451e-4, 3522e-4, 2883e-4, 3047e-4, 6650e-4},
      {4047e-4, 8828e-4, 8732e-4, 5743e-4, 1091e-4, 381e-4}};

  public Hartmann6() {
    super("hartmann6", "Hartmann 6-D function: 6 numeric parameters on [0, 1], 1 objective; global minimum -3.32237"
        + " at (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573)");
  }

  @Override
  protected int minDimension(int objectives) {
    return 6;
  }

  @Override
  protected int maxDimension(int objectives) {
    return 6;
  }

  @Override
  public double[] value(double[] x, int objectives) {
    double sum = 0;
    for (int i = 0; i < 4; i++) {
      double inner = 0;
      for (int j = 0; j < 6; j++) {
        double d = x[j] - P[i][j];
        inner += A[i][j] * d * d;
      }
      sum += ALPHA[i] * Math.exp(-inner);
    }
    return new double[] {-sum};
  }
}
