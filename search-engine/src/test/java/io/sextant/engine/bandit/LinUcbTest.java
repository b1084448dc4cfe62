package io.sextant.engine.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.space.CategoricalParameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What sets {@code linucb} apart: the joint arm model, its determinism, batches, one-hot arms, no context. */
class LinUcbTest {
  private static final StudyProblem OMEGA = BanditFixtures.omegaProblem(Direction.MINIMIZE);

  private static TrialView trial(long number, int arm, double cost, double shift) {
    Arms arms = Arms.forDesigner(OMEGA.space(), 16, 0);
    return new TrialView(number, TrialState.COMPLETED, arms.assignment(arm), new double[] {cost},
        Map.of("iterations", cost), Map.of("bandit.arm", (long) arm, "bandit.context", Map.of("shift", shift)));
  }

  /** n trials of random arms at random contexts x in [0, 1], cost bowl(arm) * (1 + x) with 30% noise. */
  private static List<TrialView> bowlTrials(int n, long seed) {
    List<TrialView> trials = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(seed);
    for (int t = 0; t < n; t++) {
      int arm = rng.nextInt(20);
      double x = rng.nextDouble();
      trials.add(trial(t + 1, arm, bowl(arm) * (1 + x) * Math.exp(0.3 * rng.nextGaussian()), x));
    }
    return trials;
  }

  /** Cost exp(((omega index - 11) / 4)^2) * 100: smooth in the arm, best arm 11. */
  private static double bowl(int arm) {
    double z = (arm - 11) / 4.0;
    return 100 * Math.exp(z * z);
  }

  @Test
  void aPullInformsTheOtherArmsSoAnUntriedArmCanBeChosenAsBest() {
    Designer d = new LinUcbProvider().create(OMEGA, Map.of("alpha", 0.1));
    List<TrialView> trials = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(2);
    long n = 1;
    for (int rep = 0; rep < 10; rep++) {
      for (int arm = 0; arm < 20; arm += 2) { // even arms only: arm 11 is never pulled
        double x = rng.nextDouble();
        trials.add(trial(n++, arm, bowl(arm) * (1 + x), x));
      }
    }
    Proposal p = d.suggest(new StudySnapshot(OMEGA, trials.size(), trials, Optional.empty(), Map.of("shift", 0.5)), 1,
        new SplittableRandom(1));
    // log cost is quadratic in the arm value plus a function of the context: the joint model (the context predicts
    // the cost, so it is used) finds the untried minimum; a per-arm model has no estimate for an arm it never saw
    assertThat(((Number) p.suggestions().getFirst().metadata().get("bandit.arm")).intValue()).isEqualTo(11);
    assertThat(p.suggestions().getFirst().metadata()).doesNotContainKey("bandit.probability");
    assertThat(((LinUcbDesigner) d).selectedFields(stats(d, trials))).containsExactly("shift");
  }

  /** The designer's statistics after folding {@code trials}. */
  private static ContextStats stats(Designer d, List<TrialView> trials) {
    LinUcbDesigner l = (LinUcbDesigner) d;
    return (ContextStats) l.fold(StudySnapshot.of(OMEGA, trials.size(), trials)).stats();
  }

