package io.sextant.engine.bandit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Contextual designers on contexts as users send them: several fields, noise fields, missing fields. */
class ContextualFieldsTest {
  private static final StudyProblem OMEGA = BanditFixtures.omegaProblem(Direction.MINIMIZE);

  /** Context of round t: a in [0, 1], kind x or y, and c, an irrelevant number (deterministic in t). */
  private static Map<String, Object> context(long t) {
    SplittableRandom r = new SplittableRandom(1000 + t);
    return Map.of("a", r.nextDouble(), "kind", r.nextBoolean() ? "x" : "y", "c", r.nextDouble() * 50);
  }

  /** The best arm for a context: 4 + 8a, plus 6 for kind y. */
  private static double best(Map<String, Object> ctx) {
    return 4 + 8 * (Double) ctx.get("a") + ("y".equals(ctx.get("kind")) ? 6 : 0);
  }

  /** Runs a designer for {@code rounds}, contexts from {@code contexts}, costs from {@code cost}. */
  private static BanditFixtures.Run run(Designer d, int rounds, LongFunction<Map<String, Object>> contexts,
      CostOf cost, long seed) {
    List<TrialView> trials = new java.util.ArrayList<>();
    Optional<Map<String, Object>> state = Optional.empty();
    SplittableRandom noise = new SplittableRandom(seed ^ 0x5DEECE66DL);
    int[] chosen = new int[rounds];
    double total = 0;
    Arms arms = ((BanditDesigner) d).arms;
    for (int t = 0; t < rounds; t++) {
      Map<String, Object> ctx = contexts.apply(t);
      List<TrialView> view = trials.subList(Math.max(0, trials.size() - 100), trials.size());
      Proposal p = d.suggest(new StudySnapshot(OMEGA, trials.size(), view, state, ctx), 1,
          new SplittableRandom(seed + t));
      state = p.nextState();
      int arm = arms.indexOf(p.suggestions().getFirst().params());
      chosen[t] = arm;
      double y = cost.of(arm, ctx, noise);
      total += y;
      trials.add(new TrialView(t + 1, io.sextant.engine.study.TrialState.COMPLETED,
          p.suggestions().getFirst().params(), new double[] {y}, Map.of(), p.suggestions().getFirst().metadata()));
    }
    return new BanditFixtures.Run(trials, chosen, total);
  }

  interface CostOf {
    double of(int arm, Map<String, Object> ctx, SplittableRandom noise);
  }

  /**
   * log cost {@code 0.05 arm^2 - 0.1 arm best(ctx)}: quadratic in the arm, lowest at the context's best arm, and a sum
   * of a term per field at each arm (as linucb's model is), 5% noise.
   */
  private static final CostOf SMOOTH = (arm, ctx, noise) ->
      30 * Math.exp(0.05 * arm * arm - 0.1 * arm * best(ctx)) * (1 + 0.05 * noise.nextGaussian());

