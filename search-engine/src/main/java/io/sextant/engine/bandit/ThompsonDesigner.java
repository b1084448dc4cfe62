package io.sextant.engine.bandit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Gaussian Thompson sampling for costs. Untried arms are pulled first (uniformly at random among them). Otherwise
 * each arm's mean cost is drawn from {@code N(mean_i, v_i / n_i)} with the variance shrunk towards the pooled one,
 * {@code v_i = (sum of squared deviations_i + v0) / n_i}, v0 = pooled sample variance of all costs (or mean^2, or
 * 1, while that is 0), and the arm with the smallest draw is chosen. A batch draws independently per suggestion.
 */
final class ThompsonDesigner extends BanditDesigner {
  ThompsonDesigner(String name, BanditSettings settings) {
    super(name, settings);
  }

  @Override
  Stats emptyStats() {
    return new ArmMoments(arms.size());
  }

  @Override
  Stats readStats(Map<?, ?> json) {
    return ArmMoments.read(json, arms.size());
  }

  @Override
  List<Choice> choose(Stats stats, Map<String, Object> context, int count, RandomGenerator rng) {
    ArmMoments m = (ArmMoments) stats;
    int k = arms.size();
    double v0 = m.pooledVariance();
    if (!(v0 > 0)) {
      double mean = m.mean();
      v0 = mean != 0 ? mean * mean : 1;
    }
    List<Integer> untried = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      if (m.n[i] == 0) {
        untried.add(i);
      }
    }
    List<Choice> out = new ArrayList<>(count);
    for (int c = 0; c < count; c++) {
      if (!untried.isEmpty()) {
        out.add(new Choice(untried.remove(rng.nextInt(untried.size())), Double.NaN));
        continue;
      }
      int best = 0;
      double bestDraw = Double.POSITIVE_INFINITY;
      for (int i = 0; i < k; i++) {
        if (m.n[i] == 0) {
          continue;
        }
        double mean = m.sum[i] / m.n[i];
        double ss = Math.max(0, m.sumSq[i] - m.sum[i] * mean);
        double var = (ss + v0) / m.n[i] / m.n[i];
        double draw = mean + Math.sqrt(var) * rng.nextGaussian();
        if (draw < bestDraw) {
          bestDraw = draw;
          best = i;
        }
      }
      out.add(new Choice(best, Double.NaN));
    }
    return out;
  }
}
