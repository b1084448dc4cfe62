package io.sextant.engine.nsga2;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.pareto.Hypervolume;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.uma.jmetal.algorithm.multiobjective.nsgaii.NSGAII;
import org.uma.jmetal.algorithm.multiobjective.nsgaii.NSGAIIBuilder;
import org.uma.jmetal.operator.crossover.impl.SBXCrossover;
import org.uma.jmetal.operator.mutation.impl.PolynomialMutation;
import org.uma.jmetal.problem.doubleproblem.DoubleProblem;
import org.uma.jmetal.problem.multiobjective.dtlz.DTLZ2;
import org.uma.jmetal.problem.multiobjective.zdt.ZDT1;
import org.uma.jmetal.problem.multiobjective.zdt.ZDT2;
import org.uma.jmetal.problem.multiobjective.zdt.ZDT3;
import org.uma.jmetal.solution.doublesolution.DoubleSolution;
import org.uma.jmetal.util.pseudorandom.JMetalRandom;

/**
 * Benchmark (not a test; jMetal is a test-scope dependency, never in the main artifact): our NSGA-II against jMetal
 * 6.1's classic generational NSGA-II with the same settings (population 100, SBX p 0.9 eta 15, polynomial mutation
 * p 1/n eta 20; jMetal's binary tournament on rank and crowding, mating pool 100, 100 offspring per generation) on
 * ZDT1/2/3 (n = 30) and DTLZ2 (M = 3, n = 12), each problem in jMetal's own implementation (checked against ours on
 * random points first). One metric for both: our {@link Hypervolume#of} with reference point 1.1.
 *
 * <p>Reported per run: jMetal's final population (its {@code result()}, the non-dominated members); ours the same way,
 * the parent population the designer would use after the last generation ({@code survivors}, non-dominated members),
 * and ours over every evaluated trial (the study's Pareto front, what the service reports). Ours runs asynchronously
 * through the ask/tell loop, one suggestion at a time; jMetal is generational.
 *
 * <p>Arguments: {@code [evals,evals...] [seed,seed...] [problem,problem...] [windowGenerations=K | classic-pool]};
 * default {@code 10000,25000 1,2,3 ZDT1,ZDT2,ZDT3,DTLZ2}, our default window. {@code classic-pool} runs only ours,
 * fed the generational pool (an experiment, see {@link #oursClassicPool}). See docs/benchmarks-pareto.md.
 */
public final class JMetalComparison {
  private JMetalComparison() {}

  record Case(MoProblems.Problem ours, Supplier<DoubleProblem> theirs) {}

  public static void main(String[] args) {
    int[] evals = args.length > 0 ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
        : new int[] {10_000, 25_000};
    long[] seeds = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToLong(Long::parseLong).toArray()
        : new long[] {1, 2, 3};
    if (args.length > 3 && args[3].equals("classic-pool")) {
      for (String name : args[2].split(",")) {
        MoProblems.Problem p = switch (name) {
          case "ZDT1" -> MoProblems.zdt1(30);
          case "ZDT2" -> MoProblems.zdt2(30);
          case "ZDT3" -> MoProblems.zdt3(30);
          default -> MoProblems.dtlz2(12, 3);
        };
        for (String e : args[0].split(",")) {
          double[] hv = Arrays.stream(args[1].split(",")).mapToDouble(
              seed -> oursClassicPool(p, Integer.parseInt(e), Long.parseLong(seed))).toArray();
          System.out.printf("classic-pool experiment %s evals=%s: final pop HV median %.6f %s%n", name, e, median(hv),
              Arrays.toString(round(hv)));
        }
      }
      return;
    }
    int window = args.length > 3 && args[3].startsWith("windowGenerations=")
        ? Integer.parseInt(args[3].substring("windowGenerations=".length())) : Nsga2Config.WINDOW_GENERATIONS;
    System.out.println("ours: windowGenerations " + window);
    List<String> names = args.length > 2 ? List.of(args[2].split(",")) : List.of("ZDT1", "ZDT2", "ZDT3", "DTLZ2");
    List<Case> cases = new ArrayList<>();
    for (Case c : List.of(new Case(MoProblems.zdt1(30), () -> new ZDT1(30)),
        new Case(MoProblems.zdt2(30), () -> new ZDT2(30)), new Case(MoProblems.zdt3(30), () -> new ZDT3(30)),
        new Case(MoProblems.dtlz2(12, 3), () -> new DTLZ2(12, 3)))) {
      if (names.contains(c.ours().name())) {
        checkSameProblem(c);
        cases.add(c);
      }
    }
    System.out.printf("load average (1 min) at start: %.2f%n", loadAverage());
    for (Case c : cases) {
      for (int e : evals) {
        double[] jm = new double[seeds.length];
        double[] ourPop = new double[seeds.length];
        double[] ourAll = new double[seeds.length];
        double jmMs = 0;
        double ourMs = 0;
        for (int s = 0; s < seeds.length; s++) {
          long t0 = System.nanoTime();
          jm[s] = jmetal(c, e, seeds[s]);
          long t1 = System.nanoTime();
          double[] o = ours(c.ours(), e, seeds[s], window);
          long t2 = System.nanoTime();
          ourPop[s] = o[0];
          ourAll[s] = o[1];
          jmMs += (t1 - t0) / 1e6 / seeds.length;
          ourMs += (t2 - t1) / 1e6 / seeds.length;
        }
        MoProblems.Problem p = c.ours();
        System.out.printf("%s M=%d evals=%d | jMetal final pop HV %.6f %s (%.0f ms/run) | ours final pop HV %.6f %s"
                + " | ours all trials HV %.6f %s (%.0f ms/run) | ours/jMetal (final pop) %.2f%% | max %.6f%n",
            p.name(), p.m(), e, median(jm), Arrays.toString(round(jm)), jmMs, median(ourPop),
            Arrays.toString(round(ourPop)), median(ourAll), Arrays.toString(round(ourAll)), ourMs,
            100 * median(ourPop) / median(jm), p.maxHypervolume());
      }
    }
    System.out.printf("load average (1 min) at end: %.2f%n", loadAverage());
  }

