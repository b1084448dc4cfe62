package io.sextant.engine.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.Designers;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Learning behaviour, cached-state consistency and the Tsallis normalizer. All runs are seeded (deterministic). */
class BanditLearningTest {
  /** 20 arms, mean cost 100 + 30 |i - 12| (best arm 12), 10% Gaussian noise. */
  static final BanditFixtures.CostModel V_SHAPED =
      (arm, x, rng) -> (100 + 30 * Math.abs(arm - 12)) * (1 + 0.1 * rng.nextGaussian());

  @ParameterizedTest
  @ValueSource(strings = {"tsallis-inf", "exp3", "ucb1", "thompson", "gp-ucb"})
  void learnsTheBestArmAndItsRegretIsSmall(String name) {
    StudyProblem problem = BanditFixtures.omegaProblem(Direction.MINIMIZE);
    Designer d = Designers.load().find(name).orElseThrow().create(problem, Map.of());
    int rounds = 3000;
    BanditFixtures.Run run = BanditFixtures.simulate(d, problem, rounds, V_SHAPED, "", t -> 0, 7);
    int best = 0;
    for (int t = rounds - 1000; t < rounds; t++) {
      best += run.arms()[t] == 12 ? 1 : 0;
    }
    // Gaps are >= 30% of the best cost; the noise sd is 10%. Every algorithm here has sublinear regret, so after
    // 2000 rounds it plays the best arm most of the time. Exp3 with the anytime rate sqrt(2 ln K / (K t)) on
    // mean-scaled losses is the slowest: it is only required to favour the best arm clearly (>= 20% vs 5% uniform).
    // Regret is bounded at 35% of the best fixed arm's total (uniform play would cost ~2.5x).
    assertThat(best).as("best-arm pulls in the last 1000 rounds").isGreaterThan(name.equals("exp3") ? 200 : 600);
    assertThat(run.totalCost()).isLessThan(1.35 * 100 * rounds);
    ArmStatistics stats = ArmStatistics.of(problem, run.trials());
    assertThat(stats.bestArm()).hasValue(12);
    assertThat(stats.pulls()).isEqualTo(rounds);
  }

  @Test
  void maximizeIsTheSignFlippedProblem() {
    StudyProblem problem = BanditFixtures.omegaProblem(Direction.MAXIMIZE);
    Designer d = new TsallisInfProvider().create(problem, Map.of());
    // A reward to maximize: 1000 - cost, so arm 12 is still best.
    BanditFixtures.Run run = BanditFixtures.simulate(d, problem, 2000, V_SHAPED, "", t -> 0, 3);
    int best = 0;
    for (int t = 1000; t < 2000; t++) {
      best += run.arms()[t] == 12 ? 1 : 0;
    }
    assertThat(best).isGreaterThan(500);
  }

  /** Two context regimes with different best arms: arm 3 for contexts below 0.5, arm 16 above. */
  static final BanditFixtures.CostModel CONTEXTUAL =
      (arm, x, rng) -> (100 + 20 * Math.abs(arm - (x < 0.5 ? 3 : 16))) * (1 + 0.05 * rng.nextGaussian());

  @ParameterizedTest
  @ValueSource(strings = {"binned-tsallis-inf", "contextual-cb", "linucb"})
  void contextualLearnersPickTheBestArmPerContextWithDefaultOptions(String name) {
    StudyProblem problem = BanditFixtures.omegaProblem(Direction.MINIMIZE);
    // no key, no range: the designer finds the field "shift" in the requests and scales it itself (binned: 4 bins, so
    // that a bin edge falls where the best arm changes)
    Designer d = Designers.load().find(name).orElseThrow().create(problem,
        name.equals("binned-tsallis-inf") ? Map.of("bins", 4) : Map.of());
    int rounds = 3000;
    SplittableRandom ctx = new SplittableRandom(99);
    double[] contexts = new double[rounds];
    for (int t = 0; t < rounds; t++) {
      contexts[t] = ctx.nextDouble();
    }
    BanditFixtures.Run run = BanditFixtures.simulate(d, problem, rounds, CONTEXTUAL, "shift", t -> contexts[(int) t], 5);
    int right = 0;
    for (int t = rounds - 1000; t < rounds; t++) {
      right += run.arms()[t] == (contexts[t] < 0.5 ? 3 : 16) ? 1 : 0;
    }
    // A context-free learner can be right at most ~50% of the time here; a working contextual one mostly is.
    assertThat(right).as("right arm for the context in the last 1000 rounds").isGreaterThan(650);
    assertThat(run.trials().getLast().metadata()).containsKey("bandit.context");
  }

