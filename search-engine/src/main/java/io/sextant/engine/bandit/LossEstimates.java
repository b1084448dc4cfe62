package io.sextant.engine.bandit;

import io.sextant.engine.study.TrialView;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Importance-weighted cumulative loss estimates, as in the Learning-to-Relax Tsallis-INF code: for every pull with a
 * recorded draw probability p, the pulled arm's estimate grows by {@code (cost - 1) / p}; every usable pull (with or
 * without p) enters the running mean cost. Losses are divided by the scale {@code s = |mean cost - 1|} when turned
 * into probabilities (s = 1 while no cost, or a mean of exactly 1, was seen).
 *
 * <p>Also kept, for the optional reduced-variance estimator ({@link #estimates}): per arm the sum of {@code 1 / p}
 * over its weighted pulls whose p was at least {@code eta_t^2 = (gateRate * 2)^2 / t} (t = the trial's number), the
 * gate of Zimmert and Seldin's reduced-variance estimator.
 */
final class LossEstimates implements BanditDesigner.Stats {
  final double[] lhat;
  /** Per arm, the sum of 1 / p over its gated weighted pulls (see the class doc). */
  final double[] invp;
  private final double gateRate;
  long pulls;
  double costSum;

  LossEstimates(int arms) {
    this(arms, 1);
  }

  /** Empty estimates whose baseline gate uses eta_t = gateRate * 2 / sqrt(t). */
  LossEstimates(int arms, double gateRate) {
    lhat = new double[arms];
    invp = new double[arms];
    this.gateRate = gateRate;
  }

  /** Reads {@link #toJson()}; a state without {@code invp} (written before it existed) reads as zero sums. */
  static LossEstimates read(Map<?, ?> json, int arms, double gateRate) {
    LossEstimates s = new LossEstimates(arms, gateRate);
    System.arraycopy(BanditDesigner.doubles(json.get("lhat"), arms), 0, s.lhat, 0, arms);
    if (json.containsKey("invp")) {
      System.arraycopy(BanditDesigner.doubles(json.get("invp"), arms), 0, s.invp, 0, arms);
    }
    s.pulls = (long) BanditDesigner.num(json.get("pulls"));
    s.costSum = BanditDesigner.num(json.get("costSum"));
    return s;
  }

  @Override
  public void add(int arm, double cost, TrialView trial) {
    pulls++;
    costSum += cost;
    double p = BanditDesigner.probability(trial);
    if (!Double.isNaN(p)) {
      lhat[arm] += (cost - 1) / p;
      if (p * trial.number() >= 4 * gateRate * gateRate) {
        invp[arm] += 1 / p;
      }
    }
  }

  @Override
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lhat", BanditDesigner.list(lhat));
    m.put("invp", BanditDesigner.list(invp));
    m.put("pulls", pulls);
    m.put("costSum", costSum);
    return m;
  }

  double scale() {
    if (pulls == 0) {
      return 1;
    }
    double s = Math.abs(costSum / pulls - 1);
    return s > 0 && Double.isFinite(s) ? s : 1;
  }

  /**
   * 1/2-Tsallis-INF probabilities with {@code eta = rate * 2 / sqrt(t)}, t = pulls + 1:
   * {@code p_i = 4 / (eta (L_i - x))^2}, L_i = lhat_i / s, with the normalizer x < min L found by Newton's method
   * {@code x <- x - (sum p - 1) / (eta sum p^1.5)}. The reference starts at x = -1 with 20 steps; here the start is
   * {@code min L - 2 / eta} (where the best arm alone has p = 1, so sum p >= 1): f(x) = sum p - 1 is increasing and
   * convex left of min L, so Newton from there decreases monotonically to the root and never jumps past the pole
   * (the reference's start can, once estimates are large). Up to 100 steps, then p is renormalized to sum 1.
   */
  double[] tsallis(double rate) {
    return tsallis(rate, Double.NaN);
  }

  /**
   * The cumulative loss estimates. NaN baseline: the reference's, {@code sum (cost - 1) / p} (lhat itself). Otherwise
   * Zimmert and Seldin's reduced-variance estimator: a pull that passed the gate (p >= eta_t^2) contributes
   * {@code (cost - b) / p} instead, with {@code b = baseline * running mean cost} (their b = 1/2 is the middle of a
   * [0, 1] loss range; baseline 1 centres the estimates on the mean cost); pulls below the gate keep the reference
   * term, so a rarely drawn arm cannot receive a huge negative estimate. The +b that their estimator adds to every arm
   * does not change the distribution and is left out. Order-independent: lhat and the gated sums of 1 / p.
   */
  double[] estimates(double baseline) {
    double[] out = lhat.clone();
    if (!Double.isNaN(baseline)) {
      double b = baseline * (pulls == 0 ? 0 : costSum / pulls);
      for (int i = 0; i < out.length; i++) {
        out[i] -= (b - 1) * invp[i];
      }
    }
    return out;
  }

  /** {@link #tsallis(double)} on {@link #estimates(double) estimates(baseline)}. */
  double[] tsallis(double rate, double baseline) {
    int k = lhat.length;
    double eta = rate * 2 / Math.sqrt(pulls + 1.0);
    double s = scale();
    double[] e = estimates(baseline);
    double[] l = new double[k];
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < k; i++) {
      l[i] = e[i] / s;
      min = Math.min(min, l[i]);
    }
    double x = min - 2 / eta;
    double[] p = new double[k];
    for (int step = 0; step < 100; step++) {
      double sum = 0;
      double sum15 = 0;
      for (int i = 0; i < k; i++) {
        double d = eta * (l[i] - x);
        p[i] = 4 / (d * d);
        sum += p[i];
        sum15 += p[i] * Math.sqrt(p[i]);
      }
      double dx = (sum - 1) / (eta * sum15);
      x -= dx;
      if (Math.abs(sum - 1) < 1e-13) {
        break;
      }
    }
    return normalized(p);
  }

  /**
   * Exp3 probabilities: {@code (1 - gamma) softmax(-eta L) + gamma / K} with L_i = lhat_i / s and the anytime rate
   * {@code eta = rate * sqrt(2 ln K / (K t))}, t = pulls + 1.
   */
  double[] exp3(double rate, double gamma) {
    int k = lhat.length;
    double eta = rate * Math.sqrt(2 * Math.log(k) / (k * (pulls + 1.0)));
    double s = scale();
    double min = Double.POSITIVE_INFINITY;
    for (double v : lhat) {
      min = Math.min(min, v / s);
    }
    double[] p = new double[k];
    for (int i = 0; i < k; i++) {
      p[i] = Math.exp(-eta * (lhat[i] / s - min));
    }
    p = normalized(p);
    for (int i = 0; i < k; i++) {
      p[i] = (1 - gamma) * p[i] + gamma / k;
    }
    return p;
  }

  static double[] normalized(double[] p) {
    double sum = 0;
    for (double v : p) {
      sum += v;
    }
    double[] out = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = sum > 0 && Double.isFinite(sum) ? p[i] / sum : 1.0 / p.length;
    }
    return out;
  }
}
