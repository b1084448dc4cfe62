package io.sextant.engine.bandit;

import io.sextant.engine.bo.gp.Cholesky;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * GP-UCB over ordered arms (Srinivas, Krause, Kakade, Seeger 2010) on the arms' mean costs: the non-contextual rule of
 * {@code gp-ucb} and of {@code linucb} when it has no context to use.
 *
 * <p><b>Observations.</b> Each pulled arm i contributes one observation, {@code z_i = log(mean cost_i)} (log
 * transform; the log of the mean, so the rule targets the mean cost, which is what a total over instances adds up,
 * not the mean log cost, which favours arms whose cost varies less) or the mean cost (identity), with noise variance
 * {@code phi_i / n_i}: phi_i is arm i's squared coefficient of variation (identity: its variance), shrunk towards the
 * average over the arms with two or more pulls by {@code 2} pseudo-pulls, so an arm whose cost hardly varies does not
 * make the others look certain.
 *
 * <p><b>Model.</b> A Gaussian process over the arm value with constant mean (the log of the overall mean cost), a
 * Matern-5/2 kernel of length scale {@code lengthScale} (a fraction of the arms' range: neighbouring arms share
 * information) and signal standard deviation 1 (log costs: a factor e) or the costs' standard deviation
 * (identity). Arms that are not numbers are independent (a white kernel).
 *
 * <p><b>Rule.</b> The arm with the lowest {@code posterior mean - alpha * posterior sd}; exact ties at random (before
 * any pull every arm ties). Pending pulls and earlier choices of a batch are virtual pulls: extra observations of the
 * arm at its posterior mean without them (the kriging believer), so they shrink the arm's uncertainty without moving
 * the model.
 */
final class GpRule {
  private static final double PSEUDO_PULLS = 2;

  private final Optional<double[]> positions;
  private final double lengthScale;
  private final double alpha;
  private final boolean logCost;

  /**
   * @param positions the arms' values mapped to [0, 1] (empty: arms are not ordered)
   * @param lengthScale Matern length scale as a fraction of [0, 1]
   */
  GpRule(Optional<double[]> positions, double lengthScale, double alpha, boolean logCost) {
    this.positions = positions;
    this.lengthScale = lengthScale;
    this.alpha = alpha;
    this.logCost = logCost;
  }

