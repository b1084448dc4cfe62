package io.sextant.engine.bandit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * 1/2-Tsallis-INF (Zimmert and Seldin) as coded for Learning to Relax: arms drawn from
 * {@link LossEstimates#tsallis}, importance-weighted loss estimates, costs scaled by the running mean. A batch of
 * {@code count} draws i.i.d. from the same distribution.
 */
final class TsallisInfDesigner extends BanditDesigner {
  private final double rate;

  TsallisInfDesigner(String name, BanditSettings settings, double rate) {
    super(name, settings);
    this.rate = rate;
  }

  @Override
  Stats emptyStats() {
    return new LossEstimates(arms.size());
  }

  @Override
  Stats readStats(Map<?, ?> json) {
    return LossEstimates.read(json, arms.size());
  }

  @Override
  List<Choice> choose(Stats stats, Map<String, Object> context, int count, RandomGenerator rng) {
    double[] p = ((LossEstimates) stats).tsallis(rate);
    List<Choice> out = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      int a = sample(p, rng);
      out.add(new Choice(a, p[a]));
    }
    return out;
  }
}
