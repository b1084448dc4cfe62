package io.sextant.engine.bandit;

import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.study.TrialView;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * GP-UCB over ordered arms ({@link GpRule}) on per-arm cost counts, sums and sums of squares; under the log transform
 * costs <= 0 are not learned from. Pending trials of other workers and earlier choices of a batch are virtual pulls,
 * so parallel workers spread out. The rule is deterministic up to exact ties (broken at random).
 */
final class GpUcbDesigner extends BanditDesigner {
  private final GpRule rule;
  private final boolean logCost;

  GpUcbDesigner(String name, BanditSettings settings, GpRule rule, boolean logCost) {
    super(name, settings);
    this.rule = rule;
    this.logCost = logCost;
  }

  @Override
  Stats emptyStats() {
    return new ArmMoments(arms.size(), logCost);
  }

  @Override
  Stats readStats(Map<?, ?> json) {
    return ArmMoments.read(json, arms.size(), logCost);
  }

  @Override
  List<Choice> choose(Stats stats, StudySnapshot study, int count, RandomGenerator rng) {
    long[] pending = new long[arms.size()];
    for (TrialView t : study.trials()) {
      int arm = t.state().isPending() ? arms.indexOf(t.params()) : -1;
      if (arm >= 0) {
        pending[arm]++;
      }
    }
    ArmMoments m = (ArmMoments) stats;
    return rule.choose(m.n, m.sum, m.sumSq, pending, count, rng);
  }

  @Override
  List<Choice> choose(Stats stats, Map<String, Object> context, int count, RandomGenerator rng) {
    ArmMoments m = (ArmMoments) stats;
    return rule.choose(m.n, m.sum, m.sumSq, new long[arms.size()], count, rng);
  }
}