  @ParameterizedTest
  @ValueSource(strings = {"binned-tsallis-inf", "contextual-cb", "linucb"})
  void contextualLearnersWithoutAnyContextLearnTheBestArmLikeNonContextualOnes(String name) {
    StudyProblem problem = BanditFixtures.omegaProblem(Direction.MINIMIZE);
    Designer d = Designers.load().find(name).orElseThrow().create(problem, Map.of());
    int rounds = 3000;
    BanditFixtures.Run run = BanditFixtures.simulate(d, problem, rounds, V_SHAPED, "", t -> 0, 7);
    int best = 0;
    for (int t = rounds - 1000; t < rounds; t++) {
      best += Math.abs(run.arms()[t] - 12) <= 1 ? 1 : 0;
    }
    // Uniform draws (what these designers did before without their context key) put ~150 of 1000 pulls within one
    // arm of the best; a learner puts most there. Same bar as learnsTheBestArmAndItsRegretIsSmall's regret bound.
    assertThat(best).as("pulls within one arm of the best in the last 1000 rounds").isGreaterThan(600);
    assertThat(run.totalCost()).isLessThan(1.35 * 100 * rounds);
    assertThat(run.trials().getLast().metadata()).doesNotContainKey("bandit.context");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tsallis-inf", "exp3", "ucb1", "thompson", "gp-ucb", "binned-tsallis-inf", "contextual-cb",
      "linucb"})
  void cachedStateEqualsRecomputationAndCountsOutOfOrderTrialsOnce(String name) {
    StudyProblem problem = BanditFixtures.omegaProblem(Direction.MINIMIZE);
    DesignerProvider provider = Designers.load().find(name).orElseThrow();
    BanditDesigner d = (BanditDesigner) provider.create(problem, Map.of());
    // the context's range keeps growing (0.1, 0.2, ..., then every 10th trial a new maximum): the regression
    // designers carry their sums to each new scaling, and must end where a fold from scratch ends
    // (binned-tsallis-inf rebuilds from the window when its bins move, so its contexts stay in the first range)
    boolean grows = !name.equals("binned-tsallis-inf");
    BanditFixtures.Run run = BanditFixtures.simulate(d, problem, 120, V_SHAPED, "shift",
        t -> grows && t % 10 == 9 ? 1 + t / 10.0 : (t % 10) / 10.0, 11);
    List<TrialView> all = new ArrayList<>(run.trials());
    // Trials 50, 51 and 90 are still pending at the first snapshot and finish later (out of order).
    List<TrialView> early = new ArrayList<>(all.subList(0, 100));
    for (int k : new int[] {49, 50, 89}) {
      TrialView t = early.get(k);
      early.set(k, new TrialView(t.number(), TrialState.RUNNING, t.params(), new double[] {Double.NaN}, Map.of(),
          t.metadata()));
    }
    var first = d.fold(StudySnapshot.of(problem, 100, early));
    assertThat(first.state().get("watermark")).isEqualTo(49L);
    // Later: everything finished; only the last 60 trials are in the window, which covers watermark + 1 = 50.
    var snapshot = new StudySnapshot(problem, 120, all.subList(60, 120), Optional.of(first.state()), Map.of());
    var incremental = d.fold(new StudySnapshot(problem, 120, all.subList(49, 120), Optional.of(first.state()),
        Map.of()));
    var scratch = d.fold(StudySnapshot.of(problem, 120, all));
    assertThat(incremental.state().get("watermark")).isEqualTo(120L);
    assertClose(incremental.state(), scratch.state());
    // A window that starts after watermark + 1 cannot be folded onto the state: it is rebuilt from the window.
    var rebuilt = d.fold(snapshot);
    assertClose(rebuilt.state(), d.fold(StudySnapshot.of(problem, 120, all.subList(60, 120))).state());
    // A state from another designer is ignored.
    Map<String, Object> foreign = new java.util.HashMap<>(first.state());
    foreign.put("designer", "other");
    assertClose(d.fold(new StudySnapshot(problem, 120, all, Optional.of(foreign), Map.of())).state(), scratch.state());
  }

  @SuppressWarnings("unchecked")
  private static void assertClose(Object a, Object b) {
    if (a instanceof Map<?, ?> ma) {
      assertThat(b).isInstanceOf(Map.class);
      assertThat(ma.keySet()).isEqualTo(((Map<?, ?>) b).keySet());
      ma.forEach((k, v) -> assertClose(v, ((Map<Object, Object>) b).get(k)));
    } else if (a instanceof List<?> la) {
      assertThat((List<Object>) b).hasSameSizeAs(la);
      for (int i = 0; i < la.size(); i++) {
        assertClose(la.get(i), ((List<?>) b).get(i));
      }
    } else if (a instanceof Double da) {
      // Sums folded in a different order differ by rounding only.
      assertThat((Double) b).isCloseTo(da, within(1e-9 * Math.max(1, Math.abs(da))));
    } else {
      assertThat(b).isEqualTo(a);
    }
  }

  @Test
  void tsallisProbabilitiesSolveTheNormalization() {
    LossEstimates e = new LossEstimates(5);
    assertThat(e.tsallis(1)).containsOnly(0.2);
    e.pulls = 99;
    e.costSum = 99 * 51;
    double[] lhat = {0, 500, 1000, 3000, 20000};
    System.arraycopy(lhat, 0, e.lhat, 0, 5);
    double[] p = e.tsallis(1);
    assertThat(java.util.Arrays.stream(p).sum()).isCloseTo(1, within(1e-12));
    // p_i = 4 / (eta (L_i - x))^2 for one x: sqrt(4 / p_i) / eta + x = L_i, so L_i - 2 / (eta sqrt(p_i)) is constant.
    double eta = 2 / Math.sqrt(100);
    double x0 = lhat[0] / 50 - 2 / (eta * Math.sqrt(p[0]));
    for (int i = 1; i < 5; i++) {
      assertThat(lhat[i] / 50 - 2 / (eta * Math.sqrt(p[i]))).isCloseTo(x0, within(1e-8));
      assertThat(p[i]).isLessThan(p[i - 1]);
    }
  }

  @Test
  void referenceEstimatesAreUnchangedAndTheBaselineIsGatedAndCentred() {
    LossEstimates e = new LossEstimates(3, 1);
    // Trial numbers 100, 101, 102; gate p >= eta_t^2 = 4 / t: 0.5 and 0.1 pass, 0.02 at t = 102 does not.
    e.add(0, 50, trial(100, 0.5));
    e.add(1, 150, trial(101, 0.1));
    e.add(2, 300, trial(102, 0.02));
    double mean = (50 + 150 + 300) / 3.0;
    assertThat(e.estimates(Double.NaN)).containsExactly(49 / 0.5, 149 / 0.1, 299 / 0.02);
    assertThat(e.tsallis(1, Double.NaN)).containsExactly(e.tsallis(1));
    double[] centred = e.estimates(1);
    assertThat(centred[0]).isCloseTo((50 - mean) / 0.5, within(1e-9));
    assertThat(centred[1]).isCloseTo((150 - mean) / 0.1, within(1e-9));
    assertThat(centred[2]).as("below the gate: the reference term").isCloseTo(299 / 0.02, within(1e-9));
    double[] half = e.estimates(0.5);
    assertThat(half[0]).isCloseTo((50 - 0.5 * mean) / 0.5, within(1e-9));
    // A larger learning rate moves the gate: eta_t^2 = 16 / t rejects p = 0.1 at t = 101.
    LossEstimates fast = new LossEstimates(3, 2);
    fast.add(1, 150, trial(101, 0.1));
    assertThat(fast.estimates(1)[1]).isCloseTo(149 / 0.1, within(1e-9));
    // The gated sums survive the state round trip; a state from before they existed reads as zeros.
    LossEstimates back = LossEstimates.read(e.toJson(), 3, 1);
    assertThat(back.estimates(1)).containsExactly(centred);
    Map<String, Object> old = new java.util.LinkedHashMap<>(e.toJson());
    old.remove("invp");
    assertThat(LossEstimates.read(old, 3, 1).estimates(1)).containsExactly(e.estimates(Double.NaN));
  }

  private static TrialView trial(long number, double p) {
    return new TrialView(number, TrialState.COMPLETED, Map.of(), new double[] {0}, Map.of(),
        Map.of(BanditDesigner.META_PROBABILITY, p));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, 0.25, 0.5})
  void tsallisWithTheReducedVarianceBaselineLearnsTheBestArm(double baseline) {
    StudyProblem problem = BanditFixtures.omegaProblem(Direction.MINIMIZE);
    Designer d = new TsallisInfProvider().create(problem, Map.of("baseline", baseline));
    int rounds = 3000;
    BanditFixtures.Run run = BanditFixtures.simulate(d, problem, rounds, V_SHAPED, "", t -> 0, 7);
    Designer ref = new TsallisInfProvider().create(problem, Map.of());
    BanditFixtures.Run reference = BanditFixtures.simulate(ref, problem, rounds, V_SHAPED, "", t -> 0, 7);
    int best = 0;
    for (int t = rounds - 1000; t < rounds; t++) {
      best += run.arms()[t] == 12 ? 1 : 0;
    }
    assertThat(best).isGreaterThan(600);
    // Baseline 1 (estimates centred on the mean cost) is not required to: on this problem (seed 7) it settles on a
    // wrong arm (2 best-arm pulls in the last 1000 rounds), which is why it is not recommended.
    // Same problem as learnsTheBestArmAndItsRegretIsSmall; the centred estimates must not be worse than the
    // reference's by more than noise.
    assertThat(run.totalCost()).isLessThan(1.35 * 100 * rounds).isLessThan(1.05 * reference.totalCost());
  }

  @Test
  void logCostContextualCbLearnsAContextDependentBestArm() {
    StudyProblem problem = BanditFixtures.omegaProblem(Direction.MINIMIZE);
    Designer d = new ContextualCbProvider().create(problem, Map.of("costTransform", "log"));
    // Best arm 4 at c = 0 moving to arm 16 at c = 1; the cost grows by orders of magnitude away from the best arm.
    BanditFixtures.CostModel model = (arm, x, rng) -> 30 * Math.exp(0.4 * Math.abs(arm - (4 + 12 * x)))
        * (1 + 0.05 * rng.nextGaussian());
    int rounds = 2000;
    BanditFixtures.Run run = BanditFixtures.simulate(d, problem, rounds, model, "c", t -> (t * 0.618034) % 1, 5);
    int close = 0;
    for (int t = rounds - 500; t < rounds; t++) {
      double x = (t * 0.618034) % 1;
      close += Math.abs(run.arms()[t] - (4 + 12 * x)) <= 1 ? 1 : 0;
    }
    assertThat(close).as("pulls within one arm of the best in the last 500 rounds").isGreaterThan(400);
  }

  @Test
  void logCostContextualCbSkipsNonPositiveCosts() {
    StudyProblem problem = BanditFixtures.omegaProblem(Direction.MINIMIZE);
    ContextualCbDesigner d = (ContextualCbDesigner) new ContextualCbProvider().create(problem,
        Map.of("costTransform", "log"));
    ContextStats r = (ContextStats) d.emptyStats();
    Map<String, Object> meta = Map.of(BanditDesigner.META_CONTEXT, Map.of("c", 0.5));
    r.add(3, 0, new TrialView(1, TrialState.COMPLETED, Map.of(), new double[] {0}, Map.of(), meta));
    r.add(3, -5, new TrialView(2, TrialState.COMPLETED, Map.of(), new double[] {-5}, Map.of(), meta));
    assertThat(r.total()).isZero();
    r.add(3, Math.E, new TrialView(3, TrialState.COMPLETED, Map.of(), new double[] {Math.E}, Map.of(), meta));
    assertThat(r.total()).isEqualTo(1);
    assertThat(r.ySum[3]).isCloseTo(1, within(1e-12));
  }
}
