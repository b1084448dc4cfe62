package io.sextant.engine.bo.acq;

import java.util.Arrays;
import java.util.List;

/**
 * log EHVI (expected hypervolume improvement) of m independent Gaussian posteriors, all to be minimized, over a box
 * decomposition of the improvement region (see {@code io.sextant.engine.pareto.BoxDecomposition}).
 *
 * <p><b>Closed form.</b> EHVI(x) = sum over boxes b of prod_k psi(l_bk, u_bk; mu_k, s_k) with, for Y ~ N(mu, s^2)
 * and l < u, psi = E[(u - max(Y, l))^+] — the reference's E[(min(Y', u') - l')^+] mirrored by Y' = -Y, l' = -u,
 * u' = -l. Because (u - max(Y, l))^+ = (u - Y)^+ - (l - Y)^+, psi = s [h(b_u) - h(b_l)] with b = (. - mu) / s and
 * h(z) = phi(z) + z Phi(z) (the unit expected improvement); for l = -infinity psi = s h(b_u), i.e. EI. It is
 * evaluated in log space with {@link NormalMath#logH} and log1mexp, and the sum over boxes by log-sum-exp, so the
 * value stays finite and informative (no underflow to 0) far from the front, as LogEI does (Ament et al. 2023).
 * Derivatives: d psi / d mu = -(Phi(b_u) - Phi(b_l)), d psi / d s = phi(b_u) - phi(b_l).
 *
 * <p>Shapes: {@code posteriors} has m entries over the same feature space (or none, to use {@link #logEhvi} on
 * given means and standard deviations only); {@code lower} and {@code upper} are B x m (B >= 1) in the posteriors'
 * units (lower may be -infinity, upper finite). Coordinates are shared across boxes, so the normal functions are evaluated once per distinct coordinate per objective: cost per value O(m (n^2 + c) + B m),
 * with c distinct coordinates. Immutable and thread-safe.
 */
public final class LogExpectedHypervolumeImprovement implements Acquisition {
  private final List<Posterior> posteriors;
  private final int boxes;
  private final int m;
  /** Per objective: the sorted distinct finite box coordinates. */
  private final double[][] coords;
  /** Per box and objective: index into coords of the upper / lower corner (-1 for -infinity). */
  private final int[][] upperIdx;
  private final int[][] lowerIdx;

  public LogExpectedHypervolumeImprovement(List<Posterior> posteriors, double[][] lower, double[][] upper) {
    this.posteriors = List.copyOf(posteriors);
    this.boxes = lower.length;
    if (boxes == 0 || upper.length != boxes) {
      throw new IllegalArgumentException("lower and upper must hold the same number (>= 1) of boxes");
    }
    this.m = lower[0].length;
    if (!posteriors.isEmpty() && posteriors.size() != m) {
      throw new IllegalArgumentException(posteriors.size() + " posteriors for boxes of " + m + " objectives");
    }
    this.coords = new double[m][];
    this.upperIdx = new int[boxes][m];
    this.lowerIdx = new int[boxes][m];
    for (int k = 0; k < m; k++) {
      final int kk = k;
      double[] c = java.util.stream.Stream.of(lower, upper).flatMap(Arrays::stream).mapToDouble(r -> r[kk])
          .filter(Double::isFinite).sorted().distinct().toArray();
      coords[k] = c;
      for (int b = 0; b < boxes; b++) {
        if (!(lower[b][k] < upper[b][k]) || !Double.isFinite(upper[b][k])) {
          throw new IllegalArgumentException("box " + b + " is empty or unbounded above in objective " + k);
        }
        upperIdx[b][k] = Arrays.binarySearch(c, upper[b][k]);
        lowerIdx[b][k] = Double.isFinite(lower[b][k]) ? Arrays.binarySearch(c, lower[b][k]) : -1;
      }
    }
  }

  /** Number of objectives. */
  public int objectives() {
    return m;
  }

  @Override
  public double value(double[] x) {
    double[] mu = new double[m];
    double[] sd = new double[m];
    for (int k = 0; k < m; k++) {
      Prediction p = posteriors.get(k).predict(x);
      mu[k] = p.mean();
      sd[k] = p.sd();
    }
    return Acquisition.floor(logEhvi(mu, sd, null, null));
  }