  @Test
  void theMeanCorrectionTargetsTheMeanCostNotTheMedian() {
    // lognormal costs: the median exp(mu_a) falls with the arm, the spread s_a grows with it, so the mean
    // exp(mu_a + s_a^2 / 2) is lowest near arm 2 while the median is lowest at arm 19
    SplittableRandom rng = new SplittableRandom(11);
    List<TrialView> trials = new ArrayList<>();
    for (int t = 0; t < 3000; t++) {
      int arm = rng.nextInt(20);
      double x = rng.nextDouble();
      double s = 0.05 + 0.06 * arm;
      double cost = 100 * Math.exp(-0.01 * arm + s * rng.nextGaussian()) * (1 + 2 * x);
      trials.add(trial(t + 1, arm, cost, x));
    }
    int[] best = new int[2];
    for (int k = 0; k < 2; k++) {
      LinUcbDesigner d = (LinUcbDesigner) new LinUcbProvider().create(OMEGA, Map.of("alpha", 0.01,
          "meanCorrection", k == 0));
      ContextStats st = stats(d, trials);
      assertThat(d.selectedFields(st)).containsExactly("shift");
      double[] b = d.bounds(st, Map.of("shift", 0.5));
      for (int arm = 1; arm < 20; arm++) {
        best[k] = b[arm] < b[best[k]] ? arm : best[k];
      }
    }
    assertThat(best[0]).as("with the correction: the lowest mean cost").isBetween(0, 5);
    assertThat(best[1]).as("without it: the lowest median").isGreaterThanOrEqualTo(15);
  }

