package io.sextant.engine.bandit;

import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A regression-based contextual bandit in the style of the reference's ChebCB (SquareCB-like inverse-gap
 * weighting). Features: Chebyshev polynomials T0..Td of the context mapped to [-1, 1]. Per arm a ridge regression of
 * the centred cost {@code cost - m} (m = mean cost of all contextual pulls) on the features, from the sufficient
 * statistics {@code X'X} and {@code X'y} (so it needs no trial history); the prediction is
 * {@code yhat_i = m + phi' theta_i}, an untried arm predicts m. With gaps {@code g_i = (yhat_i - min yhat) / s}
 * (s = |m|, 1 when 0), arm i != best gets probability {@code 1 / (K + eta g_i)}, the predicted best arm the rest,
 * with {@code eta = gamma * t} (t = contextual pulls + 1; the reference's eta also grows about linearly in t).
 * A request without a numeric context gets uniformly random arms; trials without a context are not learned from.
 *
 * <p>With {@code logCost} the regressions are of {@code log(cost)} (all of the above with log costs: m is the mean
 * log cost), trials with cost <= 0 are not learned from, and the gaps are not scaled (s = 1): a log-cost gap is
 * already a relative one. Iteration counts of a solver vary over orders of magnitude across the context range, and
 * their logarithm is much closer to a low-degree polynomial of the context than the counts themselves.
 */
final class ContextualCbDesigner extends BanditDesigner {
  private final ContextSettings context;
  private final int features;
  private final double gamma;
  private final double ridge;
  private final boolean logCost;

  ContextualCbDesigner(String name, BanditSettings settings, ContextSettings context, int degree, double gamma,
      double ridge, boolean logCost) {
    super(name, settings);
    this.logCost = logCost;
    this.context = context;
    this.features = degree + 1;
    this.gamma = gamma;
    this.ridge = ridge;
  }

  double[] phi(double x) {
    return ContextSettings.chebyshev(context.unit(x), features);
  }

  final class Regressions implements Stats {
    final double[][] xtx = new double[arms.size()][features * features];
    final double[][] xty = new double[arms.size()][features];
    long pulls;
    double costSum;

    @Override
    public void add(int arm, double cost, TrialView trial) {
      double x = trialContext(trial, context.key());
      if (Double.isNaN(x)) {
        return;
      }
      if (logCost) {
        if (!(cost > 0)) {
          return;
        }
        cost = Math.log(cost);
      }
      double[] f = phi(x);
      for (int a = 0; a < features; a++) {
        xty[arm][a] += f[a] * cost;
        for (int b = 0; b < features; b++) {
          xtx[arm][a * features + b] += f[a] * f[b];
        }
      }
      pulls++;
      costSum += cost;
    }

    @Override
    public Map<String, Object> toJson() {
      List<Object> a = new ArrayList<>();
      List<Object> b = new ArrayList<>();
      for (int i = 0; i < arms.size(); i++) {
        a.add(list(xtx[i]));
        b.add(list(xty[i]));
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("xtx", List.copyOf(a));
      m.put("xty", List.copyOf(b));
      m.put("pulls", pulls);
      m.put("costSum", costSum);
      return m;
    }

    /** Predicted cost of every arm at context x. */
    double[] predict(double x) {
      double m = pulls == 0 ? 0 : costSum / pulls;
      double[] f = phi(x);
      double[] out = new double[arms.size()];
      for (int i = 0; i < arms.size(); i++) {
        if (xtx[i][0] == 0) {
          out[i] = m;
          continue;
        }
        double[] g = new double[features * features];
        double[] r = new double[features];
        for (int a = 0; a < features; a++) {
          r[a] = xty[i][a] - m * xtx[i][a * features];
          for (int b = 0; b < features; b++) {
            g[a * features + b] = xtx[i][a * features + b] + (a == b ? ridge : 0);
          }
        }
        double[] theta = Cholesky.solve(g, r, features);
        double y = m;
        for (int a = 0; a < features; a++) {
          y += f[a] * theta[a];
        }
        out[i] = y;
      }
      return out;
    }
  }

  @Override
  Stats emptyStats() {
    return new Regressions();
  }

  @Override
  Stats readStats(Map<?, ?> json) {
    Regressions r = new Regressions();
    List<?> a = (List<?>) json.get("xtx");
    List<?> b = (List<?>) json.get("xty");
    if (a.size() != arms.size() || b.size() != arms.size()) {
      throw new IllegalArgumentException("arm count changed");
    }
    for (int i = 0; i < arms.size(); i++) {
      r.xtx[i] = doubles(a.get(i), features * features);
      r.xty[i] = doubles(b.get(i), features);
    }
    r.pulls = (long) num(json.get("pulls"));
    r.costSum = num(json.get("costSum"));
    return r;
  }

  /** The inverse-gap-weighting distribution at context x. Visible for tests. */
  double[] probabilities(Regressions r, double x) {
    int k = arms.size();
    double[] y = r.predict(x);
    int best = 0;
    for (int i = 1; i < k; i++) {
      if (y[i] < y[best]) {
        best = i;
      }
    }
    double m = r.pulls == 0 ? 0 : Math.abs(r.costSum / r.pulls);
    double s = logCost ? 1 : m > 0 && Double.isFinite(m) ? m : 1;
    double eta = gamma * (r.pulls + 1);
    double[] p = new double[k];
    double rest = 1;
    for (int i = 0; i < k; i++) {
      if (i != best) {
        p[i] = 1 / (k + eta * (y[i] - y[best]) / s);
        rest -= p[i];
      }
    }
    p[best] = rest;
    return p;
  }

  @Override
  List<Choice> choose(Stats stats, Map<String, Object> ctx, int count, RandomGenerator rng) {
    double x = contextValue(ctx, context.key());
    if (Double.isNaN(x)) {
      return uniform(count, rng);
    }
    double[] p = probabilities((Regressions) stats, x);
    List<Choice> out = new ArrayList<>(count);
    for (int c = 0; c < count; c++) {
      int a = sample(p, rng);
      out.add(new Choice(a, p[a]));
    }
    return out;
  }
}
