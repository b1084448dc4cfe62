package io.sextant.evaluators.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.engine.program.ProgramFamily;
import io.sextant.engine.program.ProgramGraph;
import io.sextant.engine.program.ReferencePrograms;
import io.sextant.evaluators.testing.TestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The program search of {@link ProgramSearchBenchmark} with small budgets: a search is a function of its seed even
 * with asynchronous workers, and the same generic machinery that is meant to walk from AdamW towards Lion
 * rediscovers momentum from plain SGD.
 */
class ProgramSearchReproducibilityTest {
  private static final TestContext CONTEXT = new TestContext(List.of("fitness"), 0);

  private static Function<Map<String, Object>, Map<String, Double>> evaluator(Map<String, Object> config,
      boolean jitter) {
    OptimizerProxy proxy = new OptimizerProxy(ProxySettings.parse(config));
    return params -> {
      if (jitter) {
        // evaluations finish in an order no seed decides: each waits a random 0-3 ms from an unseeded source
        try {
          Thread.sleep(ThreadLocalRandom.current().nextInt(4));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return OptimizerProxyProvider.evaluate(proxy, params, CONTEXT);
    };
  }

  @Test
  void twoSearchesWithTwoAsynchronousWorkersProposeAndScoreTheSamePrograms() {
    Map<String, Object> config = Map.of("tasks", List.of("logreg", "mlp-blobs"), "steps", 20, "seeds", 1,
        "lrSweep", List.of(32.0, 128.0), "stage", "funnel");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Map<String, Object> options = Map.of("population", 10, "tournament", 3, "seed", 7);
      ProgramSearchBenchmark.Result a = ProgramSearchBenchmark.evolution(evaluator(config, true), 120, 7, options, 2,
          pool);
      ProgramSearchBenchmark.Result b = ProgramSearchBenchmark.evolution(evaluator(config, true), 120, 7, options, 2,
          pool);
      assertThat(a.trace()).hasSize(120).isEqualTo(b.trace());
      assertThat(a.trace().stream().distinct().count()).isGreaterThan(60);
      assertThat(a.best()).isEqualTo(b.best());
      assertThat(a.lineage()).isEqualTo(b.lineage()).isNotEmpty();
      // and the seed matters
      ProgramSearchBenchmark.Result c = ProgramSearchBenchmark.evolution(evaluator(config, true), 120, 8,
          Map.of("population", 10, "tournament", 3, "seed", 8), 2, pool);
      assertThat(c.trace()).isNotEqualTo(a.trace());
    } finally {
      pool.shutdown();
    }
  }

  /** The same with structural-novelty protection (novelty tournament, constant tuning, protected old members). */
  @Test
  void aSearchWithStructuralNoveltyProtectionIsReproducibleToo() {
    Map<String, Object> config = Map.of("tasks", List.of("logreg", "mlp-blobs"), "steps", 20, "seeds", 1,
        "lrSweep", List.of(32.0, 128.0), "stage", "funnel");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Map<String, Object> options = Map.of("population", 10, "tournament", 3, "seed", 7, "protectAge", 30,
          "noveltyShare", 0.5, "tune", 2);
      ProgramSearchBenchmark.Result a = ProgramSearchBenchmark.evolution(evaluator(config, true), 120, 7, options, 2,
          pool);
      ProgramSearchBenchmark.Result b = ProgramSearchBenchmark.evolution(evaluator(config, true), 120, 7, options, 2,
          pool);
      assertThat(a.trace()).hasSize(120).isEqualTo(b.trace());
      assertThat(a.best()).isEqualTo(b.best());
      assertThat(a.lineage()).isEqualTo(b.lineage()).isNotEmpty();
      // the protection changes the search: the same seed without it proposes other programs
      ProgramSearchBenchmark.Result plain = ProgramSearchBenchmark.evolution(evaluator(config, false), 120, 7,
          Map.of("population", 10, "tournament", 3, "seed", 7), 2, pool);
      assertThat(plain.trace()).isNotEqualTo(a.trace());
    } finally {
      pool.shutdown();
    }
  }