  @Test
  void linucbUsesTheFieldsThatPredictTheCostAndLeavesOutTheOneThatDoesNot() {
    Designer d = new LinUcbProvider().create(OMEGA, Map.of());
    int rounds = 1500;
    BanditFixtures.Run r = run(d, rounds, ContextualFieldsTest::context, SMOOTH, 3);
    int close = 0;
    for (int t = rounds - 500; t < rounds; t++) {
      close += Math.abs(r.arms()[t] - best(context(t))) <= 1.01 ? 1 : 0;
    }
    // the best arm moves over 15 arms with a and kind; a learner that ignores either is rarely within one arm
    assertThat(close).as("pulls within one arm of the context's best in the last 500").isGreaterThan(400);
    ContextStats s = (ContextStats) ((LinUcbDesigner) d).fold(
        StudySnapshot.of(OMEGA, rounds, r.trials())).stats();
    assertThat(((LinUcbDesigner) d).selectedFields(s)).containsExactlyInAnyOrder("a", "kind");
    assertThat(s.layout.names()).contains("a:T1", "c:T1", "kind=x", "kind=y");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void onAContextOfPureNoiseLinucbIsNoWorseThanGpUcb(long seed) {
    // the V of the learning tests with 30% instance noise; the context: three fields that have nothing to do with it
    BanditFixtures.CostModel v = (arm, x, rng) -> (100 + 30 * Math.abs(arm - 12)) * Math.exp(0.3 * rng.nextGaussian());
    CostOf cost = (arm, ctx, noise) -> v.cost(arm, 0, noise);
    LongFunction<Map<String, Object>> noiseContext = t -> {
      SplittableRandom r = new SplittableRandom(seed * 7919 + t);
      return Map.of("x", r.nextDouble(), "on", r.nextBoolean(), "host", "node" + r.nextInt(4));
    };
    int rounds = 600;
    BanditFixtures.Run contextual = run(new LinUcbProvider().create(OMEGA, Map.of()), rounds, noiseContext, cost,
        seed);
    BanditFixtures.Run plain = run(new GpUcbProvider().create(OMEGA, Map.of()), rounds, t -> Map.of(), cost, seed);
    // the bar: never more than 3% worse than the non-contextual counterpart (here: no field is ever chosen,
    // so the two play the same arms)
    assertThat(contextual.totalCost()).isLessThanOrEqualTo(1.03 * plain.totalCost());
  }

  @Test
  void aRequestWithoutAFieldIsPlayedForTheAverageOfThatFieldAndNeverAtRandom() {
    LinUcbDesigner d = (LinUcbDesigner) new LinUcbProvider().create(OMEGA, Map.of());
    LongFunction<Map<String, Object>> onlyA = t -> Map.of("a", (Double) context(t).get("a"));
    BanditFixtures.Run r = run(d, 800, onlyA, SMOOTH, 5);
    ContextStats s = (ContextStats) d.fold(StudySnapshot.of(OMEGA, 800, r.trials())).stats();
    assertThat(d.selectedFields(s)).containsExactly("a");
    // best arm 4 + 8a with a uniform: averaged over a, the log cost 0.05 (arm - 4 - 8a)^2 is lowest at arm 8; the
    // same request asked again gets the same arm (deterministic rule, no uniform draw)
    StudySnapshot missing = new StudySnapshot(OMEGA, 800, r.trials().subList(700, 800),
        Optional.of(d.fold(StudySnapshot.of(OMEGA, 800, r.trials())).state()), Map.of("other", 1));
    java.util.Set<Integer> arms = new java.util.HashSet<>();
    for (int k = 0; k < 5; k++) {
      arms.add(((Number) d.suggest(missing, 1, new SplittableRandom(k)).suggestions().getFirst().metadata()
          .get("bandit.arm")).intValue());
    }
    assertThat(arms).hasSize(1);
    assertThat(arms.iterator().next()).isBetween(7, 9);
  }

  @Test
  void binnedTsallisInfHasACellPerBinCombinationAndAPooledLearnerForRequestsWithoutContext() {
    Designer d = new BinnedTsallisInfProvider().create(OMEGA, Map.of("bins", 2));
    LongFunction<Map<String, Object>> ctx = t -> {
      Map<String, Object> c = new HashMap<>(context(t));
      c.remove("c");
      return c;
    };
    BanditFixtures.Run r = run(d, 1500, ctx, SMOOTH, 7);
    BanditDesigner.Folded f = ((BanditDesigner) d).fold(StudySnapshot.of(OMEGA, 1500, r.trials()));
    // a in 2 bins x kind in 2 categories
    assertThat(BinnedTsallisInfDesigner.cellNames(f.stats())).containsExactlyInAnyOrder(
        "a=0|kind=x", "a=0|kind=y", "a=1|kind=x", "a=1|kind=y");
    // without a context: the pooled Tsallis-INF, which after 1500 pulls is far from uniform
    Proposal p = d.suggest(new StudySnapshot(OMEGA, 1500, r.trials().subList(1400, 1500), Optional.of(f.state()),
        Map.of()), 1, new SplittableRandom(1));
    double prob = ((Number) p.suggestions().getFirst().metadata().get("bandit.probability")).doubleValue();
    assertThat(prob).as("pooled probability of the drawn arm").isNotEqualTo(1.0 / 20);
    double[] pooled = ((BinnedTsallisInfDesigner.Cells) f.stats()).pooled.tsallis(1);
    assertThat(java.util.Arrays.stream(pooled).max().orElseThrow()).as("pooled: concentrated, not uniform")
        .isGreaterThan(3.0 / 20);
  }


}