  /** jMetal NSGA-II; returns the hypervolume of its final population's non-dominated members. */
  static double jmetal(Case c, int evaluations, long seed) {
    JMetalRandom.getInstance().setSeed(seed);
    DoubleProblem problem = c.theirs().get();
    int n = problem.numberOfVariables();
    NSGAII<DoubleSolution> algorithm = new NSGAIIBuilder<>(problem, new SBXCrossover(0.9, 15.0),
        new PolynomialMutation(1.0 / n, 20.0), 100)
        .setMaxEvaluations(evaluations)
        .build();
    algorithm.run();
    double[][] pts = algorithm.result().stream().map(DoubleSolution::objectives).toArray(double[][]::new);
    return Hypervolume.of(pts, c.ours().ref());
  }

  /** Ours through the ask/tell loop; {final population HV, all-trials HV}. */
  static double[] ours(MoProblems.Problem p, int evaluations, long seed, int windowGenerations) {
    Designer d = new Nsga2DesignerProvider().create(p.study(),
        Map.of("populationSize", 100, "windowGenerations", windowGenerations));
    Nsga2Designer nsga2 = (Nsga2Designer) d;
    List<TrialView> trials = MoProblems.run(d, p, evaluations, 1, seed);
    return new double[] {Hypervolume.of(finalPopulation(nsga2, trials), p.ref()), MoProblems.hypervolume(p, trials)};
  }

  /**
   * Objective values of the parent population the designer would use next: its survival over the same window the
   * API would give it (the last {@code needs().limit()} trials).
   */
  static double[][] finalPopulation(Nsga2Designer d, List<TrialView> trials) {
    int window = d.needs().window();
    List<TrialView> recent = trials.subList(Math.max(0, trials.size() - window), trials.size());
    return d.survivors(recent, d.nextGeneration(recent)).stream().map(i -> i.trial().values())
        .toArray(double[][]::new);
  }

  /**
   * Experiment (not the product): our designer fed, instead of the last 4 generations, exactly the classic
   * generational pool: the previous parent population plus the last complete generation (plus the current
   * generation's trials, for the generation count). Isolates the effect of the sliding window. Returns the final
   * population's HV.
   */
  static double oursClassicPool(MoProblems.Problem p, int evaluations, long seed) {
    Nsga2Designer d = (Nsga2Designer) new Nsga2DesignerProvider().create(p.study(), Map.of("populationSize", 100));
    var sp = p.study();
    List<TrialView> history = new ArrayList<>();
    List<TrialView> parents = List.of(); // P_g as trials
    List<TrialView> lastGen = List.of(); // Q_{g-1}
    List<TrialView> current = new ArrayList<>();
    long gen = 0;
    while (history.size() < evaluations) {
      Map<Long, TrialView> byNumber = new java.util.TreeMap<>();
      for (List<TrialView> part : List.of(parents, lastGen, current)) {
        part.forEach(t -> byNumber.put(t.number(), t));
      }
      List<TrialView> view = new ArrayList<>(byNumber.values());
      var snap = io.sextant.engine.designer.StudySnapshot.of(sp, history.size(), view);
      var sug = d.suggest(snap, 1, new SplittableRandom(seed + history.size())).suggestions().get(0);
      double[] f = p.evaluate(sug.params());
      Map<String, Double> metrics = new java.util.HashMap<>();
      for (int j = 0; j < f.length; j++) {
        metrics.put("f" + (j + 1), f[j]);
      }
      TrialView t = new TrialView(history.size() + 1, io.sextant.engine.study.TrialState.COMPLETED, sug.params(), f,
          metrics, sug.metadata());
      history.add(t);
      long g = Nsga2Designer.generationOf(t);
      if (g != gen) {
        throw new IllegalStateException("generation " + g + " while filling " + gen);
      }
      current.add(t);
      if (current.size() == 100) { // generation complete: P_{g+1} = survive(P_g + Q_g)
        List<TrialView> pool = new ArrayList<>(parents);
        pool.addAll(current);
        pool.sort(java.util.Comparator.comparingLong(TrialView::number));
        parents = d.survivors(pool, gen + 1).stream().map(Nsga2Designer.Individual::trial)
            .sorted(java.util.Comparator.comparingLong(TrialView::number)).toList();
        lastGen = current;
        current = new ArrayList<>();
        gen++;
      }
    }
    double[][] pts = parents.stream().map(TrialView::values).toArray(double[][]::new);
    return Hypervolume.of(pts, p.ref());
  }

  /** jMetal's problem and ours give the same objectives (to 1e-12) on random points. */
  private static void checkSameProblem(Case c) {
    DoubleProblem problem = c.theirs().get();
    SplittableRandom r = new SplittableRandom(7);
    for (int k = 0; k < 100; k++) {
      DoubleSolution s = problem.createSolution();
      double[] x = new double[problem.numberOfVariables()];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextDouble();
        s.variables().set(i, x[i]);
      }
      problem.evaluate(s);
      double[] ours = c.ours().f().apply(x);
      for (int j = 0; j < ours.length; j++) {
        if (Math.abs(ours[j] - s.objectives()[j]) > 1e-12) {
          throw new IllegalStateException(c.ours().name() + ": jMetal's objective " + j + " differs from ours");
        }
      }
    }
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static double[] round(double[] v) {
    return Arrays.stream(v).map(x -> Math.round(x * 1e6) / 1e6).toArray();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
