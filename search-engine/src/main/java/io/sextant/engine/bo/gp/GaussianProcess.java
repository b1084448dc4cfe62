package io.sextant.engine.bo.gp;

import io.sextant.engine.bo.acq.FantasyMean;
import io.sextant.engine.bo.acq.Posterior;
import io.sextant.engine.bo.acq.Prediction;
import java.util.function.Function;

/**
 * An exact GP posterior with a Matern-5/2 ARD kernel {@code k(x,x') = s2 (1 + sqrt5 r + 5 r^2 / 3) exp(-sqrt5 r)},
 * {@code r^2 = sum_j (x_j - x'_j)^2 / l_j^2}, zero prior mean, Gaussian noise. Inputs are feature vectors
 * (n x d, unit cube), outputs already standardized. Immutable and thread-safe; {@link #withObservation} returns a
 * new posterior in O(n^2) (Cholesky row append), which is how fantasies (kriging believer) are added.
 *
 * <p>Cost: construction O(n^3 / 6 + n^2 d) ({@link Cholesky}: LAPACK from {@link Cholesky#LAPACK_MIN_N} points on,
 * pure Java below), or O(k n^2 + k n d) when the inputs are a recent fit's plus k appended rows ({@link FactorCache}); {@link #predict} O(n^2 + n d); {@link #predictWithGradient} O(2 n^2 +
 * n d).
 */
public final class GaussianProcess implements Posterior {
  static final double SQRT5 = Math.sqrt(5.0);

  private final double[][] x;
  private final double[] y;
  private final GpHyperparameters hyper;
  private final double[] invL2;
  private final double[][] chol;
  private final double[] alpha;

  private GaussianProcess(double[][] x, double[] y, GpHyperparameters hyper, double[][] chol) {
    this.x = x;
    this.y = y;
    this.hyper = hyper;
    this.invL2 = inverseSquares(hyper.lengthscales());
    this.chol = chol;
    this.alpha = Cholesky.solve(chol, y);
  }

  /**
   * Conditions the GP on data.
   *
   * @param x inputs, n x d (not copied: callers must not modify them afterwards)
   * @param y standardized outputs, length n
   */
  public static GaussianProcess fit(double[][] x, double[] y, GpHyperparameters hyper) {
    return fit(x, y, hyper, Cholesky.LAPACK_MIN_N);
  }

  /** Recent factors, extended by appended rows when a fit's inputs extend an earlier fit's ({@link FactorCache}). */
  static final FactorCache FACTORS = new FactorCache(4);

  /**
   * As {@link #fit(double[][], double[], GpHyperparameters)} with the LAPACK threshold given (tests). When the inputs
   * extend those of a recent fit with the same hyperparameters (a study's next suggestion after trials completed),
   * the factor is that fit's with one row appended per new input, O(n^2) each, instead of a new factorization.
   */
  static GaussianProcess fit(double[][] x, double[] y, GpHyperparameters hyper, int lapackMinN) {
    double[][] chol = x.length >= FactorCache.MIN_N ? FACTORS.extend(x, hyper) : null;
    if (chol == null) {
      double[][] k = covariance(x, hyper, true);
      chol = Cholesky.decompose(k, lapackMinN);
      // cache only factors found without jitter (jitter >= 1e-10 of the mean diagonal shows on the first pivot)
      if (x.length == 0 || Math.abs(chol[0][0] * chol[0][0] - k[0][0]) > 1e-13 * k[0][0]) {
        return new GaussianProcess(x, y.clone(), hyper, chol);
      }
    }
    FACTORS.put(x, hyper, chol);
    return new GaussianProcess(x, y.clone(), hyper, chol);
  }

  /** Kernel matrix of x with itself, plus the noise on the diagonal when {@code withNoise}. */
  static double[][] covariance(double[][] x, GpHyperparameters h, boolean withNoise) {
    int n = x.length;
    double[] invL2 = inverseSquares(h.lengthscales());
    double[][] k = new double[n][n];
    for (int i = 0; i < n; i++) {
      k[i][i] = h.amplitude() + (withNoise ? h.noise() : 0);
      for (int j = 0; j < i; j++) {
        double v = h.amplitude() * matern(Math.sqrt(sqDist(x[i], x[j], invL2)));
        k[i][j] = v;
        k[j][i] = v;
      }
    }
    return k;
  }

