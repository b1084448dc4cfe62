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
      case CHEAP, FUNNEL -> settings.tasks().forEach(t -> out.add(new Run(ProxySuite.CHEAP.get(t),
          ProxySuite.cheapSteps(t, settings.steps()), 0)));
      case FULL -> ProxySuite.FULL.forEach(t -> out.add(new Run(t, 2 * settings.steps(), 100)));
      case META -> ProxySuite.META.forEach(t -> out.add(new Run(t, 3 * settings.steps(), 1000)));
    }
    return out;
  }

  /** Per-task best losses of a program in a stage (CHEAP, FULL or META), +infinity where every lr diverged. */
  public double[] losses(Program program, Stage stage) {
    int seeds = stage == Stage.META ? settings.metaSeeds() : settings.seeds();
    return bestMeans(lossGrid(program, stage, 0, seeds), 0, seeds);
  }

  /**
   * Final validation losses {@code [task][lr][seed]} of a program on a stage's tasks at every lr of the sweep, for
   * {@code seeds} seeds numbered from {@code firstSeed} (added to the stage's own seed offset, so seeds 0 and 1 are
   * the ones {@link #losses} uses); +infinity for a run that diverged.
   */
  public double[][][] lossGrid(Program program, Stage stage, long firstSeed, int seeds) {
    CompiledProgram compiled = CompiledProgram.compile(program);
    List<Run> runs = runs(stage);
    double[] lrs = settings.lrSweep();
    double[][][] grid = new double[runs.size()][lrs.length][seeds];
    for (int k = 0; k < runs.size(); k++) {
      Run r = runs.get(k);
      for (int s = 0; s < seeds; s++) {
        long seed = r.seedOffset() + firstSeed + s;
        ProxyTask.Instance instance = r.task().instance(seed);
        for (int i = 0; i < lrs.length; i++) {
          grid[k][i][s] = ProxyRunner.finalLoss(compiled, instance, lrs[i], r.steps(), 7_000_003L * seed + 1);
        }
      }
    }
    return grid;
  }

  /** Per task of a {@link #lossGrid}, the best over the lr sweep of the mean loss over seeds {@code from..to-1}. */
  public static double[] bestMeans(double[][][] grid, int from, int to) {
    double[] best = new double[grid.length];
    for (int k = 0; k < grid.length; k++) {
      best[k] = Double.POSITIVE_INFINITY;
      for (double[] perSeed : grid[k]) {
        double sum = 0;
        for (int s = from; s < to; s++) {
          sum += perSeed[s];
        }
        best[k] = Math.min(best[k], sum / (to - from));
      }
    }
    return best;
  }

  /**
   * A stage fitness from per-task best losses and AdamW's: the geometric mean of the clamped ratios (a task where
   * the program diverged at every lr counts {@link #WORST}).
   */
  public static double fitness(double[] mine, double[] base) {
    double logSum = 0;
    for (int k = 0; k < mine.length; k++) {
      logSum += Math.log(ratio(mine[k], base[k]));
    }
    return Math.max(BEST_RATIO, Math.min(WORST, Math.exp(logSum / mine.length)));
  }

  private static double ratio(double mine, double base) {
    double ratio = Double.isFinite(mine) && base > 0 ? mine / base : WORST;
    return Math.max(BEST_RATIO, Math.min(WORST, ratio));
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
    for (int k = 0; k < mine.length; k++) {
      ratios.put(ids.get(k), ratio(mine[k], base[k]));
    }
    return new Score(fitness(mine, base), ratios);
  }
}
