package io.sextant.engine.bandit;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The adversarial bandits that draw arms from a distribution over importance-weighted, mean-scaled loss estimates
 * ({@link LossEstimates}): Exp3 ({@link LossEstimates#exp3}) and 1/2-Tsallis-INF as coded for Learning to Relax
 * ({@link LossEstimates#tsallis}, Zimmert and Seldin). Only the distribution differs; a batch of {@code count} draws
 * i.i.d. from it.
 */
final class LossSamplingDesigner extends BanditDesigner {
  private final Function<LossEstimates, double[]> policy;
  private final double rate;

  /** {@code rate}: the learning-rate multiplier, which sets the gate of the reduced-variance estimator. */
  LossSamplingDesigner(String name, BanditSettings settings, double rate, Function<LossEstimates, double[]> policy) {
    super(name, settings);
    this.rate = rate;
    this.policy = policy;
  }

  @Override
  Stats emptyStats() {
    return new LossEstimates(arms.size(), rate);
  }

  @Override
  Stats readStats(Map<?, ?> json) {
    return LossEstimates.read(json, arms.size(), rate);
  }

  @Override
  List<Choice> choose(Stats stats, Map<String, Object> context, int count, RandomGenerator rng) {
    return draw(policy.apply((LossEstimates) stats), count, rng);
  }
}
