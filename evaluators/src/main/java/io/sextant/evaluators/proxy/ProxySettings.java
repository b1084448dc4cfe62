package io.sextant.evaluators.proxy;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.Options;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Options of the {@code optimizer-proxy} evaluator, validated.
 *
 * @param tasks cheap task ids (see {@link ProxySuite#CHEAP})
 * @param steps minibatch steps of a cheap run (mlp-spirals-32 1.5x, full runs 2x, meta runs 3x)
 * @param seeds seeds per task (instances and batches); the loss at one lr is the mean over seeds
 * @param metaSeeds seeds per meta-validation task (two seeds leave that measurement noisy: Lion's two-seed
 *     meta-validation fitness ranges 0.60-1.00 over disjoint seed pairs)
 * @param lrSweep values of the program's {@code lr} input tried; a task's score is the best over the sweep
 * @param stage which tasks score a program
 */
public record ProxySettings(List<String> tasks, int steps, int seeds, int metaSeeds, double[] lrSweep, Stage stage) {
  public static final Set<String> KNOWN = Set.of("tasks", "steps", "seeds", "metaSeeds", "lrSweep", "stage");
  public static final int DEFAULT_STEPS = 200;
  public static final int DEFAULT_SEEDS = 2;
  /**
   * Factor-2 grid from 8 to 1024. The reference programs scale lr by their own base (AdamW 1e-3, Lion 3e-4), so
   * this spans AdamW steps 0.008..1 and Lion steps 0.0024..0.3; measured best lrs on the cheap tasks: AdamW 32-256,
   * Lion 32-512 (ProgramSearchBenchmark calibrate).
   */
  public static final List<Double> DEFAULT_LR_SWEEP = List.of(8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0);

  public ProxySettings {
    tasks = List.copyOf(tasks);
    lrSweep = lrSweep.clone();
  }

  public static ProxySettings parse(Map<String, Object> config) {
    Options o = new Options(config).allowOnly(KNOWN);
    List<String> tasks = new ArrayList<>();
    Object t = config.getOrDefault("tasks", ProxySuite.DEFAULT_TASKS);
    if (!(t instanceof List<?> list) || list.isEmpty()) {
      throw new ConfigException("tasks", "option 'tasks' must be a non-empty list of " + ProxySuite.CHEAP.keySet());
    }
    for (Object id : list) {
      if (!(id instanceof String s) || !ProxySuite.CHEAP.containsKey(s) || tasks.contains(s)) {
        throw new ConfigException("tasks", "option 'tasks': unknown or repeated task " + id + " (known: "
            + ProxySuite.CHEAP.keySet() + ")");
      }
      tasks.add((String) id);
    }
    int steps = o.getInt("steps", DEFAULT_STEPS, 1, 100_000);
    int seeds = o.getInt("seeds", DEFAULT_SEEDS, 1, 100);
    int metaSeeds = o.getInt("metaSeeds", DEFAULT_SEEDS, 1, 100);
    Object s = config.getOrDefault("lrSweep", DEFAULT_LR_SWEEP);
    if (!(s instanceof List<?> sweep) || sweep.isEmpty() || sweep.size() > 100) {
      throw new ConfigException("lrSweep", "option 'lrSweep' must be a list of 1..100 positive numbers");
    }
    double[] lrs = new double[sweep.size()];
    for (int i = 0; i < lrs.length; i++) {
      if (!(sweep.get(i) instanceof Number n) || !(n.doubleValue() > 0) || !Double.isFinite(n.doubleValue())) {
        throw new ConfigException("lrSweep", "option 'lrSweep' must hold positive finite numbers");
      }
      lrs[i] = n.doubleValue();
    }
    Stage stage = Stage.valueOf(o.getString("stage", "funnel", Set.of("cheap", "full", "meta", "funnel"))
        .toUpperCase(Locale.ROOT));
    return new ProxySettings(tasks, steps, seeds, metaSeeds, lrs, stage);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProxySettings p && p.tasks.equals(tasks) && p.steps == steps && p.seeds == seeds
        && p.metaSeeds == metaSeeds && java.util.Arrays.equals(p.lrSweep, lrSweep) && p.stage == stage;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(tasks, steps, seeds, metaSeeds, java.util.Arrays.hashCode(lrSweep), stage);
  }

  @Override
  public double[] lrSweep() {
    return lrSweep.clone();
  }
}