  /**
   * The benchmark's {@code --warm-start} takes a comma-separated list: several warm starts, each proposed first in
   * the given order (a single name stays a name); the evaluator's flags go to the evaluator, unknown flags fail.
   */
  @Test
  void theBenchmarkTakesSeveralWarmStartsAndTheSearchProposesEachFirst() {
    ProgramSearchBenchmark.Args args = ProgramSearchBenchmark.Args.parse("40", "3", "--warm-start", "adamw,momentum",
        "--tasks", "logreg,mlp-spirals-32", "--steps", "20", "--workers", "2");
    assertThat(args.options()).containsEntry("warmStart", List.of("adamw", "momentum")).containsEntry("seed", 3L)
        .containsEntry("population", 100);
    assertThat(args.evaluator()).containsEntry("tasks", List.of("logreg", "mlp-spirals-32"))
        .containsEntry("steps", 20);
    assertThat(args.evals()).isEqualTo(40);
    assertThat(args.workers()).isEqualTo(2);
    assertThat(ProgramSearchBenchmark.Args.parse("10", "1", "--warm-start", "sgd").options())
        .containsEntry("warmStart", "sgd");
    assertThat(ProgramSearchBenchmark.Args.parse("10", "1").options()).doesNotContainKey("warmStart");
    assertThatThrownBy(() -> ProgramSearchBenchmark.Args.parse("10", "1", "--warm-starts", "sgd"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--warm-starts");

    Map<String, Object> config = Map.of("tasks", List.of("logreg"), "steps", 20, "seeds", 1,
        "lrSweep", List.of(32.0, 128.0), "stage", "cheap");
    ExecutorService pool = Executors.newFixedThreadPool(1);
    try {
      Map<String, Object> options = new java.util.HashMap<>(ProgramSearchBenchmark.Args.parse("30", "3",
          "--warm-start", "adamw,momentum").options());
      options.put("population", 10);
      options.put("tournament", 3);
      ProgramSearchBenchmark.Result r = ProgramSearchBenchmark.evolution(evaluator(config, false), 30, 3, options, 1,
          pool);
      assertThat(r.trace().get(0)).startsWith(ProgramGraph.of(ReferencePrograms.adamw()).hashHex() + ":");
      assertThat(r.trace().get(1)).startsWith(ProgramGraph.of(ReferencePrograms.momentum()).hashHex() + ":");
      assertThat(r.lineage().getLast()).contains("warm-start");
      // every trial descends from one of the two warm starts (each counts itself)
      assertThat(r.roots()).containsOnlyKeys("#1 warm-start adam-like", "#2 warm-start momentum");
      assertThat(r.roots().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
    } finally {
      pool.shutdown();
    }
  }

  /**
   * The second target: from plain SGD, on a noisy ill-conditioned quadratic (where momentum beats SGD by far), searches
   * of 300 evaluations (population 50, tournament 5) end in momentum's family (the update reads a state that
   * accumulates the gradient) in at least 5 of 8 seeds (measured: 6 of 8; the others end in tuned SGD variants such
   * as cbrt(g) * lr). Nothing in the search names momentum: the compose edit that makes it is the same that puts an
   * interpolation of g and m under a sign.
   */
  @Test
  void theSameSearchRediscoversMomentumFromPlainSgd() {
    rediscoversMomentum(Map.of(), 5);
  }

  /**
   * The second target with structural-novelty protection on (protectAge 50, the default noveltyShare 0.25 and tune
   * 2): measured 4 of 8 searches in momentum's family, fewer than without protection (6 of 8): the novelty tournament
   * spends a quarter of the parents on new structures, most of them worse (noveltyShare 0.1: 5 of 8, 0.5: 1 of 8;
   * docs/benchmarks-program-search.md). The test keeps that level.
   */
  @Test
  void theSearchWithNoveltyProtectionStillRediscoversMomentumFromPlainSgd() {
    rediscoversMomentum(Map.of("protectAge", 50, "noveltyShare", 0.25, "tune", 2), 4);
  }

  private static void rediscoversMomentum(Map<String, Object> extra, int least) {
    Map<String, Object> config = Map.of("tasks", List.of("quadratic"), "steps", 60, "seeds", 1,
        "lrSweep", List.of(0.03, 0.1, 0.3, 1.0, 3.0, 10.0), "stage", "cheap");
    double sgd = new OptimizerProxy(ProxySettings.parse(config)).score(ReferencePrograms.sgd(), Stage.CHEAP)
        .fitness();
    ExecutorService pool = Executors.newFixedThreadPool(1);
    try {
      int momentum = 0;
      for (long seed = 1; seed <= 8; seed++) {
        ProgramSearchBenchmark.Result r = ProgramSearchBenchmark.evolution(evaluator(config, false), 300, seed,
            options(Map.of("population", 50, "tournament", 5, "seed", seed, "warmStart", "sgd"), extra), 1, pool);
        assertThat(r.lineage().getLast()).contains("warm-start");
        if (ProgramFamily.of(r.best()) == ProgramFamily.MOMENTUM) {
          momentum++;
          assertThat(r.bestFitness()).as("seed %d", seed).isLessThan(0.5 * sgd);
        }
      }
      System.out.printf("momentum from SGD with %s: %d of 8%n", extra, momentum);
      assertThat(momentum).as("searches ending in momentum's family with %s", extra).isGreaterThanOrEqualTo(least);
    } finally {
      pool.shutdown();
    }
  }

  private static Map<String, Object> options(Map<String, Object> base, Map<String, Object> extra) {
    Map<String, Object> all = new java.util.LinkedHashMap<>(base);
    all.putAll(extra);
    return all;
  }
}
