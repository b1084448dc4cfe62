package io.sextant.engine.mobo;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerContractTest;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.designer.random.RandomDesignerProvider;
import io.sextant.engine.nsga2.MoProblems;
import io.sextant.engine.nsga2.Nsga2DesignerProvider;
import io.sextant.engine.pareto.Hypervolume;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark (not a test) of the expensive multi-objective designers: hypervolume (ref 1.1) reached by ehvi, parego,
 * nsga2 (default options, population 50) and random search on ZDT1/2/3 (n = 30) and DTLZ2 (M = 3, n = 12), and
 * milliseconds per suggestion as the study grows. One run per (designer, problem, seed) with the largest budget; the
 * hypervolume at each smaller budget is that of the run's first trials (the ask/tell loop is sequential and
 * deterministic, so a shorter run would produce exactly that prefix). See docs/benchmarks-mo-expensive.md.
 *
 * <p>Arguments ({@code key=value}): {@code designers=ehvi,parego,nsga2,random problems=ZDT1,ZDT2,ZDT3,DTLZ2
 * seeds=1,2,3 budgets=100,200 threads=1 zdt-n=30}, plus {@code ref=1} to give ehvi and parego the benchmark's reference
 * point (1.1, ...) as its {@code referencePoint} option instead of letting it infer one. Each result line is printed as soon as its run ends.
 */
public final class ExpensiveMoBenchmark {
  private ExpensiveMoBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (String a : args) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      o.put(kv[0], kv[1]);
    }
    List<String> designers = List.of(o.getOrDefault("designers", "ehvi,parego,nsga2,random").split(","));
    List<String> problems = List.of(o.getOrDefault("problems", "ZDT1,ZDT2,ZDT3,DTLZ2").split(","));
    long[] seeds = Arrays.stream(o.getOrDefault("seeds", "1,2,3").split(",")).mapToLong(Long::parseLong).toArray();
    int[] budgets = Arrays.stream(o.getOrDefault("budgets", "100,200").split(",")).mapToInt(Integer::parseInt)
        .sorted().toArray();
    int threads = Integer.parseInt(o.getOrDefault("threads", "1"));
    int zdtN = Integer.parseInt(o.getOrDefault("zdt-n", "30"));
    List<Runnable> jobs = new ArrayList<>();
    for (String pn : problems) {
      MoProblems.Problem p = switch (pn) {
        case "ZDT1" -> MoProblems.zdt1(zdtN);
        case "ZDT2" -> MoProblems.zdt2(zdtN);
        case "ZDT3" -> MoProblems.zdt3(zdtN);
        case "DTLZ2" -> MoProblems.dtlz2(12, 3);
        default -> throw new IllegalArgumentException(pn);
      };
      for (String dn : designers) {
        for (long seed : seeds) {
          jobs.add(() -> run(dn, p, seed, budgets, o.containsKey("ref")));
        }
      }
    }
    System.out.printf("# %d runs, %d threads, budgets %s, cores %d%n", jobs.size(), threads, Arrays.toString(budgets),
        Runtime.getRuntime().availableProcessors());
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> fs = new ArrayList<>();
      for (Runnable j : jobs) {
        fs.add(pool.submit(j));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
  }

  private static Designer create(String name, MoProblems.Problem p, long seed, boolean givenRef) {
    List<Double> ref = Arrays.stream(p.ref()).boxed().toList();
    return switch (name) {
      case "ehvi" -> new EhviDesignerProvider().create(p.study(),
          givenRef ? Map.of("seed", seed, "referencePoint", ref) : Map.of("seed", seed));
      case "parego" -> new ParegoDesignerProvider().create(p.study(),
          givenRef ? Map.of("seed", seed, "referencePoint", ref) : Map.of("seed", seed));
      case "nsga2" -> new Nsga2DesignerProvider().create(p.study(), Map.of("seed", seed));
      case "random" -> new RandomDesignerProvider().create(p.study(), Map.of());
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** The API's ask/tell loop, one trial per ask (as MoProblems.run), timing every suggest. */
  private static void run(String name, MoProblems.Problem p, long seed, int[] budgets, boolean givenRef) {
    Designer d = create(name, p, seed, givenRef);
    int evaluations = budgets[budgets.length - 1];
    List<TrialView> history = new ArrayList<>();
    double[] ms = new double[evaluations];
    Map<String, Object> state = null;
    while (history.size() < evaluations) {
      var snap = DesignerContractTest.snapshotFor(d, p.study(), history);
      if (state != null) {
        snap = new io.sextant.engine.designer.StudySnapshot(snap.problem(), snap.issuedCount(), snap.trials(),
            java.util.Optional.of(state), snap.context());
      }
      long t0 = System.nanoTime();
      var prop = d.suggest(snap, 1, new SplittableRandom(seed + history.size()));
      ms[history.size()] = (System.nanoTime() - t0) / 1e6;
      state = prop.nextState().orElse(state);
      Suggestion s = prop.suggestions().get(0);
      double[] f = p.evaluate(s.params());
      Map<String, Double> metrics = new HashMap<>();
      for (int j = 0; j < f.length; j++) {
        metrics.put("f" + (j + 1), f[j]);
      }
      history.add(new TrialView(history.size() + 1, TrialState.COMPLETED, s.params(), f, metrics, s.metadata()));
    }
    StringBuilder hv = new StringBuilder();
    for (int b : budgets) {
      double[][] pts = history.subList(0, b).stream().map(TrialView::values).toArray(double[][]::new);
      double v = Hypervolume.of(pts, p.ref());
      hv.append(String.format(" hv@%d=%.6f (%.2f%%)", b, v, 100 * v / p.maxHypervolume()));
    }
    StringBuilder t = new StringBuilder();
    for (int at : new int[] {50, 100, 200}) {
      if (at <= evaluations) {
        // mean over the 10 suggestions made with at-10..at-1 trials in the study
        t.append(String.format(" ms@%d=%.0f", at, Arrays.stream(ms, at - 10, at).average().orElse(0)));
      }
    }
    Map<Object, Long> phases = new java.util.TreeMap<>();
    history.forEach(tr -> phases.merge(String.valueOf(tr.metadata().getOrDefault("phase", "-")), 1L, Long::sum));
    System.out.printf("%s%s %s M=%d n=%d seed=%d:%s;%s; total %.1f s; phases %s%n", name, givenRef && (name.equals("ehvi") || name.equals("parego")) ? "(ref 1.1)" : "", p.name(), p.m(), p.n(), seed,
        hv, t, Arrays.stream(ms).sum() / 1000, phases);
    if (System.getenv("MO_TRACE") != null) {
      history.forEach(tr -> System.out.println("  " + tr.number() + " " + Arrays.toString(tr.values()) + " "
          + tr.metadata()));
    }
    System.out.flush();
  }
}
