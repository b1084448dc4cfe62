package io.sextant.evaluators.proxy;

import io.sextant.engine.program.Program;
import io.sextant.engine.program.ReferencePrograms;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stage's fitness measured with many seeds, for the program-search benchmark (not a test). The evaluator scores a
 * stage with two seeds; on the meta-validation tasks that is too noisy to rank programs a few percent apart (Lion's
 * two-seed meta-validation fitness ranges 0.60-1.00 over disjoint seed pairs). This runs {@code seeds} seeds (the
 * evaluator's two first) and reports, against AdamW on the same seeds:
 * <ul>
 *   <li>{@code pooled}: the stage fitness with each task's loss the best over the lr sweep of the mean over all seeds;
 *   <li>{@code pairs}: the two-seed fitness of each disjoint seed pair (seeds 0-1, 2-3, ...), so its spread shows what
 *       one two-seed measurement can say, and pairwise comparisons between programs are paired by seeds.
 * </ul>
 */
final class HeldOutCheck {
  private final OptimizerProxy proxy;
  private final Stage stage;
  private final long firstSeed;
  private final int seeds;
  private final double[][][] adamw;

  HeldOutCheck(OptimizerProxy proxy, Stage stage, long firstSeed, int seeds) {
    if (seeds < 2 || seeds % 2 != 0) {
      throw new IllegalArgumentException("seeds must be even and at least 2, got " + seeds);
    }
    this.proxy = proxy;
    this.stage = stage;
    this.firstSeed = firstSeed;
    this.seeds = seeds;
    this.adamw = proxy.lossGrid(ReferencePrograms.adamw(), stage, firstSeed, seeds);
  }

  /** A program's pooled fitness and its fitness per seed pair. */
  record Measure(double pooled, double[] pairs) {
    double pairMean() {
      return Arrays.stream(pairs).average().orElseThrow();
    }

    double pairSd() {
      double m = pairMean();
      return Math.sqrt(Arrays.stream(pairs).map(x -> (x - m) * (x - m)).sum() / Math.max(1, pairs.length - 1));
    }

    /** Seed pairs on which this program's fitness is lower than the other's. */
    int winsOver(Measure other) {
      int wins = 0;
      for (int i = 0; i < pairs.length; i++) {
        wins += pairs[i] < other.pairs[i] ? 1 : 0;
      }
      return wins;
    }

    String describe() {
      return String.format("pooled %.3f, per pair %.3f +- %.3f (sd over %d pairs)", pooled, pairMean(), pairSd(),
          pairs.length);
    }
  }

  Measure measure(Program program) {
    double[][][] mine = proxy.lossGrid(program, stage, firstSeed, seeds);
    double pooled = OptimizerProxy.fitness(OptimizerProxy.bestMeans(mine, 0, seeds),
        OptimizerProxy.bestMeans(adamw, 0, seeds));
    double[] pairs = new double[seeds / 2];
    for (int p = 0; p < pairs.length; p++) {
      pairs[p] = OptimizerProxy.fitness(OptimizerProxy.bestMeans(mine, 2 * p, 2 * p + 2),
          OptimizerProxy.bestMeans(adamw, 2 * p, 2 * p + 2));
    }
    return new Measure(pooled, pairs);
  }

  /** Measures each program and prints one line each, with its paired wins over each of {@code references} (keys). */
  Map<String, Measure> report(String title, Map<String, Program> programs, String... references) {
    Map<String, Measure> out = new LinkedHashMap<>();
    programs.forEach((name, p) -> out.put(name, measure(p)));
    System.out.printf("%s (%s, %d seeds from %d):%n", title, stage.name().toLowerCase(), seeds, firstSeed);
    out.forEach((name, m) -> {
      StringBuilder wins = new StringBuilder();
      for (String reference : references) {
        Measure ref = out.get(reference);
        if (ref != null && !name.equals(reference)) {
          wins.append(String.format(", lower than %s on %d of %d pairs", reference, m.winsOver(ref),
              m.pairs.length));
        }
      }
      System.out.printf("  %-22s %s%s%n", name, m.describe(), wins);
    });
    return out;
  }
}
