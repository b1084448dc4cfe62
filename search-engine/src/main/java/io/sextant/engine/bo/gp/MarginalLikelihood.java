package io.sextant.engine.bo.gp;

/**
 * Log marginal likelihood plus log-priors of the Matern-5/2 ARD GP, and its analytic gradient in the log
 * coordinates {@code t = (log l_1..log l_d, log s2, log noise)} (see {@link GpHyperparameters#toLog()}).
 *
 * <p>{@code LML = -1/2 y^T alpha - sum log L_ii - n/2 log 2 pi}, {@code dLML/dt = 1/2 tr((alpha alpha^T - Ky^-1)
 * dKy/dt)}; priors (BoTorch's Matern recipe, on the natural parameters, MAP without Jacobian): lengthscale
 * Gamma(3, 6) up to d = 4 and Gamma(3, 6 sqrt(4/d)) above (see {@link #lengthscaleRate}), amplitude Gamma(2, 0.15),
 * noise Gamma(1.1, 0.05); {@code d/dlog v [(a-1) log v - b v] = a-1-b v}.
 * Cost per evaluation O(n^3) (factorization and inverse) plus O(n^2 d). Pure and thread-safe.
 */
public final class MarginalLikelihood {
  static final double LS_SHAPE = 3.0;
  static final double LS_RATE = 6.0;
  /** Up to this many dimensions the lengthscale prior is Gamma(3, 6); above, its scale grows as sqrt(d). */
  static final int LS_ANCHOR_DIMENSIONS = 4;
  static final double AMP_SHAPE = 2.0;
  static final double AMP_RATE = 0.15;
  static final double NOISE_SHAPE = 1.1;
  static final double NOISE_RATE = 0.05;

  private MarginalLikelihood() {}

  /**
   * Rate of the Gamma(3, rate) lengthscale prior in {@code d} dimensions (unit-cube features): 6 up to
   * {@link #LS_ANCHOR_DIMENSIONS} (mode 1/3), {@code 6 sqrt(4 / d)} above (mode {@code (1/3) sqrt(d / 4)}). The
   * squared distance between two random points grows linearly with d, so a fixed prior mode makes the prior GP
   * rougher (nearly uncorrelated between observations) as d grows; scaling the lengthscales by sqrt(d) keeps its
   * correlation structure (as in Hvarfner et al. 2024, BoTorch's dimension-scaled prior), while d <= 4 keeps the
   * prior the low-dimensional benchmarks were measured with.
   */
  public static double lengthscaleRate(int d) {
    return LS_RATE * Math.sqrt((double) LS_ANCHOR_DIMENSIONS / Math.max(d, LS_ANCHOR_DIMENSIONS));
  }

  /** The mode of the lengthscale prior in {@code d} dimensions, {@code (shape - 1) / rate}. */
  public static double lengthscalePriorMode(int d) {
    return (LS_SHAPE - 1) / lengthscaleRate(d);
  }

  /**
   * Log posterior density (up to a constant) at log coordinates {@code t} (length d + 2); writes its gradient into
   * {@code gradient} (same length).
   *
   * @param x inputs n x d
   * @param y standardized outputs, length n
   */
  public static double valueAndGradient(double[][] x, double[] y, double[] t, double[] gradient) {
    GpHyperparameters h = GpHyperparameters.fromLog(t);
    int n = x.length;
    int d = h.dimensions();
    double[][] ky = GaussianProcess.covariance(x, h, true);
    double[][] l = Cholesky.decompose(ky);
    double[] alpha = Cholesky.solve(l, y);
    double lml = -n / 2.0 * Math.log(2 * Math.PI);
    for (int i = 0; i < n; i++) {
      lml -= 0.5 * y[i] * alpha[i] + Math.log(l[i][i]);
    }
    double[][] kinv = Cholesky.inverse(l);
    java.util.Arrays.fill(gradient, 0.0);
    double[] invL2 = GaussianProcess.inverseSquares(h.lengthscales());
    double s2 = h.amplitude();
    double traceW = 0;
    for (int i = 0; i < n; i++) {
      double wii = alpha[i] * alpha[i] - kinv[i][i];
      traceW += wii;
      gradient[d] += 0.5 * wii * s2; // dK_ii / dlog s2 = s2
      for (int j = 0; j < i; j++) {
        double w = alpha[i] * alpha[j] - kinv[i][j];
        double r = Math.sqrt(GaussianProcess.sqDist(x[i], x[j], invL2));
        double e = Math.exp(-GaussianProcess.SQRT5 * r);
        double kij = s2 * (1 + GaussianProcess.SQRT5 * r + 5.0 * r * r / 3.0) * e;
        gradient[d] += w * kij; // two symmetric entries times 1/2
        double c = w * s2 * (5.0 / 3.0) * (1 + GaussianProcess.SQRT5 * r) * e;
        for (int k = 0; k < d; k++) {
          double dl = x[i][k] - x[j][k];
          gradient[k] += c * dl * dl * invL2[k];
        }
      }
    }
    gradient[d + 1] = 0.5 * h.noise() * traceW;
    double prior = 0;
    double lsRate = lengthscaleRate(d);
    for (int k = 0; k < d; k++) {
      double v = h.lengthscales()[k];
      prior += (LS_SHAPE - 1) * Math.log(v) - lsRate * v;
      gradient[k] += (LS_SHAPE - 1) - lsRate * v;
    }
    prior += (AMP_SHAPE - 1) * Math.log(s2) - AMP_RATE * s2;
    gradient[d] += (AMP_SHAPE - 1) - AMP_RATE * s2;
    prior += (NOISE_SHAPE - 1) * Math.log(h.noise()) - NOISE_RATE * h.noise();
    gradient[d + 1] += (NOISE_SHAPE - 1) - NOISE_RATE * h.noise();
    return lml + prior;
  }
}
