package io.sextant.evaluators.sor;

import io.sextant.engine.bandit.BinnedTsallisInfProvider;
import io.sextant.engine.bandit.ContextualCbProvider;
import io.sextant.engine.bandit.GpUcbProvider;
import io.sextant.engine.bandit.LinUcbProvider;
import io.sextant.engine.bandit.Exp3Provider;
import io.sextant.engine.bandit.ThompsonProvider;
import io.sextant.engine.bandit.TsallisInfProvider;
import io.sextant.engine.bandit.Ucb1Provider;
import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * The learner benchmark of issue 5 (not a test): T instances of a family, R repetitions; each repetition draws a
 * fresh instance sequence (seed = repetition), solves every instance at all 20 arms omega = 1, 1.05, ..., 1.95, at
 * the textbook omega 2 / (1 + sin(pi h)) and at omega*, then runs every learner through the Designer API (snapshots
 * of recent trials plus cached state, as the service does) on the cost table. Prints total iterations relative to
 * the best fixed arm in hindsight and to the instance-optimal omega*, plus cumulative-cost checkpoints.
 *
 * <p>Run: {@code java -cp search-engine/target/classes:evaluators/target/classes:evaluators/target/test-classes
 * io.sextant.evaluators.sor.BanditBenchmark T R} after {@code mvn -o -q test-compile -pl search-engine,evaluators}.
 */
public final class BanditBenchmark {
  private static final int ARMS = 20;

  /** Learners play the table's arms armOffset, armOffset + armStride, ... (default all 20; {@code --arms o:k}). */
  private static int armOffset = 0;
  private static int armStride = 1;
  /** The families of the issue 23 benchmark ({@code --families all}). */
  static final List<SorFamily> BENCHMARKED = List.of(SorFamily.HIGH_VARIANCE, SorFamily.LOW_VARIANCE,
      SorFamily.RECTANGLE, SorFamily.VARIABLE_COEFFICIENT, SorFamily.POISSON_3D);
  /** Seeds 0..TUNING_SEEDS - 1 are for choosing options; {@code --held-out} reports seeds TUNING_SEEDS..39. */
  static final int TUNING_SEEDS = 20;
  /** {@code --held-out}: repetitions are the held-out seeds 20..39 (at most 20 of them; fewer when R is smaller). */
  private static boolean heldOut;
  /** Repetitions run are firstRep .. firstRep + reps - 1 ({@code --from R}; e.g. tune on 0..19, report 20..39). */
  private static int firstRep = 0;

