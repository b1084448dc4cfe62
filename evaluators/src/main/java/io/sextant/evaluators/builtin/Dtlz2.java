package io.sextant.evaluators.builtin;

/**
 * DTLZ2 with M >= 2 objectives (the study's number of objectives) and n >= M inputs on [0, 1]^n (not rescaled).
 * With k = n - M + 1 and g = sum over the last k inputs of (x_i - 0.5)^2:
 * f_1 = (1 + g) prod_{i=1}^{M-1} cos(x_i pi/2), f_m = (1 + g) prod_{i=1}^{M-m} cos(x_i pi/2) sin(x_{M-m+1} pi/2).
 * The Pareto front (g = 0) is the positive part of the unit sphere.
 */
public final class Dtlz2 extends BenchmarkProvider {
  public Dtlz2() {
    super("dtlz2", "DTLZ2: M >= 2 objectives (minimize all) and n >= M numeric parameters on [0, 1] (not rescaled);"
        + " Pareto front is the positive unit sphere, where the last n - M + 1 inputs are 0.5");
  }

  @Override
  protected int minObjectives() {
    return 2;
  }

  @Override
  protected int maxObjectives() {
    return Integer.MAX_VALUE;
  }

  @Override
  protected int minDimension(int objectives) {
    return objectives;
  }

  @Override
  protected String dimensionRule(int objectives) {
    return " (at least one per objective: the study has " + objectives + " objectives)";
  }

  @Override
  protected boolean unitCube() {
    return true;
  }

  @Override
  public double[] value(double[] x, int objectives) {
    int m = objectives;
    double g = 0;
    for (int i = m - 1; i < x.length; i++) {
      double d = x[i] - 0.5;
      g += d * d;
    }
    double[] f = new double[m];
    for (int k = 0; k < m; k++) {
      double v = 1 + g;
      for (int i = 0; i < m - 1 - k; i++) {
        v *= Math.cos(x[i] * Math.PI / 2);
      }
      if (k > 0) {
        v *= Math.sin(x[m - 1 - k] * Math.PI / 2);
      }
      f[k] = v;
    }
    return f;
  }
}
