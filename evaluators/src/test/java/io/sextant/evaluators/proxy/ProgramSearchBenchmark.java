package io.sextant.evaluators.proxy;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.program.Expr;
import io.sextant.engine.program.Fn;
import io.sextant.engine.program.Mutator;
import io.sextant.engine.program.Program;
import io.sextant.engine.program.ProgramEvolutionProvider;
import io.sextant.engine.program.ProgramGraph;
import io.sextant.engine.program.ProgramJson;
import io.sextant.engine.program.ReferencePrograms;
import io.sextant.engine.program.Simplifier;
import io.sextant.engine.program.Statement;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import io.sextant.evaluators.testing.TestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The program-search benchmark of issue 4 (not a test). Runs the program-evolution designer and the optimizer-proxy
 * evaluator in-process (ask/tell with TrialView lists and the designer state, as the API does) from an AdamW warm
 * start for a budget of distinct evaluated programs, then random search (random programs, same budget, same
 * evaluator, same dedup). Prints the best program simplified, its meta-validation fitness against AdamW (1.0) and
 * Lion, evaluations used, cache hit rate and whether it is in Lion's family.
 *
 * <p>Run after {@code mvn -o -q test-compile -pl search-engine,evaluators}:
 * {@code java -cp search-engine/target/classes:evaluators/target/classes:evaluators/target/test-classes
 * io.sextant.evaluators.proxy.ProgramSearchBenchmark search EVALS SEED [POPULATION TOURNAMENT] [--workers N]
 * [--mutations insert,delete,modify,function] [--no-random] [--tasks a,b] [--plateau N] [--seeds N]
 * [--meta-seeds N] [--finalists K]}, {@code ... ProgramSearchBenchmark calibrate} (reference programs per task and
 * lr) or {@code ... ProgramSearchBenchmark rescore [SEEDS]} (earlier searches' best programs and the references on
 * the meta-validation tasks with SEEDS seeds). With {@code --workers N}, N programs are evaluated at once,
 * asynchronously as on N executor slots: when one finishes, the designer proposes the next with the others pending in
 * its snapshot. After the search, the top K programs by selection fitness are re-run on the full stage with fresh
 * seeds to pick a finalist, and the best, the finalist, Lion and AdamW are measured on the meta-validation tasks with
 * {@code --meta-seeds} seeds (default 20; see {@link HeldOutCheck}).
 */
public final class ProgramSearchBenchmark {
  private static final TestContext CONTEXT = new TestContext(List.of("fitness"), 0);

  private static final StudyProblem PROBLEM = new StudyProblem(SearchSpace.EMPTY,
      List.of(new Objective("fitness", Direction.MINIMIZE)), List.of());

