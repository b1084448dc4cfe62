package io.sextant.engine.bandit;

import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Contextual Tsallis-INF by discretization (the reference's TsallisINFCB): [low, high] is split into {@code bins}
 * equal bins and an independent Tsallis-INF ({@link LossEstimates#tsallis}) (own loss estimates, own running-mean scale)
 * runs in the bin whose centre is nearest to the context. A request without a numeric context gets uniformly random
 * arms; trials without a context in their metadata are not learned from.
 */
final class BinnedTsallisInfDesigner extends BanditDesigner {
  private final ContextSettings context;
  private final int bins;
  private final double rate;

  BinnedTsallisInfDesigner(String name, BanditSettings settings, ContextSettings context, int bins, double rate) {
    super(name, settings);
    this.context = context;
    this.bins = bins;
    this.rate = rate;
  }

  /** Bin of context x: nearest of the centres low + (high - low)(j + 1/2) / bins. */
  int bin(double x) {
    double u = (x - context.low()) / (context.high() - context.low()) * bins;
    return (int) Math.max(0, Math.min(bins - 1, Math.floor(u)));
  }

  final class PerBin implements Stats {
    final LossEstimates[] bin = new LossEstimates[bins];

    PerBin() {
      for (int j = 0; j < bins; j++) {
        bin[j] = new LossEstimates(arms.size(), rate);
      }
    }

    @Override
    public void add(int arm, double cost, TrialView trial) {
      double x = trialContext(trial, context.key());
      if (!Double.isNaN(x)) {
        bin[bin(x)].add(arm, cost, trial);
      }
    }

    @Override
    public Map<String, Object> toJson() {
      List<Object> all = new ArrayList<>();
      for (LossEstimates b : bin) {
        all.add(b.toJson());
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("bins", List.copyOf(all));
      return m;
    }
  }

  @Override
  Stats emptyStats() {
    return new PerBin();
  }

  @Override
  Stats readStats(Map<?, ?> json) {
    List<?> all = (List<?>) json.get("bins");
    if (all.size() != bins) {
      throw new IllegalArgumentException("bin count changed");
    }
    PerBin p = new PerBin();
    for (int j = 0; j < bins; j++) {
      p.bin[j] = LossEstimates.read((Map<?, ?>) all.get(j), arms.size(), rate);
    }
    return p;
  }

  @Override
  List<Choice> choose(Stats stats, Map<String, Object> ctx, int count, RandomGenerator rng) {
    double x = contextValue(ctx, context.key());
    if (Double.isNaN(x)) {
      return uniform(count, rng);
    }
    return draw(((PerBin) stats).bin[bin(x)].tsallis(rate), count, rng);
  }
}
