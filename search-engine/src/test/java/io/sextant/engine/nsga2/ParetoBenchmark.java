package io.sextant.engine.nsga2;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.pareto.Hypervolume;
import io.sextant.engine.pareto.Pareto;
import io.sextant.engine.study.TrialView;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Benchmarks (not a test): speed of the 2-D non-dominated sort and 3-D hypervolume, hypervolume reached by our NSGA-II
 * on ZDT1/2/3 (n = 30) and DTLZ2 (M = 3, n = 12) after 10,000 and 25,000 evaluations, and time per suggestion.
 * See docs/benchmarks-pareto.md for the command. Arguments: {@code speed} for the speed part only, else an optional list of seeds (default 1 2 3).
 */
public final class ParetoBenchmark {
  private ParetoBenchmark() {}

  public static void main(String[] args) {
    if (args.length == 1 && args[0].equals("speed")) {
      speed();
      return;
    }
    long[] seeds = args.length == 0 ? new long[] {1, 2, 3} : Arrays.stream(args).mapToLong(Long::parseLong).toArray();
    speed();
    nsga2(seeds);
  }

  private static void speed() {
    System.out.printf("load average (1 min) at start: %.2f on %d cores%n",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());
    SplittableRandom r = new SplittableRandom(1);
    double[][] pts2 = new double[100_000][];
    for (int i = 0; i < pts2.length; i++) {
      double x = r.nextDouble();
      pts2[i] = new double[] {x, 1 - Math.sqrt(x) + 0.5 * r.nextDouble()};
    }
    double[][] pts3 = new double[10_000][];
    for (int i = 0; i < pts3.length; i++) {
      double a = Math.abs(r.nextGaussian()), b = Math.abs(r.nextGaussian()), c = Math.abs(r.nextGaussian());
      double n = Math.sqrt(a * a + b * b + c * c) / (1 + 0.05 * r.nextDouble());
      pts3[i] = new double[] {a / n, b / n, c / n};
    }
    double[] ref3 = {1.1, 1.1, 1.1};
    // Run 0 is the cold run; runs 1-20 are warm-up (C2 needs more than a handful of calls to compile the sweep and
    // the 3-D tree); runs 21-30 are the 10 warm runs whose median is reported.
    int warmUp = 20;
    int measured = 10;
    int fronts = 0;
    double hv = 0;
    double[] tSort = new double[1 + warmUp + measured];
    double[] tHv = new double[tSort.length];
    for (int k = 0; k < tSort.length; k++) {
      long t0 = System.nanoTime();
      int[] ranks = Pareto.ranks(pts2);
      long t1 = System.nanoTime();
      hv = Hypervolume.of(pts3, ref3);
      long t2 = System.nanoTime();
      fronts = Arrays.stream(ranks).max().orElse(0) + 1;
      tSort[k] = (t1 - t0) / 1e6;
      tHv[k] = (t2 - t1) / 1e6;
    }
    double[] sortWarm = Arrays.copyOfRange(tSort, 1 + warmUp, tSort.length);
    double[] hvWarm = Arrays.copyOfRange(tHv, 1 + warmUp, tHv.length);
    System.out.printf("non-dominated sort (ranks) of 100,000 2-D points: median of %d warm runs %.1f ms (min %.1f,"
        + " max %.1f), cold run %.1f ms (%d fronts)%n", measured, median(sortWarm.clone()),
        Arrays.stream(sortWarm).min().orElse(0), Arrays.stream(sortWarm).max().orElse(0), tSort[0], fronts);
    System.out.printf("hypervolume of 10,000 3-D points (near-sphere front): median of %d warm runs %.1f ms (min %.1f,"
        + " max %.1f), cold run %.1f ms (HV %.6f)%n", measured, median(hvWarm.clone()),
        Arrays.stream(hvWarm).min().orElse(0), Arrays.stream(hvWarm).max().orElse(0), tHv[0], hv);
    System.out.printf("load average (1 min) at end: %.2f%n",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static void nsga2(long[] seeds) {
    List<MoProblems.Problem> problems = List.of(MoProblems.zdt1(30), MoProblems.zdt2(30), MoProblems.zdt3(30),
        MoProblems.dtlz2(12, 3));
    for (MoProblems.Problem p : problems) {
      for (int evals : new int[] {10_000, 25_000}) {
        double[] hvs = new double[seeds.length];
        double msPerSuggestion = 0;
        for (int s = 0; s < seeds.length; s++) {
          Designer d = new Nsga2DesignerProvider().create(p.study(), Map.of("populationSize", 100));
          long t0 = System.nanoTime();
          List<TrialView> trials = MoProblems.run(d, p, evals, 1, seeds[s]);
          msPerSuggestion += (System.nanoTime() - t0) / 1e6 / evals / seeds.length;
          hvs[s] = MoProblems.hypervolume(p, trials);
        }
        System.out.printf("nsga2 %s M=%d evals=%d: HV median %.6f (seeds %s) = %.2f%% of max %.6f; %.3f ms/suggestion%n",
            p.name(), p.m(), evals, median(hvs.clone()), Arrays.toString(round(hvs)),
            100 * median(hvs.clone()) / p.maxHypervolume(), p.maxHypervolume(), msPerSuggestion);
      }
    }
  }

  private static double[] round(double[] v) {
    return Arrays.stream(v).map(x -> Math.round(x * 1e6) / 1e6).toArray();
  }

  private static double median(double[] v) {
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

}
