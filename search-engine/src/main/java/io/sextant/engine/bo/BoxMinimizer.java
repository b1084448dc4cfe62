package io.sextant.engine.bo;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Box-constrained minimization by a projected L-BFGS (memory 6) with an Armijo backtracking line search along the
 * projected path: quasi-Newton directions on the free coordinates, coordinates at a bound whose gradient points
 * outward are held fixed. Non-finite values count as +infinity; the best point ever evaluated is returned. Pure
 * Java: Smile's L-BFGS-B ({@code smile.math.BFGS}) was the first choice but it calls native BLAS, which needs the
 * {@code libopenblas.so} development symlink (absent where only {@code libopenblas0} is installed) and then fails
 * with an {@link Error}. Static and thread-safe.
 */
public final class BoxMinimizer {
  private static final int MEMORY = 6;

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
   * @param maxIterations iteration limit (each iteration costs one or more evaluations)
   */
  public static Result minimize(Objective f, double[] start, double[] lower, double[] upper, int maxIterations) {
    int d = start.length;
    double[] x = clamp(start, lower, upper);
    double[] g = new double[d];
    double fx = eval(f, x, g);
    Deque<double[][]> memory = new ArrayDeque<>();
    int evaluations = 0;
    for (int iter = 0; iter < maxIterations && evaluations < 3 * maxIterations; iter++) {
      boolean[] free = new boolean[d];
      double pgNorm = 0;
      for (int j = 0; j < d; j++) {
        free[j] = !((x[j] <= lower[j] && g[j] > 0) || (x[j] >= upper[j] && g[j] < 0));
        if (free[j]) {
          pgNorm = Math.max(pgNorm, Math.abs(g[j]));
        }
      }
      if (pgNorm < 1e-9 || !Double.isFinite(fx)) {
        break;
      }
      double[] dir = direction(g, free, memory);
      double slope = dot(g, dir);
      if (!(slope < 0)) {
        memory.clear();
        dir = direction(g, free, memory);
        slope = dot(g, dir);
      }
      double t = memory.isEmpty() ? Math.min(1.0, 0.1 / pgNorm) : 1.0;
      double[] xn = null;
      double[] gn = new double[d];
      double fn = Double.POSITIVE_INFINITY;
      boolean accepted = false;
      for (int ls = 0; ls < 40; ls++) {
        xn = new double[d];
        for (int j = 0; j < d; j++) {
          xn[j] = Math.min(upper[j], Math.max(lower[j], x[j] + t * dir[j]));
        }
        fn = eval(f, xn, gn);
        evaluations++;
        double decrease = 0;
        for (int j = 0; j < d; j++) {
          decrease += g[j] * (xn[j] - x[j]);
        }
        if (fn <= fx + 1e-4 * decrease && fn < Double.POSITIVE_INFINITY) {
          accepted = true;
          break;
        }
        t *= 0.5;
      }
      if (!accepted) {
        if (memory.isEmpty()) {
          break;
        }
        memory.clear();
        continue;
      }
      double[] s = new double[d];
      double[] y = new double[d];
      for (int j = 0; j < d; j++) {
        s[j] = xn[j] - x[j];
        y[j] = gn[j] - g[j];
      }
      double sy = dot(s, y);
      if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
        memory.addLast(new double[][] {s, y});
        if (memory.size() > MEMORY) {
          memory.removeFirst();
        }
      }
      double change = fx - fn;
      x = xn;
      fx = fn;
      g = gn.clone();
      if (change < 1e-12 * (1 + Math.abs(fx))) {
        break;
      }
    }
    return new Result(x, fx);
  }

  /** -H g on the free coordinates by the two-loop recursion; zero on fixed ones. */
  private static double[] direction(double[] g, boolean[] free, Deque<double[][]> memory) {
    int d = g.length;
    double[] q = new double[d];
    for (int j = 0; j < d; j++) {
      q[j] = free[j] ? g[j] : 0;
    }
    int m = memory.size();
    double[][] ss = new double[m][];
    double[][] ys = new double[m][];
    int k = 0;
    for (double[][] p : memory) {
      ss[k] = masked(p[0], free);
      ys[k] = masked(p[1], free);
      k++;
    }
    double[] a = new double[m];
    double[] rho = new double[m];
    for (int i = m - 1; i >= 0; i--) {
      double sy = dot(ss[i], ys[i]);
      rho[i] = sy > 0 ? 1 / sy : 0;
      a[i] = rho[i] * dot(ss[i], q);
      for (int j = 0; j < d; j++) {
        q[j] -= a[i] * ys[i][j];
      }
    }
    if (m > 0) {
      double yy = dot(ys[m - 1], ys[m - 1]);
      double gamma = yy > 0 && rho[m - 1] > 0 ? 1 / (rho[m - 1] * yy) : 1;
      for (int j = 0; j < d; j++) {
        q[j] *= gamma;
      }
    }
    for (int i = 0; i < m; i++) {
      double b = rho[i] * dot(ys[i], q);
      for (int j = 0; j < d; j++) {
        q[j] += ss[i][j] * (a[i] - b);
      }
    }
    for (int j = 0; j < d; j++) {
      q[j] = free[j] ? -q[j] : 0;
    }
    return q;
  }

  private static double[] masked(double[] v, boolean[] free) {
    double[] out = new double[v.length];
    for (int j = 0; j < v.length; j++) {
      out[j] = free[j] ? v[j] : 0;
    }
    return out;
  }

  private static double eval(Objective f, double[] x, double[] g) {
    double v = f.valueAndGradient(x, g);
    boolean ok = Double.isFinite(v);
    for (int j = 0; j < g.length && ok; j++) {
      ok = Double.isFinite(g[j]);
    }
    if (!ok) {
      java.util.Arrays.fill(g, 0.0);
      return Double.POSITIVE_INFINITY;
    }
    return v;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += a[j] * b[j];
    }
    return s;
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
