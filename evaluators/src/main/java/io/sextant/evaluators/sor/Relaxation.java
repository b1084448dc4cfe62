package io.sextant.evaluators.sor;

/**
 * The instance-optimal relaxation parameter. For a consistently ordered matrix with real Jacobi spectrum (e.g. any
 * 5-point discretization in natural order) Young's theorem gives {@code omega* = 2 / (1 + sqrt(1 - beta^2))} with
 * beta the spectral radius of the Jacobi iteration matrix {@code I - D^-1 A}.
 */
public final class Relaxation {
  private Relaxation() {}

  /** Young's formula; beta must lie in [0, 1). */
  public static double omegaStar(double beta) {
    if (!(beta >= 0 && beta < 1)) {
      throw new IllegalArgumentException("beta must lie in [0, 1), got " + beta);
    }
    return 2 / (1 + Math.sqrt(1 - beta * beta));
  }

  /** Closed form for the shifted model problem A + c I on an N x N grid: beta = 4 cos(pi h) / (4 + c). */
  public static double shiftedLaplacianBeta(int grid, double shift) {
    return 4 * Math.cos(Math.PI / (grid + 1)) / (4 + shift);
  }

  /**
   * Spectral radius of the Jacobi matrix of a symmetric matrix with positive diagonal whose Jacobi spectrum is
   * symmetric about 0 (bipartite stencils such as the 5-point one). Power iteration with Rayleigh quotients on
   * {@code (I + S) / 2}, {@code S = I - D^-1/2 A D^-1/2} (symmetric, spectrum in [0, 1] with a unique largest
   * eigenvalue (1 + beta) / 2), started from a deterministic positive vector; stops when the quotient changes by
   * less than {@code 1e-13} over 10 steps or after {@code maxSteps}.
   */
  public static double jacobiSpectralRadius(CsrMatrix a, int maxSteps) {
    int n = a.n();
    double[] d = a.diagonal();
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      if (!(d[i] > 0)) {
        throw new IllegalArgumentException("diagonal must be positive");
      }
      s[i] = 1 / Math.sqrt(d[i]);
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 1.0 + 0.001 * ((i * 7919) % 101) / 101.0;
    }
    normalize(v);
    // buffers reused across steps (no allocation per step); the arithmetic is that of v <- (I + S) v / 2 written out
    int[] rs = a.rowStart();
    int[] cols = a.columns();
    double[] vals = a.values();
    double[] u = new double[n];
    double[] w = new double[n];
    double mu = 0;
    double previous = Double.NaN;
    for (int step = 1; step <= maxSteps; step++) {
      for (int i = 0; i < n; i++) {
        u[i] = s[i] * v[i];
      }
      for (int i = 0; i < n; i++) {
        double au = 0;
        for (int k = rs[i], e = rs[i + 1]; k < e; k++) {
          au += vals[k] * u[cols[k]];
        }
        w[i] = v[i] - 0.5 * s[i] * au;
      }
      double q = 0;
      for (int i = 0; i < n; i++) {
        q += v[i] * w[i];
      }
      mu = q;
      normalize(w);
      double[] t = v;
      v = w;
      w = t;
      if (step % 10 == 0) {
        if (Math.abs(mu - previous) < 1e-13) {
          break;
        }
        previous = mu;
      }
    }
    return Math.min(Math.max(2 * mu - 1, 0.0), 1.0);
  }

  private static void normalize(double[] v) {
    double nrm = Sor.norm(v);
    for (int i = 0; i < v.length; i++) {
      v[i] /= nrm;
    }
  }
}
