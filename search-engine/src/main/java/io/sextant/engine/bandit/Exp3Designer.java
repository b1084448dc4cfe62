package io.sextant.engine.bandit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Exp3 on importance-weighted, mean-scaled losses ({@link LossEstimates#exp3}); batches draw i.i.d. */
final class Exp3Designer extends BanditDesigner {
  private final double rate;
  private final double gamma;

  Exp3Designer(String name, BanditSettings settings, double rate, double gamma) {
    super(name, settings);
    this.rate = rate;
    this.gamma = gamma;
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
    double[] p = ((LossEstimates) stats).exp3(rate, gamma);
    List<Choice> out = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      int a = sample(p, rng);
      out.add(new Choice(a, p[a]));
    }
    return out;
  }
}
