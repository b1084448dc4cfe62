package io.sextant.engine.bo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.random.RandomDesignerProvider;
import io.sextant.engine.stopping.StoppingRules;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The model of PRUNED trials ({@link PrunedTrials}) and gp-bo with early stopping on learning curves. */
class PrunedTrialsTest {
  private static final Function<Map<String, Object>, double[]> X = p -> new double[] {(Double) p.get("a")};

  /** A trial with parameter a and the given curve (step -> value); final value v when COMPLETED. */
  private static TrialView trial(long n, TrialState state, double a, double v, double... curve) {
    TreeMap<Long, Double> c = new TreeMap<>();
    for (int i = 0; i < curve.length; i++) {
      c.put((long) i + 1, curve[i]);
    }
    return new TrialView(n, state, Map.of("a", a), new double[] {v}, Map.of(), Map.of(), c);
  }

  /**
   * Completed trials whose value at step 2 is final + 1 + 4a (trials with a large a still improve a lot after step
   * 2: crossing curves): two trials pruned at step 2 with the same value there get different estimates, the one with
   * the large a (the slow starter) the lower one; a lower value at the step gives a lower estimate; estimates stay
   * within the completed finals' range.
   */
  @Test
  void estimatesLearnTheImprovementStillToComeFromTheCompletedTrials() {
    List<TrialView> ts = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 30; i++) {
      double a = r.nextDouble();
      double fin = 2 + r.nextDouble();
      ts.add(trial(i + 1, TrialState.COMPLETED, a, fin, fin + 5 + 4 * a, fin + 1 + 4 * a, fin));
    }
    ts.add(trial(31, TrialState.PRUNED, 0.9, Double.NaN, 9, 6.5));
    ts.add(trial(32, TrialState.PRUNED, 0.1, Double.NaN, 9, 6.5));
    ts.add(trial(33, TrialState.PRUNED, 0.1, Double.NaN, 9, 4.0));
    ts.add(trial(34, TrialState.FAILED, 0.5, Double.NaN));
    double[] e = PrunedTrials.estimates(ts, 1.0, X);
    assertThat(Arrays.copyOf(e, 30)).containsOnly(Double.NaN);
    assertThat(e[33]).isNaN();
    // truth: 6.5 - 1 - 4 * 0.9 = 1.9 (below every final: clamped to the best final), 6.5 - 1.4 = 5.1 (above every
    // final: clamped to the worst), 4.0 - 1.4 = 2.6
    double lo = ts.stream().limit(30).mapToDouble(t -> t.values()[0]).min().orElseThrow();
    double hi = ts.stream().limit(30).mapToDouble(t -> t.values()[0]).max().orElseThrow();
    assertThat(e[30]).isLessThan(e[31]).isCloseTo(lo, within(0.3));
    assertThat(e[31]).isCloseTo(hi, within(0.3));
    assertThat(e[32]).isLessThan(e[31]).isCloseTo(2.6, within(0.3));
    for (int i = 30; i < 33; i++) {
      assertThat(e[i]).isBetween(lo, hi);
    }
    // maximized objective: the same data mirrored gives the same estimates mirrored
    List<TrialView> mirrored = ts.stream().map(t -> new TrialView(t.number(), t.state(), t.params(),
        new double[] {-t.values()[0]}, Map.of(), Map.of(), negate(t.intermediate()))).toList();
    double[] m = PrunedTrials.estimates(mirrored, -1.0, X);
    for (int i = 30; i < 33; i++) {
      assertThat(m[i]).isCloseTo(e[i], within(1e-9));
    }
  }

  private static TreeMap<Long, Double> negate(java.util.SortedMap<Long, Double> c) {
    TreeMap<Long, Double> out = new TreeMap<>();
    c.forEach((k, v) -> out.put(k, -v));
    return out;
  }

  /** Without completed peers at the pruning step, or without a reported value, the estimate is the median final. */
  @Test
  void withoutACohortTheEstimateIsTheMedianFinal() {
    List<TrialView> ts = new ArrayList<>(List.of(
        trial(1, TrialState.COMPLETED, 0.1, 1.0, 3.0),
        trial(2, TrialState.COMPLETED, 0.2, 5.0, 9.0),
        trial(3, TrialState.COMPLETED, 0.3, 2.0),
        trial(4, TrialState.PRUNED, 0.4, Double.NaN, 0.5), // only 2 completed peers at step 1
        trial(5, TrialState.PRUNED, 0.5, Double.NaN)));
    double[] e = PrunedTrials.estimates(ts, 1.0, X);
    assertThat(e[3]).isEqualTo(2.0);
    assertThat(e[4]).isEqualTo(2.0);
    assertThat(PrunedTrials.estimates(ts.subList(3, 5), 1.0, X)).containsOnly(Double.NaN);
  }

  /**
   * Convergence: gp-bo with the median stopping rule on a learning-curve objective with crossing curves
   * (LearningCurves: 24 trials of 10 steps, 3 seeds) ends with a lower median regret than random search without
   * stopping, spends fewer steps, and never proposes a point within 1e-3 of a pruned one.
   */
  @Test
  void stoppingAwareGpBoBeatsRandomSearch() {
    double[] gp = new double[3];
    double[] random = new double[3];
    for (int seed = 0; seed < 3; seed++) {
      Designer g = new GpBoDesignerProvider().create(LearningCurves.problem(), Map.of("seed", seed));
      LearningCurves.Run run = LearningCurves.run(g, StoppingRules.of(Map.of("rule", "median")), 24, 10, seed);
      assertThat(run.nearPruned()).as("proposals next to a pruned trial").isZero();
      assertThat(run.pruned()).as("the rule pruned something").isPositive();
      assertThat(run.steps()).isLessThan(24 * 10);
      gp[seed] = run.regret();
      Designer rd = new RandomDesignerProvider().create(LearningCurves.problem(), Map.of());
      random[seed] = LearningCurves.run(rd, StoppingRules.of(Map.of("rule", "none")), 24, 10, seed).regret();
    }
    Arrays.sort(gp);
    Arrays.sort(random);
    assertThat(gp[1]).as("median regret gp-bo+median %s vs random %s", Arrays.toString(gp), Arrays.toString(random))
        .isLessThan(random[1] / 2);
  }
}
