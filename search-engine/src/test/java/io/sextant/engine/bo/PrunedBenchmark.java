package io.sextant.engine.bo;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.random.RandomDesignerProvider;
import io.sextant.engine.stopping.StoppingRule;
import io.sextant.engine.stopping.StoppingRules;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark (not a test): gp-bo on {@link LearningCurves} without early stopping, with the median rule and with
 * ASHA (the API's defaults: median startupTrials 5; asha minResource 1, eta 3), plus random search, the same
 * number of trials of the same length. Prints per seed and the medians: final regret, steps spent, trials pruned,
 * proposals within 1e-3 of a pruned trial. Arguments: {@code seeds=0,1,2,3,4 trials=40 steps=20 designers=gp-bo}
 * (benchmarks/gp-bo/pruned.sh runs it with the Optuna peers; docs/benchmarks-gp-bo.md).
 */
public final class PrunedBenchmark {
  private PrunedBenchmark() {}

  public static void main(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (String a : args) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      o.put(kv[0], kv[1]);
    }
    long[] seeds = Arrays.stream(o.getOrDefault("seeds", "0,1,2,3,4").split(",")).mapToLong(Long::parseLong)
        .toArray();
    int trials = Integer.parseInt(o.getOrDefault("trials", "40"));
    int steps = Integer.parseInt(o.getOrDefault("steps", "20"));
    List<String> designers = List.of(o.getOrDefault("designers", "gp-bo,random").split(","));
    Map<String, Map<String, Object>> rules = new java.util.LinkedHashMap<>();
    rules.put("none", Map.of("rule", "none"));
    rules.put("median", Map.of("rule", "median"));
    rules.put("asha", Map.of("rule", "asha"));
    System.out.printf("# LearningCurves: %d trials x %d steps, seeds %s%n", trials, steps, Arrays.toString(seeds));
    for (String dn : designers) {
      for (var rule : rules.entrySet()) {
        StoppingRule r = StoppingRules.of(rule.getValue());
        double[] regret = new double[seeds.length];
        double[] spent = new double[seeds.length];
        double[] pruned = new double[seeds.length];
        double[] near = new double[seeds.length];
        long t0 = System.nanoTime();
        for (int i = 0; i < seeds.length; i++) {
          Designer d = dn.equals("random") ? new RandomDesignerProvider().create(LearningCurves.problem(), Map.of())
              : new GpBoDesignerProvider().create(LearningCurves.problem(), Map.of("seed", seeds[i]));
          LearningCurves.Run run = LearningCurves.run(d, r, trials, steps, seeds[i]);
          if (System.getenv("PRUNED_TRACE") != null) {
            double[] est = PrunedTrials.estimates(run.trials(), 1.0, new SpaceCodec(LearningCurves.problem().space())::encode);
            for (int k = 0; k < run.trials().size(); k++) {
              var t = run.trials().get(k);
              System.out.printf("    %d %s %s final %.4f last step %d est %.4f%n", t.number(), t.state(), t.params(),
                  LearningCurves.fin(t.params()), t.intermediate().isEmpty() ? 0 : t.intermediate().lastKey(), est[k]);
            }
          }
          regret[i] = run.regret();
          spent[i] = run.steps();
          pruned[i] = run.pruned();
          near[i] = run.nearPruned();
          System.out.printf("  %s %s seed=%d: regret %.4g, steps %d (%.0f%%), pruned %d, near-pruned %d%n", dn,
              rule.getKey(), seeds[i], run.regret(), run.steps(), 100.0 * run.steps() / (trials * steps),
              run.pruned(), run.nearPruned());
        }
        System.out.printf("%s %s: median regret %.4g [%s], median steps %.0f (%.0f%% of %d), pruned %.0f, "
                + "near-pruned %.0f, %.1f s%n", dn, rule.getKey(), BoBenchmark.median(regret), fmt(regret),
            BoBenchmark.median(spent), 100 * BoBenchmark.median(spent) / (trials * steps), trials * steps,
            BoBenchmark.median(pruned), BoBenchmark.median(near), (System.nanoTime() - t0) / 1e9);
      }
    }
  }

  private static String fmt(double[] v) {
    StringBuilder b = new StringBuilder();
    for (double x : v) {
      b.append(b.isEmpty() ? "" : ", ").append(String.format("%.3g", x));
    }
    return b.toString();
  }
}
