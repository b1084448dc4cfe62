package io.sextant.engine.bandit;

import io.sextant.engine.bo.gp.Cholesky;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A regression-based contextual bandit in the style of the reference's ChebCB (SquareCB-like inverse-gap
 * weighting), on every field of the context ({@link ContextFeatures}: numbers as Chebyshev polynomials T1..Td of their
 * value scaled to the range seen, strings one-hot, missing numbers imputed by the mean). Per arm a ridge regression of
 * the centred cost {@code cost - m} (m = mean cost of all pulls) on those features, from the per-arm sums of
 * {@link ContextStats} (so it needs no trial history); the prediction is {@code yhat_i = m + phi' theta_i}, an
 * untried arm predicts m. With gaps {@code g_i = (yhat_i - min yhat) / s} (s = |m|, 1 when 0), arm i != best gets
 * probability {@code 1 / (K + eta g_i)}, the predicted best arm the rest, with {@code eta = gamma * t} (t = pulls + 1;
 * the reference's eta also grows about linearly in t).
 *
 * <p>Without a usable context (no field seen, or {@code contextFields: []}) the features are the intercept alone: a
 * per-arm mean with inverse-gap weighting, a sound non-contextual learner.
 *
 * <p>With {@code logCost} the regressions are of {@code log(cost)} (m is the mean log cost), trials with cost <= 0
 * are not learned from, and the gaps are not scaled (s = 1): a log-cost gap is already a relative one.
 */
final class ContextualCbDesigner extends BanditDesigner {
  private final ContextFeatures features;
  private final double gamma;
  private final double ridge;
  private final boolean logCost;

  ContextualCbDesigner(String name, BanditSettings settings, ContextFeatures features, double gamma, double ridge,
      boolean logCost) {
    super(name, settings);
    this.features = features;
    this.logCost = logCost;
    this.gamma = gamma;
    this.ridge = ridge;
  }

  @Override
  Stats emptyStats() {
    return new ContextStats(features, arms.size(), logCost);
  }

  @Override
  Stats readStats(Map<?, ?> json) {
    return ContextStats.read(json, features, arms.size(), logCost);
  }

  /** Predicted cost (or log cost) of every arm at context ctx. */
  double[] predict(ContextStats s, Map<?, ?> ctx) {
    ContextStats.FitSpace space = s.fitSpace(null);
    int d = space.size();
    long pulls = s.total();
    double sum = 0;
    for (double y : s.ySum) {
      sum += y;
    }
    double m = pulls == 0 ? 0 : sum / pulls;
    double[] f = space.features(ctx);
    double[] out = new double[arms.size()];
    for (int i = 0; i < arms.size(); i++) {
      if (s.n[i] == 0) {
        out[i] = m;
        continue;
      }
      double[] g = space.gram(i).clone();
      double[] xy = space.xy(i);
      double[] xs = space.xsum(i);
      double[] r = new double[d];
      for (int a = 0; a < d; a++) {
        r[a] = xy[a] - m * xs[a];
        g[a * d + a] += ridge;
      }
      double[] theta = Cholesky.solve(Cholesky.decompose(g, d), r);
      double y = m;
      for (int a = 0; a < d; a++) {
        y += f[a] * theta[a];
      }
      out[i] = y;
    }
    return out;
  }

  /** The inverse-gap-weighting distribution at context ctx. Visible for tests. */
  double[] probabilities(ContextStats s, Map<?, ?> ctx) {
    int k = arms.size();
    double[] y = predict(s, ctx);
    int best = 0;
    for (int i = 1; i < k; i++) {
      if (y[i] < y[best]) {
        best = i;
      }
    }
    long pulls = s.total();
    double sum = 0;
    for (double v : s.ySum) {
      sum += v;
    }
    double m = pulls == 0 ? 0 : Math.abs(sum / pulls);
    double scale = logCost ? 1 : m > 0 && Double.isFinite(m) ? m : 1;
    double eta = gamma * (pulls + 1);
    double[] p = new double[k];
    double rest = 1;
    for (int i = 0; i < k; i++) {
      if (i != best) {
        p[i] = 1 / (k + eta * (y[i] - y[best]) / scale);
        rest -= p[i];
      }
    }
    p[best] = rest;
    return p;
  }

  @Override
  List<Choice> choose(Stats stats, Map<String, Object> ctx, int count, RandomGenerator rng) {
    double[] p = probabilities((ContextStats) stats, features.enabled() ? ctx : Map.of());
    List<Choice> out = new ArrayList<>(count);
    for (int c = 0; c < count; c++) {
      int a = sample(p, rng);
      out.add(new Choice(a, p[a]));
    }
    return out;
  }
}