  /** The numeric arms' values mapped to [0, 1] (log values for a log-scale float), or empty. */
  static Optional<double[]> positions(Arms arms) {
    return LinUcbDesigner.numericArms(arms).map(v -> {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double x : v) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
      double[] p = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        p[i] = hi > lo ? (v[i] - lo) / (hi - lo) : 0;
      }
      return p;
    });
  }

  /** Posterior mean and standard deviation of every arm's (log) mean cost. */
  record Posterior(double[] mean, double[] sd) {}

  /**
   * Chooses {@code count} arms from per-arm pull counts, cost sums and sums of squares, with {@code pending} pulls
   * per arm still out.
   */
  List<BanditDesigner.Choice> choose(long[] n, double[] sum, double[] squares, long[] pending, int count,
      RandomGenerator rng) {
    int k = n.length;
    long[] virtual = pending.clone();
    List<BanditDesigner.Choice> out = new ArrayList<>(count);
    Posterior base = posterior(n, sum, squares, new long[k], null);
    for (int c = 0; c < count; c++) {
      boolean any = false;
      for (long v : virtual) {
        any |= v > 0;
      }
      Posterior p = any ? posterior(n, sum, squares, virtual, base) : base;
      double min = Double.POSITIVE_INFINITY;
      double[] bound = new double[k];
      for (int i = 0; i < k; i++) {
        bound[i] = p.mean()[i] - alpha * p.sd()[i];
        min = Math.min(min, bound[i]);
      }
      List<Integer> best = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        if (bound[i] <= min + 1e-12 * Math.max(1, Math.abs(min)) || Double.isNaN(min)) {
          best.add(i);
        }
      }
      int chosen = best.size() == 1 ? best.getFirst() : best.get(rng.nextInt(best.size()));
      out.add(new BanditDesigner.Choice(chosen, Double.NaN));
      virtual[chosen]++;
    }
    return out;
  }

  /**
   * The posterior given the pulls and {@code virtual} extra pulls per arm, whose outcome is the posterior mean of
   * {@code base} (the posterior without them).
   */
  Posterior posterior(long[] n, double[] sum, double[] squares, long[] virtual, Posterior base) {
    int k = n.length;
    long total = 0;
    double totalSum = 0;
    double totalSq = 0;
    double dispersion = 0;
    int dispersed = 0;
    for (int i = 0; i < k; i++) {
      total += n[i];
      totalSum += sum[i];
      totalSq += squares[i];
      if (n[i] >= 2) {
        dispersion += spread(n[i], sum[i], squares[i]);
        dispersed++;
      }
    }
    double mean = total == 0 ? 0 : totalSum / total;
    double mu0 = logCost ? (mean > 0 ? Math.log(mean) : 0) : mean;
    double signal;
    if (logCost) {
      signal = 1;
    } else {
      double var = total < 2 ? 0 : Math.max(0, (totalSq - totalSum * mean) / (total - 1));
      signal = var > 0 ? Math.sqrt(var) : Math.abs(mean) > 0 ? Math.abs(mean) : 1;
    }
    double prior = dispersed > 0 ? dispersion / dispersed : logCost ? 1 : signal * signal;
    List<Integer> obs = new ArrayList<>();
    List<Double> z = new ArrayList<>();
    List<Double> noise = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      double phi = prior;
      if (n[i] > 0 && (!logCost || sum[i] > 0)) {
        double m = sum[i] / n[i];
        phi = ((n[i] >= 2 ? (n[i] - 1) * spread(n[i], sum[i], squares[i]) : 0) + PSEUDO_PULLS * prior)
            / (Math.max(0, n[i] - 1) + PSEUDO_PULLS);
        obs.add(i);
        z.add(logCost ? Math.log(m) : m);
        noise.add(phi / n[i]);
      }
      if (virtual[i] > 0 && base != null) {
        // the believer: pulls still out count as observations of what the model expects there now
        obs.add(i);
        z.add(base.mean()[i]);
        noise.add(phi / virtual[i]);
      }
    }
    int m = obs.size();
    double s2 = signal * signal;
    double[] mu = new double[k];
    double[] sd = new double[k];
    if (m == 0) {
      java.util.Arrays.fill(mu, mu0);
      java.util.Arrays.fill(sd, signal);
      return new Posterior(mu, sd);
    }
    double[] kk = new double[m * m];
    double[] r = new double[m];
    for (int a = 0; a < m; a++) {
      for (int b = 0; b < m; b++) {
        kk[a * m + b] = s2 * kernel(obs.get(a), obs.get(b));
      }
      kk[a * m + a] += Math.max(noise.get(a), 1e-9 * s2);
      r[a] = z.get(a) - mu0;
    }
    double[][] l = Cholesky.decompose(kk, m);
    double[] alphaVec = Cholesky.solve(l, r);
    for (int i = 0; i < k; i++) {
      double[] ks = new double[m];
      double dot = 0;
      for (int a = 0; a < m; a++) {
        ks[a] = s2 * kernel(i, obs.get(a));
        dot += ks[a] * alphaVec[a];
      }
      double[] v = Cholesky.solveLower(l, ks);
      double q = 0;
      for (double x : v) {
        q += x * x;
      }
      mu[i] = mu0 + dot;
      sd[i] = Math.sqrt(Math.max(s2 - q, 1e-12 * s2));
    }
    return new Posterior(mu, sd);
  }

  /** Arm i's squared coefficient of variation (log transform) or variance (identity), n >= 2. */
  private double spread(long n, double sum, double squares) {
    double m = sum / n;
    double var = Math.max(0, (squares - sum * m) / (n - 1));
    return logCost ? (m > 0 ? var / (m * m) : 0) : var;
  }

  private double kernel(int i, int j) {
    if (positions.isEmpty()) {
      return i == j ? 1 : 0;
    }
    double d = Math.abs(positions.get()[i] - positions.get()[j]) / lengthScale;
    double s = Math.sqrt(5) * d;
    return (1 + s + s * s / 3) * Math.exp(-s);
  }
}