  public static void main(String[] args) {
    String mode = args.length > 0 ? args[0] : "search";
    if (mode.equals("calibrate")) {
      calibrate();
      return;
    }
    if (mode.equals("rescore")) {
      rescore(args.length > 1 ? Integer.parseInt(args[1]) : 20);
      return;
    }
    List<String> positional = new ArrayList<>();
    int workers = 1;
    List<String> mutations = null;
    boolean random = true;
    List<String> tasks = null;
    Long plateau = null;
    int metaSeeds = 20;
    Integer seeds = null;
    int finalists = 8;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--tasks" -> tasks = List.of(args[++i].split(","));
        case "--plateau" -> plateau = Long.parseLong(args[++i]);
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--mutations" -> mutations = List.of(args[++i].split(","));
        case "--no-random" -> random = false;
        case "--meta-seeds" -> metaSeeds = Integer.parseInt(args[++i]);
        case "--seeds" -> seeds = Integer.parseInt(args[++i]);
        case "--finalists" -> finalists = Integer.parseInt(args[++i]);
        default -> positional.add(args[i]);
      }
    }
    int evals = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 2000;
    long seed = positional.size() > 1 ? Long.parseLong(positional.get(1)) : 1;
    int population = positional.size() > 2 ? Integer.parseInt(positional.get(2)) : 100;
    int tournament = positional.size() > 3 ? Integer.parseInt(positional.get(3)) : 10;
    Map<String, Object> options = new LinkedHashMap<>(Map.of("population", population, "tournament", tournament,
        "seed", seed));
    if (mutations != null) {
      options.put("mutations", mutations);
    }
    if (plateau != null) {
      options.put("plateau", plateau);
    }
    System.out.printf("search: %d evaluations, seed %d, %d workers, options %s%n", evals, seed, workers, options);
    Map<String, Object> evaluator = new LinkedHashMap<>();
    if (tasks != null) {
      evaluator.put("tasks", tasks);
    }
    if (seeds != null) {
      evaluator.put("seeds", seeds);
    }
    OptimizerProxy proxy = new OptimizerProxy(ProxySettings.parse(evaluator));
    System.out.printf("evaluator options %s%n", evaluator);
    long t0 = System.nanoTime();
    proxy.score(ReferencePrograms.adamw(), Stage.CHEAP);
    System.out.printf("AdamW baseline (cheap) in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    Map<String, Object> lionMeta = new LinkedHashMap<>();
    for (var e : Map.of("lion", ReferencePrograms.lion(), "adamw", ReferencePrograms.adamw(),
        "momentum", ReferencePrograms.momentum(), "sgd", ReferencePrograms.sgd()).entrySet()) {
      double c = proxy.score(e.getValue(), Stage.CHEAP).fitness();
      double f = proxy.score(e.getValue(), Stage.FULL).fitness();
      double m = proxy.score(e.getValue(), Stage.META).fitness();
      System.out.printf("reference %-8s cheap %.3f full %.3f meta %.3f%n", e.getKey(), c, f, m);
      lionMeta.put(e.getKey(), m);
    }
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      Result evo = evolution(proxy, evals, seed, options, workers, pool);
      report("evolution", evo, proxy);
      Map<String, Program> held = new LinkedHashMap<>();
      held.put("evolution best", evo.best());
      if (finalists > 0) {
        held.put("evolution finalist", finalist(proxy, evo.top(finalists)));
      }
      if (random) {
        Result rnd = randomSearch(proxy, evals, seed, workers, pool);
        report("random", rnd, proxy);
        held.put("random best", rnd.best());
      }
      held.put("lion", ReferencePrograms.lion());
      held.put("adamw", ReferencePrograms.adamw());
      held.put("adam (adamw, wd 0)", ReferencePrograms.adamw(0.9, 0.999, 0.0, 0.001));
      new HeldOutCheck(proxy, Stage.META, 0, metaSeeds).report("\nmeta-validation", held, "lion",
          "adam (adamw, wd 0)");
    } finally {
      pool.shutdown();
    }
  }

  /** Evaluates the programs' params in parallel on the pool, in order. */
  private static List<Map<String, Double>> evaluateAll(OptimizerProxy proxy, List<Map<String, Object>> params,
      ExecutorService pool) {
    List<Future<Map<String, Double>>> futures = new ArrayList<>();
    for (Map<String, Object> p : params) {
      futures.add(pool.submit(() -> OptimizerProxyProvider.evaluate(proxy, p, CONTEXT)));
    }
    return futures.stream().map(ProgramSearchBenchmark::await).toList();
  }

  /** The future's value; an evaluation's exception ends the benchmark. */
  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * A search's outcome; {@code ranked} holds every distinct program that completed the funnel's full stage with its
   * selection fitness, best first.
   */
  record Result(Program best, double bestFitness, int evaluations, long generated, double hitRate, double seconds,
      List<String> curve, List<Map.Entry<Program, Double>> ranked) {
    /** The best {@code k} programs by selection fitness. */
    List<Program> top(int k) {
      return ranked.stream().limit(k).map(Map.Entry::getKey).toList();
    }
  }

  /** Collects the programs that ran the funnel's full stage, keyed by graph hash. */
  private static final class Ranking {
    private final Map<Long, Map.Entry<Program, Double>> byHash = new java.util.HashMap<>();

    void add(Program p, Map<String, Double> metrics) {
      if (metrics.getOrDefault("funnel_stage", 1.0) >= 2) {
        byHash.putIfAbsent(ProgramGraph.of(p).hash(), Map.entry(p, metrics.get("fitness")));
      }
    }

    List<Map.Entry<Program, Double>> ranked() {
      return byHash.values().stream().sorted(Map.Entry.comparingByValue()).toList();
    }
  }

  /**
   * The paper's funnel taken one step further for the final choice: the top programs by selection fitness are
   * re-run on the full stage's tasks with eight fresh seeds (never used during the search, disjoint from the
   * meta-validation seeds) and the best there is the finalist. Selection still never sees meta-validation.
   */
  static Program finalist(OptimizerProxy proxy, List<Program> top) {
    HeldOutCheck fresh = new HeldOutCheck(proxy, Stage.FULL, 50, 8);
    Program best = null;
    double bestFit = Double.POSITIVE_INFINITY;
    System.out.printf("%nfinalists (top %d by selection fitness) on the full stage with 8 fresh seeds:%n", top.size());
    for (Program p : top) {
      double f = fresh.measure(p).pooled();
      System.out.printf("  %.4f  %s%n", f, Simplifier.simplify(p).toString().replace("\n", "; "));
      if (f < bestFit) {
        bestFit = f;
        best = p;
      }
    }
    System.out.printf("finalist: fresh full-stage fitness %.4f%n", bestFit);
    return best;
  }

  private record Done(long number, Suggestion suggestion, Map<String, Double> metrics) {}

  private static Done take(CompletionService<Done> done) {
    try {
      return await(done.take());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Result evolution(OptimizerProxy proxy, int evals, long seed, Map<String, Object> options, int workers,
      ExecutorService pool) {
    long t0 = System.nanoTime();
    Designer d = new ProgramEvolutionProvider().create(PROBLEM, options);
    Optional<Map<String, Object>> state = Optional.empty();
    Program best = null;
    double bestFit = Double.POSITIVE_INFINITY;
    List<String> curve = new ArrayList<>();
    Ranking ranking = new Ranking();
    int window = d.needs().window();
    // asynchronous workers, as executor slots: whenever one finishes, the designer proposes the next program seeing
    // the others still running (pending) in its snapshot
    TreeMap<Long, TrialView> byNumber = new TreeMap<>();
    CompletionService<Done> done = new ExecutorCompletionService<>(pool);
    long issued = 0;
    int inFlight = 0;
    for (int completed = 0; completed < evals; ) {
      while (inFlight < workers && issued < evals) {
        List<TrialView> all = new ArrayList<>(byNumber.values());
        StudySnapshot snap = new StudySnapshot(PROBLEM, issued, all.subList(Math.max(0, all.size() - window),
            all.size()), state, Map.of());
        Proposal p = d.suggest(snap, 1, new SplittableRandom(seed * 1_000_003L + issued));
        state = p.nextState();
        Suggestion s = p.suggestions().getFirst();
        long number = ++issued;
        byNumber.put(number, new TrialView(number, TrialState.RUNNING, s.params(), new double[0], Map.of(),
            s.metadata()));
        done.submit(() -> new Done(number, s, OptimizerProxyProvider.evaluate(proxy, s.params(), CONTEXT)));
        inFlight++;
      }
      Done r = take(done);
      inFlight--;
      completed++;
      double f = r.metrics().get("fitness");
      ranking.add(ProgramJson.fromJson(r.suggestion().params().get("program")), r.metrics());
      byNumber.put(r.number(), new TrialView(r.number(), TrialState.COMPLETED, r.suggestion().params(),
          new double[] {f}, r.metrics(), r.suggestion().metadata()));
      if (f < bestFit) {
        bestFit = f;
        best = ProgramJson.fromJson(r.suggestion().params().get("program"));
        curve.add(String.format("%d:%.3f", r.number(), f));
        System.out.printf("  evo #%d fitness %.4f stage %.0f (%.0f s)%n", r.number(), f,
            r.metrics().get("funnel_stage"), (System.nanoTime() - t0) / 1e9);
      }
      if (completed % 500 == 0) {
        System.out.printf("  evo %d evaluations, %.0f s, hit rate %.3f, epoch %s%n", completed,
            (System.nanoTime() - t0) / 1e9, ((Number) state.orElseThrow().get("cacheHitRate")).doubleValue(),
            r.suggestion().metadata().get("epoch"));
      }
    }
    Map<String, Object> st = state.orElseThrow();
    long hits = ((Number) st.get("hits")).longValue();
    long misses = ((Number) st.get("misses")).longValue();
    return new Result(best, bestFit, evals, hits + misses, hits / (double) (hits + misses),
        (System.nanoTime() - t0) / 1e9, curve, ranking.ranked());
  }

  static Result randomSearch(OptimizerProxy proxy, int evals, long seed, int workers, ExecutorService pool) {
    long t0 = System.nanoTime();
    SplittableRandom rng = new SplittableRandom(seed + 7);
    Mutator mut = new Mutator(20);
    Set<Long> seen = new HashSet<>();
    Program best = null;
    double bestFit = Double.POSITIVE_INFINITY;
    long generated = 0;
    List<String> curve = new ArrayList<>();
    for (int i = 0; i < evals; ) {
      List<Program> batch = new ArrayList<>();
      while (batch.size() < Math.min(workers, evals - i)) {
        Program p = mut.random(1 + rng.nextInt(12), rng);
        generated++;
        if (seen.add(ProgramGraph.of(p).hash())) {
          batch.add(p);
        }
      }
      List<Map<String, Double>> results = evaluateAll(proxy,
          batch.stream().map(p -> Map.<String, Object>of("program", ProgramJson.toJson(p))).toList(), pool);
      for (int k = 0; k < batch.size(); k++) {
        i++;
        double f = results.get(k).get("fitness");
        if (f < bestFit) {
          bestFit = f;
          best = batch.get(k);
          curve.add(String.format("%d:%.3f", i, f));
        }
      }
    }
    return new Result(best, bestFit, evals, generated, 1 - evals / (double) generated,
        (System.nanoTime() - t0) / 1e9, curve, List.of());
  }

  static void report(String name, Result r, OptimizerProxy proxy) {
    Program simple = Simplifier.simplify(r.best());
    double cheap = proxy.score(r.best(), Stage.CHEAP).fitness();
    double full = proxy.score(r.best(), Stage.FULL).fitness();
    double meta = proxy.score(r.best(), Stage.META).fitness();
    System.out.printf("%n== %s: %d evaluations (%d programs generated, cache/dup hit rate %.3f), %.0f s%n", name,
        r.evaluations(), r.generated(), r.hitRate(), r.seconds());
    System.out.printf("best selection fitness %.4f; cheap %.4f, full %.4f, meta-validation %.4f (AdamW = 1)%n",
        r.bestFitness(), cheap, full, meta);
    System.out.println("Lion family: " + lionFamily(simple));
    System.out.println("improvements: " + String.join(" ", r.curve()));
    System.out.println(simple);
  }

  /**
   * Lion's family: the update contains sign(interp(g, m, a)) (either argument order) and the new m is a separate
   * interp(g, m, b) with b != a (or a different nesting).
   */
  static boolean lionFamily(Program p) {
    ProgramGraph g = ProgramGraph.of(p);
    Expr.Input gin = new Expr.Input(1);
    Expr.Input min = new Expr.Input(2);
    Set<Long> signInterps = new HashSet<>();
    collectSignInterp(g.outputs().get(0), gin, min, signInterps, new HashSet<>());
    Expr newM = g.outputs().get(1);
    boolean mIsInterp = newM instanceof Expr.Call c && c.fn() == Fn.INTERP && isGM(c, gin, min);
    return !signInterps.isEmpty() && mIsInterp && !signInterps.contains(newM.hash());
  }

  private static boolean isGM(Expr.Call c, Expr gin, Expr min) {
    Expr a = c.args().get(0);
    Expr b = c.args().get(1);
    return (a.equals(gin) && b.equals(min) || a.equals(min) && b.equals(gin))
        && c.args().get(2) instanceof Expr.Constant;
  }

  private static void collectSignInterp(Expr e, Expr gin, Expr min, Set<Long> out, Set<Long> seen) {
    if (!(e instanceof Expr.Call c) || !seen.add(c.hash())) {
      return;
    }
    if (c.fn() == Fn.SIGN && c.args().get(0) instanceof Expr.Call in && in.fn() == Fn.INTERP && isGM(in, gin, min)) {
      out.add(in.hash());
    }
    c.args().forEach(a -> collectSignInterp(a, gin, min, out, seen));
  }

  /**
   * Re-measures, with {@code seeds} meta-validation seeds, the best programs of the earlier recorded searches
   * (docs/benchmarks-program-search.md, as simplified there) next to the reference programs.
   */
  static void rescore(int seeds) {
    OptimizerProxy proxy = new OptimizerProxy(ProxySettings.parse(Map.of()));
    Map<String, Program> programs = new LinkedHashMap<>();
    programs.put("lion", ReferencePrograms.lion());
    programs.put("adamw", ReferencePrograms.adamw());
    // the reference programs' weight decay varied: the evolved programs below have none
    programs.put("lion, wd 0.01", ReferencePrograms.lion(0.9, 0.99, 0.01, 0.0003));
    programs.put("lion, wd 0", ReferencePrograms.lion(0.9, 0.99, 0.0, 0.0003));
    programs.put("adam (adamw, wd 0)", ReferencePrograms.adamw(0.9, 0.999, 0.0, 0.001));
    // sign of one momentum (Lion with beta1 = beta2 = 0.9, no weight decay: "Signum")
    programs.put("signum (lion 0.9/0.9, wd 0)", ReferencePrograms.lion(0.9, 0.9, 0.0, 0.0003));
    // 2026-11-23, 2500 evaluations: Adam without weight decay plus expm1(g)
    programs.put("2500 evals, seed 1", adamPlus(0.9, 0.999, Fn.EXPM1, 0.000426725));
    // 2026-12-03, 5000 evaluations, seed 1: Adam without weight decay plus cbrt(g), beta2 0.995479
    programs.put("5000 evals, seed 1", adamPlus(0.9, 0.995479, Fn.CBRT, 0.001));
    // 2026-12-03 (session 6), 5000 evaluations, seed 1: the finalist (fresh full-stage seeds) of the same search
    programs.put("5000 evals, finalist", adamPlus(0.919321, 0.999, Fn.CBRT, 0.001));
    // 2026-12-03 (session 6, git 976aa11), 5000 evaluations, seed 2: the finalist, a soft sign of the momentum
    // (arctan(m / v^2) with v a deterministic ramp towards the fixed point of cos)
    programs.put("5000 evals s2 finalist", new Program(List.of(
        Statement.of("m", Fn.INTERP, "g", "m", 0.9), Statement.of("g2", Fn.COS, "v"),
        Statement.of("v", Fn.INTERP, "g2", "v", 0.999), Statement.of("s", Fn.SQUARE, "v"),
        Statement.of("t1", Fn.DIV, "m", "s"), Statement.of("t2", Fn.ARCTAN, "t1"),
        Statement.of("lr1", Fn.MUL, "lr", 0.001), Statement.of("update", Fn.MUL, "t2", "lr1")),
        List.of("update", "m", "v")));
    // 2026-12-03 pilot, 1500 evaluations: momentum over a moving average of rms(g), blended with cbrt(v)
    programs.put("1500 evals pilot", new Program(List.of(
        Statement.of("m", Fn.INTERP, "g", "m", 0.9), Statement.of("r", Fn.RMS, "g"),
        Statement.of("v", Fn.INTERP, "r", "v", 0.999), Statement.of("s", Fn.SQRT, "v"),
        Statement.of("t1", Fn.DIV, "m", "s"), Statement.of("cv", Fn.CBRT, "v"), Statement.of("cg", Fn.CBRT, "g"),
        Statement.of("t2", Fn.INTERP, "t1", "cv", "cg"), Statement.of("lr1", Fn.MUL, "lr", 0.001),
        Statement.of("update", Fn.MUL, "t2", "lr1")), List.of("update", "m", "v")));
    for (var e : programs.entrySet()) {
      System.out.printf("%-20s evaluator's meta-validation (2 seeds) %.3f%n", e.getKey(),
          proxy.score(e.getValue(), Stage.META).fitness());
    }
    new HeldOutCheck(proxy, Stage.META, 0, seeds).report("meta-validation", programs, "lion",
        "adam (adamw, wd 0)");
  }

  /** Adam without weight decay plus an elementwise function of g: {@code (m / sqrt(v) + extra(g)) * lr * lrScale}. */
  private static Program adamPlus(double beta1, double beta2, Fn extra, double lrScale) {
    return new Program(List.of(
        Statement.of("m", Fn.INTERP, "g", "m", beta1), Statement.of("g2", Fn.SQUARE, "g"),
        Statement.of("v", Fn.INTERP, "g2", "v", beta2), Statement.of("s", Fn.SQRT, "v"),
        Statement.of("t1", Fn.DIV, "m", "s"), Statement.of("x0", extra, "g"),
        Statement.of("t2", Fn.ADD, "t1", "x0"), Statement.of("lr1", Fn.MUL, "lr", lrScale),
        Statement.of("update", Fn.MUL, "t2", "lr1")), List.of("update", "m", "v"));
  }

  static void calibrate() {
    double[] lrs = new double[13];
    for (int i = 0; i < lrs.length; i++) {
      lrs[i] = Math.pow(2, i);
    }
    for (String task : ProxySuite.CHEAP.keySet()) {
      ProxyTask t = ProxySuite.CHEAP.get(task);
      StringBuilder sb = new StringBuilder(task + ":");
      for (var e : Map.of("adamw", ReferencePrograms.adamw(), "lion", ReferencePrograms.lion(),
          "momentum", ReferencePrograms.momentum()).entrySet()) {
        io.sextant.engine.program.CompiledProgram cp = io.sextant.engine.program.CompiledProgram.compile(e.getValue());
        double best = Double.POSITIVE_INFINITY;
        double bestLr = 0;
        for (double lr : lrs) {
          double s = 0;
          for (int seed = 0; seed < 2; seed++) {
            s += ProxyRunner.finalLoss(cp, t.instance(seed), e.getKey().equals("momentum") ? lr * 0.01 : lr, 200,
                seed + 1);
          }
          if (s / 2 < best) {
            best = s / 2;
            bestLr = lr;
          }
        }
        sb.append(String.format(" %s %.4f (lr %.3g)", e.getKey(), best, bestLr));
      }
      System.out.println(sb);
    }
  }
}