  @Override
  public double valueAndGradient(double[] x, double[] gradient) {
    Prediction[] ps = new Prediction[m];
    double[] mu = new double[m];
    double[] sd = new double[m];
    for (int k = 0; k < m; k++) {
      ps[k] = posteriors.get(k).predictWithGradient(x);
      mu[k] = ps[k].mean();
      sd[k] = ps[k].sd();
    }
    double[] dMu = new double[m];
    double[] dSd = new double[m];
    double v = logEhvi(mu, sd, dMu, dSd);
    Arrays.fill(gradient, 0.0);
    for (int k = 0; k < m; k++) {
      for (int j = 0; j < x.length; j++) {
        double ds = ps[k].varianceGradient()[j] / (2 * sd[k]);
        double g = dMu[k] * ps[k].meanGradient()[j] + dSd[k] * ds;
        gradient[j] += Double.isFinite(g) ? g : 0.0;
      }
    }
    return Acquisition.floor(v);
  }

  /**
   * log EHVI for given marginal means and standard deviations (length m, sd > 0), -infinity when every box has zero
   * expected improvement. When {@code dMu} and {@code dSd} are non-null, writes d logEHVI / d mu_k and / d sd_k.
   */
  public double logEhvi(double[] mu, double[] sd, double[] dMu, double[] dSd) {
    boolean grad = dMu != null;
    // per objective and distinct coordinate: log h(b), log Phi(b), log phi(b)
    double[][] lh = new double[m][];
    double[][] lc = grad ? new double[m][] : null;
    double[][] lp = grad ? new double[m][] : null;
    for (int k = 0; k < m; k++) {
      int c = coords[k].length;
      lh[k] = new double[c];
      if (grad) {
        lc[k] = new double[c];
        lp[k] = new double[c];
      }
      for (int i = 0; i < c; i++) {
        double b = (coords[k][i] - mu[k]) / sd[k];
        lh[k][i] = NormalMath.logH(b);
        if (grad) {
          lc[k][i] = NormalMath.logCdf(b);
          lp[k][i] = NormalMath.logPdf(b);
        }
      }
    }
    double[] logBox = new double[boxes];
    double max = Double.NEGATIVE_INFINITY;
    for (int b = 0; b < boxes; b++) {
      double s = 0;
      for (int k = 0; k < m; k++) {
        s += logPsi(k, b, sd[k], lh);
      }
      logBox[b] = s;
      max = Math.max(max, s);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      if (grad) {
        Arrays.fill(dMu, 0.0);
        Arrays.fill(dSd, 0.0);
      }
      return Double.NEGATIVE_INFINITY;
    }
    double sum = 0;
    for (int b = 0; b < boxes; b++) {
      sum += Math.exp(logBox[b] - max);
    }
    double total = max + Math.log(sum);
    if (grad) {
      Arrays.fill(dMu, 0.0);
      Arrays.fill(dSd, 0.0);
      for (int b = 0; b < boxes; b++) {
        double w = Math.exp(logBox[b] - total);
        if (w == 0) {
          continue;
        }
        for (int k = 0; k < m; k++) {
          double lpsi = logPsi(k, b, sd[k], lh);
          int iu = upperIdx[b][k];
          int il = lowerIdx[b][k];
          double dm;
          double dsd;
          if (il < 0) {
            dm = -Math.exp(lc[k][iu] - lpsi);
            dsd = Math.exp(lp[k][iu] - lpsi);
          } else {
            dm = -Math.exp(lc[k][iu] + NormalMath.log1mexp(Math.min(-1e-300, lc[k][il] - lc[k][iu])) - lpsi);
            dsd = Math.exp(lp[k][iu] - lpsi) - Math.exp(lp[k][il] - lpsi);
          }
          dMu[k] += w * dm;
          dSd[k] += w * dsd;
        }
      }
    }
    return total;
  }

  private double logPsi(int k, int b, double sd, double[][] lh) {
    double lu = lh[k][upperIdx[b][k]];
    int il = lowerIdx[b][k];
    if (il < 0) {
      return Math.log(sd) + lu;
    }
    double diff = lh[k][il] - lu;
    return diff < 0 ? Math.log(sd) + lu + NormalMath.log1mexp(diff) : Double.NEGATIVE_INFINITY;
  }
}
