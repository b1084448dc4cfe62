package io.sextant.engine.bandit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * UCB1 for costs: every arm is pulled once (untried arms first, uniformly at random among them), then the arm
 * minimizing {@code mean_i / s - c sqrt(2 ln N / n_i)} (s = |mean cost| over all pulls, so the bonus is in units of
 * the typical cost; N = all pulls; ties to the lowest index). Within a batch each choice adds a virtual pull with an
 * unchanged mean (an untried arm's mean then counts as the overall mean), so a batch spreads over arms.
 */
final class Ucb1Designer extends BanditDesigner {
  private final double exploration;

  Ucb1Designer(String name, BanditSettings settings, double exploration) {
    super(name, settings);
    this.exploration = exploration;
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
    long[] virtual = new long[k];
    double s = m.scale();
    double overall = m.mean();
    long total = m.total();
    List<Choice> out = new ArrayList<>(count);
    for (int c = 0; c < count; c++) {
      List<Integer> untried = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        if (m.n[i] + virtual[i] == 0) {
          untried.add(i);
        }
      }
      int best;
      if (!untried.isEmpty()) {
        best = untried.get(rng.nextInt(untried.size()));
      } else {
        best = 0;
        double bestIndex = Double.POSITIVE_INFINITY;
        double logN = Math.log(Math.max(2, total));
        for (int i = 0; i < k; i++) {
          long ni = m.n[i] + virtual[i];
          double mean = m.n[i] > 0 ? m.sum[i] / m.n[i] : overall;
          double index = mean / s - exploration * Math.sqrt(2 * logN / ni);
          if (index < bestIndex) {
            bestIndex = index;
            best = i;
          }
        }
      }
      virtual[best]++;
      total++;
      out.add(new Choice(best, Double.NaN));
    }
    return out;
  }
}