  public static void main(String[] args) throws IOException {
    List<String> positional = new ArrayList<>();
    Path cache = null;
    List<SorFamily> families = List.of(SorFamily.HIGH_VARIANCE, SorFamily.LOW_VARIANCE);
    List<String> specs = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--cache" -> cache = Path.of(args[++i]);
        case "--family" -> {
          String id = args[++i];
          families = List.of(SorFamily.byId(id).orElseThrow(() -> new IllegalArgumentException("unknown family " + id)));
        }
        case "--learners" -> specs = List.of(args[++i].split(";"));
        case "--from" -> firstRep = Integer.parseInt(args[++i]);
        case "--held-out" -> heldOut = true;
        case "--log-context" -> LOGCTX = java.util.Set.of(args[++i].split(","));
        case "--noiseless" -> noiseless = true;
        case "--per-seed" -> perSeed = true;
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--families" -> {
          String ids = args[++i];
          families = ids.equals("all") ? BENCHMARKED : java.util.Arrays.stream(ids.split(",")).map(id -> SorFamily
              .byId(id).orElseThrow(() -> new IllegalArgumentException("unknown family " + id))).toList();
        }
        case "--arms" -> {
          String[] fs = args[++i].split(":");
          armOffset = Integer.parseInt(fs[0]);
          armStride = Integer.parseInt(fs[1]);
        }
        default -> positional.add(args[i]);
      }
    }
    int t = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 5000;
    int reps = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : heldOut ? 20 : 40;
    if (heldOut) {
      // the protocol of issue 23: options (the defaults) were chosen on seeds 0..19; report seeds 20..39
      firstRep = TUNING_SEEDS;
      reps = Math.min(reps, 40 - TUNING_SEEDS);
    }
    for (SorFamily family : families) {
      run(family, t, reps, cache, specs == null ? defaultLearners() : parse(specs));
    }
  }

  record Learner(String label, DesignerProvider provider, Map<String, Object> options, boolean contextual) {}

  /**
   * Options of every learner: the defaults, except a window of 64 trials (the statistics are cached state, so the
   * window only sets how many trials a snapshot copies; binned-tsallis-inf, which rebuilds from the window when its
   * bins move, keeps the default).
   */
  private static Map<String, Object> options(DesignerProvider p) {
    return p.name().equals(BinnedTsallisInfProvider.NAME) ? Map.of() : Map.of("window", 64);
  }

  /** The learners of the documented benchmark, all with default options. */
  static List<Learner> defaultLearners() {
    return parse(List.of("tsallis-inf", "exp3", "ucb1", "thompson", "gp-ucb", "binned-tsallis-inf", "contextual-cb",
        "linucb"));
  }

  /**
   * Learners from specs {@code name[,option=value...]} (e.g. {@code tsallis-inf,learningRate=0.5}); values are read
   * as integers, numbers or strings ({@code contextFields=a+b} a list); see {@link #options} for the rest.
   */
  static List<Learner> parse(List<String> specs) {
    Map<String, DesignerProvider> providers = new LinkedHashMap<>();
    for (DesignerProvider p : List.of(new TsallisInfProvider(), new Exp3Provider(), new Ucb1Provider(),
        new ThompsonProvider(), new GpUcbProvider(), new BinnedTsallisInfProvider(), new ContextualCbProvider(),
        new LinUcbProvider())) {
      providers.put(p.name(), p);
    }
    List<Learner> out = new ArrayList<>();
    for (String spec : specs) {
      String[] parts = spec.trim().split(",");
      DesignerProvider p = providers.get(parts[0]);
      if (p == null) {
        throw new IllegalArgumentException("unknown learner " + parts[0] + "; known: " + providers.keySet());
      }
      boolean contextual = p.options().stream().anyMatch(o -> o.name().equals("contextFields"));
      Map<String, Object> options = new LinkedHashMap<>(options(p));
      for (int k = 1; k < parts.length; k++) {
        String[] kv = parts[k].split("=", 2);
        options.put(kv[0], kv[0].equals("contextFields") ? List.of(kv[1].isEmpty() ? new String[0] : kv[1].split("\\+"))
            : value(kv[1]));
      }
      out.add(new Learner(spec.trim(), p, options, contextual));
    }
    return out;
  }

  private static Object value(String v) {
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException e2) {
        return v;
      }
    }
  }

  /**
   * Costs of one repetition's instance sequence: iterations at every arm, at omega* and at the textbook omega (the
   * instance's plain Poisson optimum), and the instances' features. They do not depend on the learners, so they can
   * be cached ({@code --cache DIR}).
   */
  record CostTable(int[][] cost, double[][] features, int[] atStar, int[] atTextbook) {}

  private static final int CACHE_VERSION = 1;

  /** Solver threads for building tables ({@code --threads N}, default: the available cores); instances are independent. */
  static int threads = Runtime.getRuntime().availableProcessors();

  /**
   * The cost table of repetition {@code rep} (instance seed = rep), read from {@code cache} when a file for this
   * family, grid, seed, tolerance and cap holds at least t instances (instance i does not depend on T), else solved and
   * written there. Solving is deterministic, so a cached table equals a fresh one. The reference's two families keep
   * their version-1 files (one feature, the shift); the others are version 2 (any number of features).
   */
  static CostTable table(SorFamily family, int rep, int t, Path cache) throws IOException {
    int k = family.features().size();
    boolean v1 = family == SorFamily.HIGH_VARIANCE || family == SorFamily.LOW_VARIANCE;
    Path file = cache == null ? null : cache.resolve(String.format("sor-%s-n10-seed%d-tol1e-8-cap10000-v%d.bin",
        family.id(), rep, v1 ? CACHE_VERSION : 2));
    if (file != null && Files.isRegularFile(file)) {
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
        int n = in.readInt();
        int arms = in.readInt();
        int features = v1 ? 1 : in.readInt();
        if (n >= t && arms == ARMS && features == k) {
          CostTable c = new CostTable(new int[t][ARMS], new double[t][k], new int[t], new int[t]);
          for (int i = 0; i < t; i++) {
            for (int j = 0; j < k; j++) {
              c.features()[i][j] = in.readDouble();
            }
            for (int a = 0; a < ARMS; a++) {
              c.cost()[i][a] = in.readInt();
            }
            c.atStar()[i] = in.readInt();
            c.atTextbook()[i] = in.readInt();
          }
          return c;
        }
      }
    }
    SorInstances seq = new SorInstances(family, 10, rep, true);
    CostTable c = new CostTable(new int[t][ARMS], new double[t][k], new int[t], new int[t]);
    java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
    try {
      pool.submit(() -> java.util.stream.IntStream.range(0, t).parallel().forEach(i -> {
        SorInstance inst = seq.instance(i + 1);
        int j = 0;
        for (double v : inst.features().values()) {
          c.features()[i][j++] = v;
        }
        // the 22 solves of the instance run together (Sor.solveAll: each result bit for bit Sor.solve's)
        double[] omegas = new double[ARMS + 2];
        for (int a = 0; a < ARMS; a++) {
          omegas[a] = 1 + 0.05 * a;
        }
        omegas[ARMS] = inst.omegaStar();
        omegas[ARMS + 1] = inst.textbookOmega();
        SorResult[] solved = Sor.solveAll(inst.matrix(), inst.rhs(), omegas, 1e-8, 10_000);
        for (int a = 0; a < ARMS; a++) {
          c.cost()[i][a] = solved[a].iterations();
        }
        c.atStar()[i] = solved[ARMS].iterations();
        c.atTextbook()[i] = solved[ARMS + 1].iterations();
      })).get();
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdown();
    }
    if (file != null) {
      Files.createDirectories(cache);
      Path tmp = Files.createTempFile(cache, "table", ".tmp");
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
        out.writeInt(t);
        out.writeInt(ARMS);
        if (!v1) {
          out.writeInt(k);
        }
        for (int i = 0; i < t; i++) {
          for (int j = 0; j < k; j++) {
            out.writeDouble(c.features()[i][j]);
          }
          for (int a = 0; a < ARMS; a++) {
            out.writeInt(c.cost()[i][a]);
          }
          out.writeInt(c.atStar()[i]);
          out.writeInt(c.atTextbook()[i]);
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    return c;
  }

  /**
   * With {@code --noiseless} every instance's cost of arm a is arm a's mean cost over the repetition (rounded): the
   * same arms and gaps without instance-to-instance variation, to separate a learner's exploration schedule from the
   * noise it faces.
   */
  static boolean noiseless;

  /** With {@code --per-seed} every learner's per-repetition ratio to the best fixed arm is printed too. */
  static boolean perSeed;

  static int[][] armMeans(int[][] cost) {
    double[] sum = new double[ARMS];
    for (int[] row : cost) {
      for (int a = 0; a < ARMS; a++) {
        sum[a] += row[a];
      }
    }
    int[][] out = new int[cost.length][ARMS];
    for (int[] row : out) {
      for (int a = 0; a < ARMS; a++) {
        row[a] = (int) Math.round(sum[a] / cost.length);
      }
    }
    return out;
  }

  static void run(SorFamily family, int t, int reps, Path cache, List<Learner> learners) throws IOException {
    StudyProblem problem = new StudyProblem(new SearchSpace(List.of(
        new FloatParameter("omega", 1 + 0.05 * armOffset,
            1 + 0.05 * (armOffset + armStride * ((ARMS - 1 - armOffset) / armStride)), false,
            OptionalDouble.of(0.05 * armStride), Optional.empty()))),
        List.of(new Objective("iterations", Direction.MINIMIZE)), List.of());
    Map<String, double[]> totals = new LinkedHashMap<>();
    int[] checkpoints = {t / 10, t / 4, t / 2, t};
    Map<String, double[]> curves = new LinkedHashMap<>();
    long start = System.nanoTime();
    double solveSecs = 0;
    double bestOmega = 0;
    for (int rep = 0; rep < reps; rep++) {
      long s0 = System.nanoTime();
      CostTable table = table(family, firstRep + rep, t, cache);
      solveSecs += (System.nanoTime() - s0) * 1e-9;
      int[][] cost = noiseless ? armMeans(table.cost()) : table.cost();
      double[][] features = table.features();
      int[] atStar = table.atStar();
      int[] atTextbook = table.atTextbook();
      double[] armTotals = new double[ARMS];
      double oracleGrid = 0;
      for (int i = 0; i < t; i++) {
        int m = Integer.MAX_VALUE;
        for (int a = 0; a < ARMS; a++) {
          armTotals[a] += cost[i][a];
          m = Math.min(m, cost[i][a]);
        }
        oracleGrid += m;
      }
      int bestArm = 0;
      for (int a = 1; a < ARMS; a++) {
        bestArm = armTotals[a] < armTotals[bestArm] ? a : bestArm;
      }
      add(totals, reps, rep, "best fixed arm", armTotals[bestArm]);
      if (armStride != 1 || armOffset != 0) {
        int bestPlayable = armOffset;
        for (int a = armOffset; a < ARMS; a += armStride) {
          bestPlayable = armTotals[a] < armTotals[bestPlayable] ? a : bestPlayable;
        }
        add(totals, reps, rep, "best fixed arm of the learners' arms", armTotals[bestPlayable]);
      }
      add(totals, reps, rep, "instance-optimal omega*", sum(atStar));
      add(totals, reps, rep, "per-instance best grid arm", oracleGrid);
      add(totals, reps, rep, "omega = 1 (Gauss-Seidel)", armTotals[0]);
      add(totals, reps, rep, "omega = 1.8 (fixed)", armTotals[16]);
      add(totals, reps, rep, "omega = 1.6 (fixed)", armTotals[12]);
      add(totals, reps, rep, "textbook omega (the instance's plain Poisson optimum)", sum(atTextbook));
      bestOmega += 1 + 0.05 * bestArm;
      for (Learner l : learners) {
        Designer d = l.provider().create(problem, l.options());
        double[] cum = simulate(d, problem, cost, family.features(), features, l.contextual(), firstRep + rep,
            checkpoints);
        add(totals, reps, rep, l.label(), cum[cum.length - 1]);
        double[] curve = curves.computeIfAbsent(l.label(), k -> new double[checkpoints.length]);
        for (int c = 0; c < checkpoints.length; c++) {
          curve[c] += cum[c];
        }
      }
      double[] starCurve = curves.computeIfAbsent("instance-optimal omega*", k -> new double[checkpoints.length]);
      double[] bestCurve = curves.computeIfAbsent("best fixed arm", k -> new double[checkpoints.length]);
      for (int c = 0; c < checkpoints.length; c++) {
        for (int i = 0; i < checkpoints[c]; i++) {
          starCurve[c] += atStar[i];
          bestCurve[c] += cost[i][bestArm];
        }
      }
    }
    double secs = (System.nanoTime() - start) * 1e-9;
    double[] best = totals.get("best fixed arm");
    double[] star = totals.get("instance-optimal omega*");
    System.out.printf("%n### %s family: T = %d, repetitions = %d (seeds %d..%d; %.0f s: %.0f s cost tables%s, %.0f s "
        + "learners)%n%n", family.id(), t, reps, firstRep, firstRep + reps - 1, secs, solveSecs,
        cache == null ? "" : " (cached in " + cache + ")", secs - solveSecs);
    if (heldOut) {
      System.out.printf("Held out: the learners' defaults were tuned on seeds 0..%d; these are seeds %d..%d.%n%n",
          TUNING_SEEDS - 1, firstRep, firstRep + reps - 1);
    }
    System.out.printf("best fixed omega in hindsight (mean over repetitions): %.3f%n%n",
        bestOmega / reps);
    if (armStride != 1 || armOffset != 0) {
      System.out.printf("learners play %s arms: omega = %.2f + %.2f k (comparators use all 20)%n%n",
          (ARMS - 1 - armOffset) / armStride + 1, 1 + 0.05 * armOffset, 0.05 * armStride);
    }
    System.out.println("Ratios are of mean totals; +- is the standard deviation over repetitions of the per-repetition "
        + "ratio.");
    System.out.println();
    System.out.println("| policy | mean total iterations | / best fixed omega | / instance-optimal omega* |");
    System.out.println("|---|---|---|---|");
    totals.forEach((k, v) -> System.out.printf("| %s | %.0f | %s | %s |%n", k, sum(v) / reps, ratio(v, best),
        ratio(v, star)));
    if (perSeed) {
      System.out.printf("%nPer repetition (seeds %d..%d), total / best fixed arm:%n%n", firstRep, firstRep + reps - 1);
      for (Learner l : learners) {
        StringBuilder b = new StringBuilder("| " + l.label() + " |");
        double[] v = totals.get(l.label());
        for (int r = 0; r < reps; r++) {
          b.append(String.format(" %.2f", v[r] / best[r]));
        }
        System.out.println(b.append(" |"));
      }
      System.out.printf("%nPer repetition (seeds %d..%d), totals (for ratios over any subset of the seeds):%n%n",
          firstRep, firstRep + reps - 1);
      totals.forEach((k, v) -> {
        StringBuilder b = new StringBuilder("totals | " + k + " |");
        for (int r = 0; r < reps; r++) {
          b.append(String.format(" %.0f", v[r]));
        }
        System.out.println(b.append(" |"));
      });
    }
    System.out.printf("%nCumulative iterations (mean over repetitions) after t instances:%n%n| policy |");
    for (int c : checkpoints) {
      System.out.printf(" t = %d |", c);
    }
    System.out.printf("%n|---|%s%n", "---|".repeat(checkpoints.length));
    curves.forEach((k, v) -> {
      System.out.printf("| %s |", k);
      for (double x : v) {
        System.out.printf(" %.0f |", x / reps);
      }
      System.out.println();
    });
  }

  private static Map<String, Object> with(Map<String, Object> m, String k, Object v) {
    Map<String, Object> out = new LinkedHashMap<>(m);
    out.put(k, v);
    return out;
  }

  private static void add(Map<String, double[]> totals, int reps, int rep, String key, double v) {
    totals.computeIfAbsent(key, k -> new double[reps])[rep] = v;
  }

  /** Ratio of the summed totals, with the standard deviation of the per-repetition ratios when reps > 1. */
  private static String ratio(double[] v, double[] base) {
    double r = sum(v) / sum(base);
    if (v.length < 2) {
      return String.format("%.3f", r);
    }
    double m = 0;
    for (int i = 0; i < v.length; i++) {
      m += v[i] / base[i] / v.length;
    }
    double ss = 0;
    for (int i = 0; i < v.length; i++) {
      ss += Math.pow(v[i] / base[i] - m, 2);
    }
    return String.format("%.3f +- %.3f", r, Math.sqrt(ss / (v.length - 1)));
  }

  private static double sum(int[] a) {
    double s = 0;
    for (int x : a) {
      s += x;
    }
    return s;
  }

  private static double sum(double[] a) {
    double s = 0;
    for (double x : a) {
      s += x;
    }
    return s;
  }

  /**
   * Features sent to the learners as their natural log ({@code --log-context contrast,n}): what a client can do for a
   * positive feature spanning decades, which the designers scale linearly.
   */
  static java.util.Set<String> LOGCTX = java.util.Set.of();

  /** Runs one learner over the cost table; returns the cumulative cost at each checkpoint. */
  static double[] simulate(Designer d, StudyProblem problem, int[][] cost, List<String> names, double[][] features,
      boolean contextual,
      long seed, int[] checkpoints) {
    int window = d.needs().window();
    List<TrialView> trials = new ArrayList<>();
    Optional<Map<String, Object>> state = Optional.empty();
    double[] out = new double[checkpoints.length];
    double total = 0;
    int c = 0;
    for (int i = 0; i < cost.length; i++) {
      Map<String, Object> ctx = new LinkedHashMap<>();
      if (contextual) {
        for (int j = 0; j < names.size(); j++) {
          ctx.put(names.get(j), LOGCTX.contains(names.get(j)) ? Math.log(features[i][j]) : features[i][j]);
        }
      }
      List<TrialView> view = trials.subList(Math.max(0, trials.size() - window), trials.size());
      Proposal p = d.suggest(new StudySnapshot(problem, trials.size(), view, state, ctx), 1,
          new SplittableRandom(seed * 1_000_003L + i));
      state = p.nextState();
      Suggestion s = p.suggestions().getFirst();
      int arm = ((Number) s.metadata().get("bandit.arm")).intValue();
      double y = cost[i][armOffset + armStride * arm];
      total += y;
      trials.add(new TrialView(i + 1, TrialState.COMPLETED, s.params(), new double[] {y}, Map.of("iterations", y),
          s.metadata()));
      while (c < checkpoints.length && checkpoints[c] == i + 1) {
        out[c++] = total;
      }
    }
    return out;
  }
}
