package io.sextant.evaluators.proxy;

import io.sextant.engine.program.CompiledProgram;
import io.sextant.engine.program.Program;
import io.sextant.engine.program.ReferencePrograms;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores optimizer programs on proxy tasks, normalized against AdamW: per task, the best (over the lr sweep) mean
 * (over seeds) final validation loss divided by AdamW's on the same sweep; a stage's fitness is the geometric mean
 * of these ratios, each clamped to [{@link #BEST_RATIO}, {@link #WORST}] (a program that diverges at every lr, or
 * yields NaN/inf, scores {@link #WORST}). Lower is better; AdamW scores 1. Thread-safe: AdamW's losses per stage are
 * computed once, on first use.
 */
public final class OptimizerProxy {
  /** Fitness of a program that fails every run; also the clamp of a task ratio. */
  public static final double WORST = 10.0;
  public static final double BEST_RATIO = 1e-3;

  private final ProxySettings settings;
  private final Map<Stage, double[]> baselines = new java.util.concurrent.ConcurrentHashMap<>();

  public OptimizerProxy(ProxySettings settings) {
    this.settings = settings;
  }

  public ProxySettings settings() {
    return settings;
  }

  /** A task with its run length and seed offset. */
  private record Run(ProxyTask task, int steps, long seedOffset) {}

  private List<Run> runs(Stage stage) {
    List<Run> out = new ArrayList<>();
    switch (stage) {
      case CHEAP, FUNNEL -> settings.tasks().forEach(t -> out.add(new Run(ProxySuite.CHEAP.get(t), settings.steps(), 0)));
      case FULL -> ProxySuite.FULL.forEach(t -> out.add(new Run(t, 2 * settings.steps(), 100)));
      case META -> ProxySuite.META.forEach(t -> out.add(new Run(t, 3 * settings.steps(), 1000)));
    }
    return out;
  }

  /** Per-task best losses of a program in a stage (CHEAP, FULL or META), +infinity where every lr diverged. */
  public double[] losses(Program program, Stage stage) {
    CompiledProgram compiled = CompiledProgram.compile(program);
    List<Run> runs = runs(stage);
    double[] best = new double[runs.size()];
    for (int k = 0; k < runs.size(); k++) {
      Run r = runs.get(k);
      ProxyTask.Instance[] instances = new ProxyTask.Instance[settings.seeds()];
      for (int s = 0; s < instances.length; s++) {
        instances[s] = r.task().instance(r.seedOffset() + s);
      }
      best[k] = Double.POSITIVE_INFINITY;
      for (double lr : settings.lrSweep()) {
        double sum = 0;
        for (int s = 0; s < instances.length && Double.isFinite(sum); s++) {
          sum += ProxyRunner.finalLoss(compiled, instances[s], lr, r.steps(), 7_000_003L * (r.seedOffset() + s) + 1);
        }
        best[k] = Math.min(best[k], sum / instances.length);
      }
    }
    return best;
  }

  /** Task ids of a stage, in the order of {@link #losses}. */
  public List<String> taskIds(Stage stage) {
    return runs(stage).stream().map(r -> r.task().id()).toList();
  }

  private double[] baseline(Stage stage) {
    return baselines.computeIfAbsent(stage == Stage.FUNNEL ? Stage.CHEAP : stage,
        s -> losses(ReferencePrograms.adamw(), s));
  }

  /** Fitness of a program in one stage, with the per-task ratios (task id -> ratio). */
  public record Score(double fitness, Map<String, Double> ratios) {
    public Score {
      ratios = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ratios));
    }
  }

  public Score score(Program program, Stage stage) {
    Stage s = stage == Stage.FUNNEL ? Stage.CHEAP : stage;
    double[] base = baseline(s);
    double[] mine = losses(program, s);
    List<String> ids = taskIds(s);
    Map<String, Double> ratios = new LinkedHashMap<>();
    double logSum = 0;
    for (int k = 0; k < mine.length; k++) {
      double ratio = Double.isFinite(mine[k]) && base[k] > 0 ? mine[k] / base[k] : WORST;
      ratio = Math.max(BEST_RATIO, Math.min(WORST, ratio));
      ratios.put(ids.get(k), ratio);
      logSum += Math.log(ratio);
    }
    return new Score(Math.max(BEST_RATIO, Math.min(WORST, Math.exp(logSum / mine.length))), ratios);
  }
}