  static double[] inverseSquares(double[] l) {
    double[] out = new double[l.length];
    for (int j = 0; j < l.length; j++) {
      out[j] = 1.0 / (l[j] * l[j]);
    }
    return out;
  }

  static double sqDist(double[] a, double[] b, double[] invL2) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      double dlt = a[j] - b[j];
      s += dlt * dlt * invL2[j];
    }
    return s;
  }

  /** {@code (1 + sqrt5 r + 5 r^2/3) exp(-sqrt5 r)}. */
  static double matern(double r) {
    return (1 + SQRT5 * r + 5.0 * r * r / 3.0) * Math.exp(-SQRT5 * r);
  }

  public GpHyperparameters hyperparameters() {
    return hyper;
  }

  public int size() {
    return x.length;
  }

  @Override
  public int dimensions() {
    return invL2.length;
  }

  @Override
  public double noiseVariance() {
    return hyper.noise();
  }

  private double[] kernelVector(double[] q) {
    return kernelVector(x, x.length, q, hyper.amplitude(), invL2);
  }

  /** {@code k(x_i, q)} for the first {@code n} rows of {@code x}. */
  static double[] kernelVector(double[][] x, int n, double[] q, double amplitude, double[] invL2) {
    double[] k = new double[n];
    for (int i = 0; i < n; i++) {
      k[i] = amplitude * matern(Math.sqrt(sqDist(q, x[i], invL2)));
    }
    return k;
  }

  private double variance(double prior, double[] v) {
    double s = prior;
    for (double vi : v) {
      s -= vi * vi;
    }
    return Math.max(s, 1e-12 * hyper.amplitude());
  }

  @Override
  public Prediction predict(double[] q) {
    double[] k = kernelVector(q);
    double mean = 0;
    for (int i = 0; i < k.length; i++) {
      mean += k[i] * alpha[i];
    }
    return Prediction.of(mean, variance(hyper.amplitude(), Cholesky.solveLower(chol, k)));
  }

  @Override
  public Prediction predictWithGradient(double[] q) {
    int n = x.length;
    int d = q.length;
    double[] k = new double[n];
    double[][] dk = new double[n][d];
    double s2 = hyper.amplitude();
    for (int i = 0; i < n; i++) {
      double r = Math.sqrt(sqDist(q, x[i], invL2));
      double e = Math.exp(-SQRT5 * r);
      k[i] = s2 * (1 + SQRT5 * r + 5.0 * r * r / 3.0) * e;
      double c = -s2 * (5.0 / 3.0) * (1 + SQRT5 * r) * e;
      for (int j = 0; j < d; j++) {
        dk[i][j] = c * (q[j] - x[i][j]) * invL2[j];
      }
    }
    double mean = 0;
    for (int i = 0; i < n; i++) {
      mean += k[i] * alpha[i];
    }
    double[] v = Cholesky.solveLower(chol, k);
    double var = variance(s2, v);
    double[] w = Cholesky.solveUpper(chol, v);
    double[] dm = new double[d];
    double[] dv = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        dm[j] += alpha[i] * dk[i][j];
        dv[j] -= 2 * w[i] * dk[i][j];
      }
    }
    return new Prediction(mean, var, dm, dv);
  }

  @Override
  public Function<double[], double[]> covarianceWith(double[][] set) {
    int m = set.length;
    double[][] vs = new double[m][];
    for (int i = 0; i < m; i++) {
      vs[i] = Cholesky.solveLower(chol, kernelVector(set[i]));
    }
    return q -> {
      double[] v = Cholesky.solveLower(chol, kernelVector(q));
      double[] out = new double[m];
      for (int i = 0; i < m; i++) {
        double c = hyper.amplitude() * matern(Math.sqrt(sqDist(set[i], q, invL2)));
        double[] vi = vs[i];
        for (int t = 0; t < v.length; t++) {
          c -= vi[t] * v[t];
        }
        out[i] = c;
      }
      return out;
    };
  }

  /**
   * O(n^2) to prepare ({@code K^-1 k(x)}), then O(n d) per query: {@code mean(q) = k(q) . alpha},
   * {@code slope(q) = (k(q, x) - k(q) . K^-1 k(x)) / sqrt(Var f(x) + noise)}.
   */
  @Override
  public FantasyMean fantasyMean(double[] at) {
    double[] xq = at.clone();
    double[] v = Cholesky.solveLower(chol, kernelVector(xq));
    double scale = 1.0 / Math.sqrt(variance(hyper.amplitude(), v) + hyper.noise());
    double[] w = Cholesky.solveUpper(chol, v);
    double s2 = hyper.amplitude();
    int n = x.length;
    return (q, out, meanGradient, slopeGradient) -> {
      boolean grad = meanGradient.length > 0;
      if (grad) {
        java.util.Arrays.fill(meanGradient, 0.0);
        java.util.Arrays.fill(slopeGradient, 0.0);
      }
      double mean = 0;
      double kw = 0;
      for (int i = 0; i < n; i++) {
        double[] xi = x[i];
        double r = Math.sqrt(sqDist(q, xi, invL2));
        double e = Math.exp(-SQRT5 * r);
        double k = s2 * (1 + SQRT5 * r + 5.0 * r * r / 3.0) * e;
        mean += k * alpha[i];
        kw += k * w[i];
        if (grad) {
          double c = -s2 * (5.0 / 3.0) * (1 + SQRT5 * r) * e;
          double ca = c * alpha[i];
          double cw = c * w[i];
          for (int j = 0; j < q.length; j++) {
            double dq = (q[j] - xi[j]) * invL2[j];
            meanGradient[j] += ca * dq;
            slopeGradient[j] -= cw * dq;
          }
        }
      }
      double r = Math.sqrt(sqDist(q, xq, invL2));
      double e = Math.exp(-SQRT5 * r);
      out[0] = mean;
      out[1] = (s2 * (1 + SQRT5 * r + 5.0 * r * r / 3.0) * e - kw) * scale;
      if (grad) {
        double c = -s2 * (5.0 / 3.0) * (1 + SQRT5 * r) * e * scale;
        for (int j = 0; j < q.length; j++) {
          slopeGradient[j] = slopeGradient[j] * scale + c * (q[j] - xq[j]) * invL2[j];
        }
      }
    };
  }

  /**
   * This GP with one more observation (same hyperparameters), by appending a row to the Cholesky factor: O(n^2).
   * Used for fantasies: pending trials and earlier points of a batch get {@code y = posterior mean}.
   */
  public GaussianProcess withObservation(double[] q, double yq) {
    return withObservation(q, yq, hyper.noise());
  }

  /**
   * As {@link #withObservation(double[], double)} with the given noise variance for this one observation (fantasies
   * use a tiny noise so that the variance collapses at points already chosen, even under a noisy model).
   */
  public GaussianProcess withObservation(double[] q, double yq, double noiseVariance) {
    int n = x.length;
    double[] k = kernelVector(q);
    double[] l = Cholesky.solveLower(chol, k);
    double d2 = hyper.amplitude() + noiseVariance;
    for (double li : l) {
      d2 -= li * li;
    }
    double diag = Math.sqrt(Math.max(d2, 1e-10 * hyper.amplitude()));
    double[][] c = new double[n + 1][];
    for (int i = 0; i < n; i++) {
      c[i] = java.util.Arrays.copyOf(chol[i], n + 1);
    }
    c[n] = java.util.Arrays.copyOf(l, n + 1);
    c[n][n] = diag;
    double[][] xs = java.util.Arrays.copyOf(x, n + 1);
    xs[n] = q.clone();
    double[] ys = java.util.Arrays.copyOf(y, n + 1);
    ys[n] = yq;
    return new GaussianProcess(xs, ys, hyper, c);
  }
}