  @Test
  void theMeanCorrectionsVarianceIsTheNoiseAboutEachArmsOwnFitNotShrinkageOrTheSharedMisfit() {
    // log cost 0.05 arm^2 - 0.1 arm (4 + 12 x), 5% noise (log variance ~0.0025); each arm is pulled only near the
    // contexts where it is best, where its cost still changes steeply with x
    SplittableRandom rng = new SplittableRandom(5);
    List<TrialView> trials = new ArrayList<>();
    for (int t = 0; t < 2000; t++) {
      double x = rng.nextDouble();
      int arm = Math.max(0, Math.min(19, (int) Math.round(4 + 12 * x) + rng.nextInt(3) - 1));
      double cost = 30 * Math.exp(0.05 * arm * arm - 0.1 * arm * (4 + 12 * x)) * (1 + 0.05 * rng.nextGaussian());
      trials.add(trial(t + 1, arm, cost, x));
    }
    LinUcbDesigner d = (LinUcbDesigner) new LinUcbProvider().create(OMEGA, Map.of());
    ContextStats st = stats(d, trials);
    double[] variance = d.model(st).orElseThrow().fit().armVariance();
    int checked = 0;
    for (int arm = 0; arm < 20; arm++) {
      if (st.n[arm] >= 60) {
        assertThat(variance[arm]).as("arm %d (%d pulls)", arm, st.n[arm]).isBetween(0.0015, 0.004);
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(10);
  }

  @Test
  void theBoundsAreThePredictionMinusAlphaSigmaWidth() {
    LinUcbDesigner wide = (LinUcbDesigner) new LinUcbProvider().create(OMEGA, Map.of("alpha", 2.0, "ridge", 0.01));
    LinUcbDesigner narrow = (LinUcbDesigner) new LinUcbProvider().create(OMEGA, Map.of("alpha", 1.0, "ridge", 0.01));
    SplittableRandom rng = new SplittableRandom(3);
    ContextStats rw = (ContextStats) wide.emptyStats();
    ContextStats rn = (ContextStats) narrow.emptyStats();
    for (int t = 0; t < 400; t++) {
      int arm = rng.nextInt(20);
      double x = rng.nextDouble();
      double cost = bowl(arm) * (1 + x) * (1 + 0.05 * rng.nextGaussian());
      rw.add(arm, cost, trial(t + 1, arm, cost, x));
      rn.add(arm, cost, trial(t + 1, arm, cost, x));
    }
    double[] b2 = wide.bounds(rw, Map.of("shift", 0.3));
    double[] b1 = narrow.bounds(rn, Map.of("shift", 0.3));
    // bound(alpha) = prediction - alpha * width => prediction = 2 b1 - b2; it must be log(cost) at x = 0.3 closely
    for (int arm = 0; arm < 20; arm++) {
      double prediction = 2 * b1[arm] - b2[arm];
      assertThat(prediction).as("arm " + arm).isCloseTo(Math.log(bowl(arm) * 1.3), within(0.08));
      assertThat(b1[arm]).isLessThan(prediction);
    }
  }

  @Test
  void theSameTrialsGiveTheSameArmAndABatchSpreadsOut() {
    Designer d = new LinUcbProvider().create(OMEGA, Map.of());
    List<TrialView> trials = bowlTrials(20, 5);
    StudySnapshot s = new StudySnapshot(OMEGA, 20, trials, Optional.empty(), Map.of("shift", 0.4));
    Proposal a = d.suggest(s, 1, new SplittableRandom(1));
    Proposal b = d.suggest(s, 1, new SplittableRandom(999));
    assertThat(a.suggestions()).isEqualTo(b.suggestions()); // deterministic rule: the generator is not used
    Proposal batch = d.suggest(s, 6, new SplittableRandom(1));
    Set<Object> arms = new HashSet<>();
    batch.suggestions().forEach(x -> arms.add(x.metadata().get("bandit.arm")));
    assertThat(batch.suggestions().getFirst()).isEqualTo(a.suggestions().getFirst());
    assertThat(arms).as("virtual pulls shrink the chosen arm's bound").hasSizeGreaterThan(1);
    // an empty study: the batch is all different arms too
    Proposal first = d.suggest(new StudySnapshot(OMEGA, 0, List.of(), Optional.empty(), Map.of("shift", 0.4)), 5,
        new SplittableRandom(1));
    assertThat(first.suggestions().stream().map(x -> x.metadata().get("bandit.arm")).distinct()).hasSize(5);
  }

  @Test
  void nonNumericArmsGetOneRegressionEach() {
    StudyProblem problem = new StudyProblem(new SearchSpace(List.of(
        new CategoricalParameter("solver", List.of("cg", "gmres", "bicgstab", "minres"), Optional.empty()))),
        List.of(new Objective("seconds", Direction.MINIMIZE)), List.of());
    Designer d = new LinUcbProvider().create(problem, Map.of());
    // gmres best below 0.5, minres above
    BanditFixtures.CostModel model = (arm, x, rng) -> (arm == (x < 0.5 ? 1 : 3) ? 10 : 20) * (1 + 0.05 * rng.nextGaussian());
    SplittableRandom ctx = new SplittableRandom(4);
    double[] contexts = new double[1500];
    for (int t = 0; t < contexts.length; t++) {
      contexts[t] = ctx.nextDouble();
    }
    BanditFixtures.Run run = BanditFixtures.simulate(d, problem, contexts.length, model, "size",
        t -> contexts[(int) t], 8);
    int right = 0;
    for (int t = 1000; t < 1500; t++) {
      right += run.arms()[t] == (contexts[t] < 0.5 ? 1 : 3) ? 1 : 0;
    }
    assertThat(right).isGreaterThan(450);
  }

  @Test
  void withDegreeZeroItIgnoresNumericContextsAndLearnsTheBestArm() {
    Designer d = new LinUcbProvider().create(OMEGA, Map.of("degree", 0));
    BanditFixtures.Run run = BanditFixtures.simulate(d, OMEGA, 1500, BanditLearningTest.V_SHAPED, "", t -> 0, 2);
    int best = 0;
    for (int t = 1000; t < 1500; t++) {
      best += Math.abs(run.arms()[t] - 12) <= 1 ? 1 : 0;
    }
    // without a context model it plays gp-ucb's rule, which may settle on a neighbour of the V's kink
    assertThat(best).isGreaterThan(400);
    assertThat(run.totalCost()).isLessThan(1.2 * 100 * 1500);
  }

  @Test
  void costsThatAreNotPositiveAreNotLearnedFromUnderTheLogTransform() {
    LinUcbDesigner d = (LinUcbDesigner) new LinUcbProvider().create(OMEGA, Map.of());
    ContextStats r = (ContextStats) d.emptyStats();
    r.add(3, 0, trial(1, 3, 0, 0));
    r.add(3, -5, trial(2, 3, -5, 0));
    assertThat(r.total()).isZero();
    assertThat(r.costN[3]).as("nor by the non-contextual rule").isZero();
    r.add(3, Math.E, trial(3, 3, Math.E, 0));
    assertThat(r.total()).isEqualTo(1);
    assertThat(r.ySum[3]).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void aMaximizedRewardIsLearnedWithTheIdentityTransformByDefault() {
    StudyProblem max = BanditFixtures.omegaProblem(Direction.MAXIMIZE);
    Designer d = new LinUcbProvider().create(max, Map.of("degree", 0));
    // reward 1000 - cost: arm 12 is still the best
    BanditFixtures.Run run = BanditFixtures.simulate(d, max, 1500, BanditLearningTest.V_SHAPED, "", t -> 0, 4);
    int best = 0;
    Set<Integer> tried = new HashSet<>();
    for (int t = 0; t < 1500; t++) {
      tried.add(run.arms()[t]);
      best += t >= 1000 && Math.abs(run.arms()[t] - 12) <= 1 ? 1 : 0;
    }
    assertThat(tried.size()).as("it explores").isGreaterThan(3);
    assertThat(best).isGreaterThan(400);
  }

  @Test
  void identicalCostsDoNotStopExplorationAndABatchStillSpreads() {
    Designer d = new LinUcbProvider().create(OMEGA, Map.of("degree", 0));
    List<TrialView> trials = new ArrayList<>();
    for (int t = 0; t < 30; t++) {
      trials.add(trial(t + 1, t % 3, 10_000, 0)); // every run hit the same cap
    }
    Proposal p = d.suggest(StudySnapshot.of(OMEGA, 30, trials), 5, new SplittableRandom(2));
    Set<Object> chosen = new HashSet<>();
    p.suggestions().forEach(x -> chosen.add(x.metadata().get("bandit.arm")));
    assertThat(chosen).as("sigma stays > 0, so the virtual pulls move the bound").hasSizeGreaterThan(2);
    assertThat(chosen).as("the untried arms have the widest bounds").doesNotContain(0L, 1L, 2L);
  }

  @Test
  void pendingTrialsOfOtherWorkersCountAsVirtualPulls() {
    Designer d = new LinUcbProvider().create(OMEGA, Map.of());
    List<TrialView> trials = bowlTrials(20, 5);
    Map<String, Object> ctx = Map.of("shift", 0.5);
    int first = arm(d.suggest(new StudySnapshot(OMEGA, 20, trials, Optional.empty(), ctx), 1, new SplittableRandom(1)));
    // another worker now runs that arm at the same context: one at a time, the next worker gets another arm
    Arms arms = Arms.forDesigner(OMEGA.space(), 16, 0);
    List<TrialView> withPending = new ArrayList<>(trials);
    for (int k = 0; k < 3; k++) {
      withPending.add(new TrialView(21 + k, TrialState.RUNNING, arms.assignment(first), new double[] {Double.NaN},
          Map.of(), Map.of("bandit.arm", (long) first, "bandit.context", ctx)));
    }
    int second = arm(d.suggest(new StudySnapshot(OMEGA, 23, withPending, Optional.empty(), ctx), 1,
        new SplittableRandom(1)));
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void oneHotWorksOnNumericArmsToo() {
    Designer d = new LinUcbProvider().create(OMEGA, Map.of("armFeatures", "onehot", "costTransform", "identity"));
    BanditFixtures.Run run = BanditFixtures.simulate(d, OMEGA, 1500, BanditLearningTest.CONTEXTUAL, "shift",
        t -> (t * 0.618034) % 1.0, 3);
    int right = 0;
    for (int t = 1000; t < 1500; t++) {
      double x = (t * 0.618034) % 1.0;
      right += run.arms()[t] == (x < 0.5 ? 3 : 16) ? 1 : 0;
    }
    assertThat(right).isGreaterThan(300);
  }

  private static int arm(Proposal p) {
    return ((Number) p.suggestions().getFirst().metadata().get("bandit.arm")).intValue();
  }
}
