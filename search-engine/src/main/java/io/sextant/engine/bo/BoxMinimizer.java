package io.sextant.engine.bo;

import smile.math.BFGS;
import smile.util.function.DifferentiableMultivariateFunction;

/**
 * Box-constrained minimization with Smile's L-BFGS-B ({@link BFGS#minimize(DifferentiableMultivariateFunction,
 * int, double[], double[], double[], double, int)}), made robust: points are clamped into the box before every
 * evaluation, non-finite values are treated as +infinity, and the best point ever evaluated is returned even when
 * the line search gives up (Smile then throws). Static and thread-safe.
 */
public final class BoxMinimizer {
  private BoxMinimizer() {}

  /** A function with gradient: returns f(x) and writes df/dx into {@code gradient} (same length as x). */
  @FunctionalInterface
  public interface Objective {
    double valueAndGradient(double[] x, double[] gradient);
  }

  /** The best point found and its value. */
  public record Result(double[] point, double value) {}

  /**
   * Minimizes {@code f} over {@code [lower, upper]} starting at {@code start} (clamped into the box).
   *
   * @param maxIterations L-BFGS-B iteration limit
   */
  public static Result minimize(Objective f, double[] start, double[] lower, double[] upper, int maxIterations) {
    int d = start.length;
    double[] x0 = clamp(start, lower, upper);
    double[] best = x0.clone();
    double[] bestValue = {Double.POSITIVE_INFINITY};
    DifferentiableMultivariateFunction fn = new DifferentiableMultivariateFunction() {
      @Override
      public double f(double[] x) {
        return g(x, new double[d]);
      }

      @Override
      public double g(double[] x, double[] gradient) {
        double[] p = clamp(x, lower, upper);
        double v = f.valueAndGradient(p, gradient);
        boolean ok = Double.isFinite(v);
        for (int j = 0; j < d && ok; j++) {
          ok = Double.isFinite(gradient[j]);
        }
        if (!ok) {
          java.util.Arrays.fill(gradient, 0.0);
          return 1e300;
        }
        if (v < bestValue[0]) {
          bestValue[0] = v;
          System.arraycopy(p, 0, best, 0, d);
        }
        return v;
      }
    };
    double[] x = x0.clone();
    try {
      fn.g(x0.clone(), new double[d]);
      BFGS.minimize(fn, 5, x, lower, upper, 1e-6, maxIterations);
      fn.g(x, new double[d]);
    } catch (RuntimeException e) {
      // line search failure or numerical trouble: keep the best point seen so far
    }
    return new Result(best, bestValue[0]);
  }

  static double[] clamp(double[] x, double[] lower, double[] upper) {
    double[] p = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      double v = Double.isNaN(x[j]) ? lower[j] : x[j];
      p[j] = Math.min(upper[j], Math.max(lower[j], v));
    }
    return p;
  }
}
