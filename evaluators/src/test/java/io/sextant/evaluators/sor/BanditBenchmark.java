package io.sextant.evaluators.sor;

import io.sextant.engine.bandit.BinnedTsallisInfProvider;
import io.sextant.engine.bandit.ContextualCbProvider;
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

  public static void main(String[] args) {
    int t = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    for (SorFamily family : List.of(SorFamily.HIGH_VARIANCE, SorFamily.LOW_VARIANCE)) {
      run(family, t, reps);
    }
  }

  record Learner(String label, DesignerProvider provider, Map<String, Object> options, boolean contextual) {}

  static void run(SorFamily family, int t, int reps) {
    StudyProblem problem = new StudyProblem(new SearchSpace(List.of(
        new FloatParameter("omega", 1.0, 1.95, false, OptionalDouble.of(0.05), Optional.empty()))),
        List.of(new Objective("iterations", Direction.MINIMIZE)), List.of());
    Map<String, Object> ctx = Map.of("contextKey", "shift", "low", -0.15, "high", 0.65, "window", 64);
    List<Learner> learners = List.of(
        new Learner("tsallis-inf", new TsallisInfProvider(), Map.of("window", 64), false),
        new Learner("exp3", new Exp3Provider(), Map.of("window", 64), false),
        new Learner("ucb1", new Ucb1Provider(), Map.of("window", 64), false),
        new Learner("thompson", new ThompsonProvider(), Map.of("window", 64), false),
        new Learner("binned-tsallis-inf (5 bins)", new BinnedTsallisInfProvider(), with(ctx, "bins", 5), true),
        new Learner("contextual-cb (T0..T5)", new ContextualCbProvider(), ctx, true));
    double textbook = 2 / (1 + Math.sin(Math.PI / 11));
    Map<String, double[]> totals = new LinkedHashMap<>();
    int[] checkpoints = {t / 10, t / 4, t / 2, t};
    Map<String, double[]> curves = new LinkedHashMap<>();
    long start = System.nanoTime();
    for (int rep = 0; rep < reps; rep++) {
      SorInstances seq = new SorInstances(family, 10, rep, true);
      int[][] cost = new int[t][ARMS];
      double[] context = new double[t];
      int[] atStar = new int[t];
      int[] atTextbook = new int[t];
      for (int i = 0; i < t; i++) {
        SorInstance inst = seq.instance(i + 1);
        context[i] = inst.context();
        for (int a = 0; a < ARMS; a++) {
          cost[i][a] = Sor.solve(inst.matrix(), inst.rhs(), 1 + 0.05 * a, 1e-8, 10_000).iterations();
        }
        atStar[i] = Sor.solve(inst.matrix(), inst.rhs(), inst.omegaStar(), 1e-8, 10_000).iterations();
        atTextbook[i] = Sor.solve(inst.matrix(), inst.rhs(), textbook, 1e-8, 10_000).iterations();
      }
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
      add(totals, "best fixed arm", armTotals[bestArm], 0);
      add(totals, "instance-optimal omega*", sum(atStar), 0);
      add(totals, "per-instance best grid arm", oracleGrid, 0);
      add(totals, "omega = 1 (Gauss-Seidel)", armTotals[0], 0);
      add(totals, "omega = 1.8 (fixed)", armTotals[16], 0);
      add(totals, "omega = 1.6 (fixed)", armTotals[12], 0);
      add(totals, "textbook omega 2/(1+sin(pi h)) = 1.5604", sum(atTextbook), 0);
      totals.computeIfAbsent("best fixed omega (value)", k -> new double[1])[0] += 1 + 0.05 * bestArm;
      for (Learner l : learners) {
        Designer d = l.provider().create(problem, l.options());
        double[] cum = simulate(d, problem, cost, context, l.contextual(), rep, checkpoints);
        add(totals, l.label(), cum[cum.length - 1], 0);
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
    double best = totals.get("best fixed arm")[0];
    double star = totals.get("instance-optimal omega*")[0];
    System.out.printf("%n### %s family: T = %d, repetitions = %d (%.0f s)%n%n", family.id(), t, reps, secs);
    System.out.printf("best fixed omega in hindsight (mean over repetitions): %.3f%n%n",
        totals.get("best fixed omega (value)")[0] / reps);
    System.out.println("| policy | mean total iterations | / best fixed omega | / instance-optimal omega* |");
    System.out.println("|---|---|---|---|");
    totals.forEach((k, v) -> {
      if (!k.startsWith("best fixed omega (value)")) {
        System.out.printf("| %s | %.0f | %.3f | %.3f |%n", k, v[0] / reps, v[0] / best, v[0] / star);
      }
    });
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

  private static void add(Map<String, double[]> totals, String key, double v, int unused) {
    totals.computeIfAbsent(key, k -> new double[1])[0] += v;
  }

  private static double sum(int[] a) {
    double s = 0;
    for (int x : a) {
      s += x;
    }
    return s;
  }

  /** Runs one learner over the cost table; returns the cumulative cost at each checkpoint. */
  static double[] simulate(Designer d, StudyProblem problem, int[][] cost, double[] context, boolean contextual,
      long seed, int[] checkpoints) {
    int window = d.needs().window();
    List<TrialView> trials = new ArrayList<>();
    Optional<Map<String, Object>> state = Optional.empty();
    double[] out = new double[checkpoints.length];
    double total = 0;
    int c = 0;
    for (int i = 0; i < cost.length; i++) {
      Map<String, Object> ctx = contextual ? Map.of("shift", context[i]) : Map.of();
      List<TrialView> view = trials.subList(Math.max(0, trials.size() - window), trials.size());
      Proposal p = d.suggest(new StudySnapshot(problem, trials.size(), view, state, ctx), 1,
          new SplittableRandom(seed * 1_000_003L + i));
      state = p.nextState();
      Suggestion s = p.suggestions().getFirst();
      int arm = ((Number) s.metadata().get("bandit.arm")).intValue();
      double y = cost[i][arm];
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
