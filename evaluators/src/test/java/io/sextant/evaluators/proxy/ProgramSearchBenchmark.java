package io.sextant.evaluators.proxy;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.program.Fn;
import io.sextant.engine.program.Mutator;
import io.sextant.engine.program.Program;
import io.sextant.engine.program.ProgramEvolutionProvider;
import io.sextant.engine.program.ProgramFamily;
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
 * [--mutations insert,delete,modify,function] [--no-random] [--tasks a,b] [--plateau N] [--seeds N] [--steps N]
 * [--lr-sweep a,b] [--warm-start NAME[,NAME...]] [--meta-seeds N] [--finalists K] [--protect-age A]
 * [--novelty-share S] [--tune K]} (see {@link Args}), {@code ... ProgramSearchBenchmark references [--tasks a,b]}
 * (reference and intermediate programs as the evaluator scores them), {@code ... ProgramSearchBenchmark calibrate} (reference programs per task and
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
    if (mode.equals("proposals")) {
      proposals(args.length > 1 ? Integer.parseInt(args[1]) : 100_000, args.length > 2 ? Long.parseLong(args[2]) : 1);
      return;
    }
    if (mode.equals("rescore")) {
      rescore(args.length > 1 ? Integer.parseInt(args[1]) : 20);
      return;
    }
    Args a = Args.parse(java.util.Arrays.copyOfRange(args, 1, args.length));
    if (mode.equals("references")) {
      references(new OptimizerProxy(ProxySettings.parse(a.evaluator())));
      return;
    }
    int evals = a.evals();
    long seed = a.seed();
    int workers = a.workers();
    int metaSeeds = a.metaSeeds();
    int finalists = a.finalists();
    boolean random = a.random();
    Map<String, Object> options = a.options();
    System.out.printf("search: %d evaluations, seed %d, %d workers, options %s%n", evals, seed, workers, options);
    Map<String, Object> evaluator = a.evaluator();
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

  /**
   * The command line of {@code search} (and {@code references}, which reads only the evaluator's flags): positional
   * EVALS SEED [POPULATION TOURNAMENT], then flags. {@code --warm-start} takes one name or a comma-separated list
   * ({@code adamw,momentum}: several warm starts, the designer's option {@code warmStart} as a list).
   */
  record Args(int evals, long seed, int workers, boolean random, int metaSeeds, int finalists,
      Map<String, Object> options, Map<String, Object> evaluator) {
    static Args parse(String... args) {
      List<String> positional = new ArrayList<>();
      int workers = 1;
      boolean random = true;
      int metaSeeds = 20;
      int finalists = 8;
      Map<String, Object> designer = new LinkedHashMap<>();
      Map<String, Object> evaluator = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--tasks" -> evaluator.put("tasks", List.of(args[++i].split(",")));
          case "--seeds" -> evaluator.put("seeds", Integer.parseInt(args[++i]));
          case "--steps" -> evaluator.put("steps", Integer.parseInt(args[++i]));
          case "--lr-sweep" -> evaluator.put("lrSweep",
              java.util.Arrays.stream(args[++i].split(",")).map(Double::valueOf).toList());
          case "--plateau" -> designer.put("plateau", Long.parseLong(args[++i]));
          case "--workers" -> workers = Integer.parseInt(args[++i]);
          case "--mutations" -> designer.put("mutations", List.of(args[++i].split(",")));
          case "--no-random" -> random = false;
          case "--meta-seeds" -> metaSeeds = Integer.parseInt(args[++i]);
          case "--finalists" -> finalists = Integer.parseInt(args[++i]);
          case "--warm-start" -> {
            List<String> names = List.of(args[++i].split(","));
            designer.put("warmStart", names.size() == 1 ? names.getFirst() : names);
          }
          case "--protect-age" -> designer.put("protectAge", Integer.parseInt(args[++i]));
          case "--novelty-share" -> designer.put("noveltyShare", Double.parseDouble(args[++i]));
          case "--tune" -> designer.put("tune", Integer.parseInt(args[++i]));
          default -> {
            if (args[i].startsWith("--")) {
              throw new IllegalArgumentException("unknown flag " + args[i]);
            }
            positional.add(args[i]);
          }
        }
      }
      int evals = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 2000;
      long seed = positional.size() > 1 ? Long.parseLong(positional.get(1)) : 1;
      int population = positional.size() > 2 ? Integer.parseInt(positional.get(2)) : 100;
      int tournament = positional.size() > 3 ? Integer.parseInt(positional.get(3)) : 10;
      Map<String, Object> options = new LinkedHashMap<>(Map.of("population", population, "tournament", tournament,
          "seed", seed));
      options.putAll(designer);
      return new Args(evals, seed, workers, random, metaSeeds, finalists, options, evaluator);
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
   * selection fitness, best first; {@code roots} counts the trials per lineage root ({@link #byRoot}).
   */
  record Result(Program best, double bestFitness, int evaluations, long generated, double hitRate, double seconds,
      List<String> curve, List<Map.Entry<Program, Double>> ranked, List<String> trace, List<String> lineage,
      Map<String, Integer> roots) {
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
    return evolution(params -> OptimizerProxyProvider.evaluate(proxy, params, CONTEXT), evals, seed, options,
        workers, pool);
  }

  /**
   * The search: {@code workers} evaluations run at once, asynchronously as on executor slots, but results enter the
   * designer's snapshots in proposal order: trial n is proposed with exactly trials 1..n-workers completed and the
   * others pending, whichever evaluation finishes first. So the search is a function of its seed (and options), not
   * of thread timing; a worker whose result arrived early waits for the earlier trials' results before the next
   * proposal (a few percent of its time, as evaluations take similar times).
   */
  static Result evolution(java.util.function.Function<Map<String, Object>, Map<String, Double>> evaluate, int evals,
      long seed, Map<String, Object> options, int workers, ExecutorService pool) {
    long t0 = System.nanoTime();
    Designer d = new ProgramEvolutionProvider().create(PROBLEM, options);
    Optional<Map<String, Object>> state = Optional.empty();
    Program best = null;
    double bestFit = Double.POSITIVE_INFINITY;
    long bestNumber = 0;
    List<String> curve = new ArrayList<>();
    List<String> trace = new ArrayList<>();
    Ranking ranking = new Ranking();
    Map<String, Integer> families = new TreeMap<>();
    double bestLion = Double.POSITIVE_INFINITY;
    long firstLion = 0;
    int window = d.needs().window();
    TreeMap<Long, TrialView> byNumber = new TreeMap<>();
    CompletionService<Done> done = new ExecutorCompletionService<>(pool);
    Map<Long, Done> arrived = new java.util.HashMap<>();
    long issued = 0;
    long folded = 0;
    while (folded < evals) {
      // fold results in proposal order up to what the next proposal (or the end) must see
      long need = issued < evals ? issued + 1 - workers : evals;
      while (folded < need) {
        Done r = arrived.remove(folded + 1);
        if (r == null) {
          Done any = take(done);
          arrived.put(any.number(), any);
          continue;
        }
        folded++;
        double f = r.metrics().get("fitness");
        Program p = ProgramJson.fromJson(r.suggestion().params().get("program"));
        ranking.add(p, r.metrics());
        ProgramFamily fam = ProgramFamily.of(p);
        families.merge(fam.key(), 1, Integer::sum);
        if (fam == ProgramFamily.LION_LIKE) {
          firstLion = firstLion == 0 ? r.number() : firstLion;
          bestLion = Math.min(bestLion, f);
        }
        trace.add(String.format("%s:%.6g", r.suggestion().metadata().get("hash"), f));
        byNumber.put(r.number(), new TrialView(r.number(), TrialState.COMPLETED, r.suggestion().params(),
            new double[] {f}, r.metrics(), r.suggestion().metadata()));
        if (f < bestFit) {
          bestFit = f;
          best = p;
          bestNumber = r.number();
          curve.add(String.format("%d:%.3f", r.number(), f));
          System.out.printf("  evo #%d fitness %.4f stage %.0f %s (%.0f s)%n", r.number(), f,
              r.metrics().get("funnel_stage"), ProgramFamily.of(p).key(), (System.nanoTime() - t0) / 1e9);
        }
        if (folded % 500 == 0) {
          System.out.printf("  evo %d evaluations, %.0f s, hit rate %.3f, epoch %s%n", folded,
              (System.nanoTime() - t0) / 1e9, ((Number) state.orElseThrow().get("cacheHitRate")).doubleValue(),
              r.suggestion().metadata().get("epoch"));
        }
      }
      if (issued < evals) {
        List<TrialView> all = new ArrayList<>(byNumber.values());
        StudySnapshot snap = new StudySnapshot(PROBLEM, issued, all.subList(Math.max(0, all.size() - window),
            all.size()), state, Map.of());
        Proposal p = d.suggest(snap, 1, new SplittableRandom(seed * 1_000_003L + issued));
        state = p.nextState();
        Suggestion s = p.suggestions().getFirst();
        long number = ++issued;
        byNumber.put(number, new TrialView(number, TrialState.RUNNING, s.params(), new double[0], Map.of(),
            s.metadata()));
        done.submit(() -> new Done(number, s, evaluate.apply(s.params())));
      }
    }
    System.out.printf("  evo families of the evaluated programs: %s; first lion-like at #%d, best lion-like fitness %.4f%n",
        families, firstLion, bestLion);
    Map<String, Integer> roots = byRoot(byNumber);
    System.out.printf("  evo trials by the warm start their lineage starts from: %s%n", roots);
    Map<String, Object> st = state.orElseThrow();
    long hits = ((Number) st.get("hits")).longValue();
    long misses = ((Number) st.get("misses")).longValue();
    List<String> lineage = lineage(byNumber, bestNumber);
    return new Result(best, bestFit, evals, hits + misses, hits / (double) (hits + misses),
        (System.nanoTime() - t0) / 1e9, curve, ranking.ranked(), trace, lineage, roots);
  }

  /**
   * The best program's ancestry, newest first: each trial with its origin and the edits that made it from its parent
   * (followed through {@code parentTrial}, or {@code parentHash} where the parent was a cached or warm-start copy).
   */
  static List<String> lineage(TreeMap<Long, TrialView> trials, long number) {
    Map<Object, Long> byHash = new java.util.HashMap<>();
    trials.forEach((n, t) -> byHash.putIfAbsent(t.metadata().get("hash"), n));
    List<String> out = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    Long n = number;
    while (n != null && seen.add(n) && trials.containsKey(n)) {
      TrialView t = trials.get(n);
      Map<String, Object> meta = t.metadata();
      Program p = ProgramJson.fromJson(t.params().get("program"));
      out.add(String.format("#%d %s %s %s fitness %.4f", n, meta.get("origin"),
          meta.getOrDefault("edits", List.of()), ProgramFamily.of(p).key(), t.values().length > 0 ? t.values()[0]
              : Double.NaN));
      n = meta.get("parentTrial") instanceof Number pt ? pt.longValue() : byHash.get(meta.get("parentHash"));
    }
    return out;
  }

  /**
   * How many trials descend from each root of the lineages (a warm start, or a restart's seed), keyed by the root's
   * trial number, origin and family: with several warm starts, how much of the search each one's line received.
   */
  static Map<String, Integer> byRoot(TreeMap<Long, TrialView> trials) {
    Map<Object, Long> byHash = new java.util.HashMap<>();
    trials.forEach((n, t) -> byHash.putIfAbsent(t.metadata().get("hash"), n));
    Map<Long, Long> root = new java.util.HashMap<>();
    Map<String, Integer> counts = new TreeMap<>();
    for (long n : trials.keySet()) {
      List<Long> path = new ArrayList<>();
      Long at = n;
      while (at != null && !root.containsKey(at) && trials.containsKey(at) && !path.contains(at)) {
        path.add(at);
        Map<String, Object> meta = trials.get(at).metadata();
        Long parent = meta.get("parentTrial") instanceof Number pt ? pt.longValue()
            : byHash.get(meta.get("parentHash"));
        at = parent == null || parent.equals(at) ? null : parent;
      }
      long r = at != null && root.containsKey(at) ? root.get(at) : path.getLast();
      path.forEach(p -> root.put(p, r));
      TrialView t = trials.get(r);
      String key = String.format("#%d %s %s", r, t.metadata().get("origin"),
          ProgramFamily.of(ProgramJson.fromJson(t.params().get("program"))).key());
      counts.merge(key, 1, Integer::sum);
    }
    return counts;
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
        (System.nanoTime() - t0) / 1e9, curve, List.of(), List.of(), List.of(), Map.of());
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
    System.out.println("Lion family: " + lionFamily(simple) + "; family: " + ProgramFamily.of(r.best()).key());
    if (!r.lineage().isEmpty()) {
      System.out.println("lineage (newest first):");
      r.lineage().forEach(l -> System.out.println("  " + l));
    }
    System.out.println("improvements: " + String.join(" ", r.curve()));
    System.out.println(simple);
  }

  /**
   * Lion's family: the update contains sign(interp(g, m, a)) (either argument order) and the new m is a separate
   * interp(g, m, b) with b != a (or a different nesting); see {@link ProgramFamily#LION_LIKE}.
   */
  static boolean lionFamily(Program p) {
    return ProgramFamily.of(p) == ProgramFamily.LION_LIKE;
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

  /**
   * How often one mutation of a parent proposes a child of a given family, per set of mutation kinds: the first
   * step from AdamW towards a sign-based update, the second from the intermediate (AdamW with its update {@code m /
   * s} replaced by {@code sign(m)}, i.e. Signum with weight decay) into Lion's family, and from plain SGD to momentum.
   * Measurement only (it names the families; the search does not).
   */
  static void proposals(int draws, long seed) {
    Program adamw = ReferencePrograms.adamw();
    Program signum = intermediate();
    Program nesterov = nesterovAdamw();
    long nesterovStructure = ProgramGraph.of(nesterov).structureHash();
    record Case(String name, Program parent, String target, java.util.function.Predicate<Program> hit) {}
    java.util.function.Function<ProgramFamily, java.util.function.Predicate<Program>> family =
        f -> p -> ProgramFamily.of(p) == f;
    List<Case> cases = List.of(
        new Case("adamw -> sign-based", adamw, "sign-based", family.apply(ProgramFamily.SIGN_BASED)),
        new Case("adamw -> lion-like", adamw, "lion-like", family.apply(ProgramFamily.LION_LIKE)),
        new Case("signum (adamw, m/s -> sign(m)) -> lion-like", signum, "lion-like",
            family.apply(ProgramFamily.LION_LIKE)),
        new Case("adamw -> interp(g, m, c)/s (any c)", adamw, "nesterov-like",
            p -> ProgramGraph.of(p).structureHash() == nesterovStructure),
        new Case("adamw, m/s -> interp(g, m, 0.9)/s -> lion-like", nesterov, "lion-like",
            family.apply(ProgramFamily.LION_LIKE)),
        new Case("sgd -> momentum", ReferencePrograms.sgd(), "momentum", family.apply(ProgramFamily.MOMENTUM)));
    Map<String, List<io.sextant.engine.program.Mutation>> sets = new LinkedHashMap<>();
    sets.put("paper (insert, delete, modify)", List.of(io.sextant.engine.program.Mutation.INSERT,
        io.sextant.engine.program.Mutation.DELETE, io.sextant.engine.program.Mutation.MODIFY));
    sets.put("+ function (before issue 26)", List.of(io.sextant.engine.program.Mutation.INSERT,
        io.sextant.engine.program.Mutation.DELETE, io.sextant.engine.program.Mutation.MODIFY,
        io.sextant.engine.program.Mutation.FUNCTION));
    sets.put("all six (default)", List.of(io.sextant.engine.program.Mutation.values()));
    System.out.printf("children per family, %d draws per parent (seed %d); the search's re-mutation until the hash "
        + "changes included%n", draws, seed);
    for (Case c : cases) {
      System.out.printf("parent %s: %s%n", c.name(), ProgramFamily.of(c.parent()).key());
      for (var e : sets.entrySet()) {
        Mutator m = new Mutator(20, e.getValue());
        SplittableRandom rng = new SplittableRandom(seed);
        int hits = 0;
        for (int i = 0; i < draws; i++) {
          if (c.hit().test(m.mutate(c.parent(), rng).child())) {
            hits++;
          }
        }
        System.out.printf("  %-32s %-13s %d of %d (%.2e per child)%n", e.getKey(), c.target(), hits, draws,
            hits / (double) draws);
      }
    }
  }

  /**
   * The first step from AdamW towards Lion: AdamW with its update {@code m / s} replaced by {@code sign(m)} (Signum
   * with AdamW's weight decay and lr scale). Measurement only; the search does not know it.
   */
  static Program intermediate() {
    Program adamw = ReferencePrograms.adamw();
    List<Statement> body = new ArrayList<>(adamw.body());
    body.set(4, Statement.of("update", Fn.SIGN, "m"));
    return adamw.withBody(body);
  }

  /**
   * The other first step from AdamW towards Lion: AdamW's update {@code m / s} becomes {@code interp(g, m, 0.9) / s}
   * (a Nesterov-style Adam; the momentum read after its update, interpolated with g once more). One {@code function}
   * edit ({@code div -> sign}) then makes Lion's form with AdamW's weight decay and lr scale. Measurement only.
   */
  static Program nesterovAdamw() {
    Program adamw = ReferencePrograms.adamw();
    List<Statement> body = new ArrayList<>(adamw.body());
    body.set(4, Statement.of("update", Fn.DIV, "c", "s"));
    body.add(4, Statement.of("c", Fn.INTERP, "g", "m", 0.9));
    return adamw.withBody(body);
  }

  /**
   * The reference programs and the intermediate scored as the search's evaluator would score them (funnel: the
   * objective is the cheap fitness, or the mean of cheap and full for a program below 1 on the cheap stage), with
   * the cheap stage's ratio per task; the evaluator's options come from the command line ({@code --tasks},
   * {@code --steps}, {@code --seeds}, {@code --lr-sweep}).
   */
  static void references(OptimizerProxy proxy) {
    Map<String, Program> programs = new LinkedHashMap<>();
    programs.put("adamw", ReferencePrograms.adamw());
    programs.put("adam (adamw, wd 0)", ReferencePrograms.adamw(0.9, 0.999, 0.0, 0.001));
    programs.put("lion", ReferencePrograms.lion());
    programs.put("lion, wd 0", ReferencePrograms.lion(0.9, 0.99, 0.0, 0.0003));
    programs.put("intermediate (adamw, m/s -> sign(m))", intermediate());
    // the other order of the two edits: first the interpolation of g and m in AdamW's update (a Nesterov-style
    // Adam), then the sign; and where both end (Lion with AdamW's weight decay and lr scale)
    programs.put("adamw, m/s -> interp(g, m, 0.9)/s", nesterovAdamw());
    programs.put("lion with adamw's wd 0.01, lr 1e-3", ReferencePrograms.lion(0.9, 0.99, 0.01, 0.001));
    programs.put("momentum", ReferencePrograms.momentum());
    // one wrap edit from the momentum warm start: the sign of the heavy-ball momentum
    Program momentum = ReferencePrograms.momentum();
    List<Statement> mb = new ArrayList<>(momentum.body());
    mb.add(mb.size() - 1, Statement.of("sm", Fn.SIGN, "m"));
    Statement last = mb.getLast();
    mb.set(mb.size() - 1, Statement.of(last.target(), last.fn(), "sm", "lr1"));
    programs.put("momentum, update m -> sign(m)", momentum.withBody(mb));
    System.out.printf("evaluator %s%n", proxy.settings().tasks());
    for (var e : programs.entrySet()) {
      OptimizerProxy.Score cheap = proxy.score(e.getValue(), Stage.CHEAP);
      Map<String, Double> m = OptimizerProxyProvider.evaluate(proxy,
          Map.of("program", ProgramJson.toJson(e.getValue())), CONTEXT);
      StringBuilder ratios = new StringBuilder();
      cheap.ratios().forEach((k, v) -> ratios.append(String.format(" %s %.3f", k, v)));
      System.out.printf("  %-38s objective %.4f (stage %.0f) cheap %.4f full %s;%s%n", e.getKey(),
          m.get("fitness"), m.get("funnel_stage"), cheap.fitness(),
          m.containsKey("full_fitness") ? String.format("%.4f", m.get("full_fitness")) : "-", ratios);
    }
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
