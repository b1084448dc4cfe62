package io.sextant.engine.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sextant.engine.space.CategoricalParameter;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ArmStatisticsTest {
  static TrialView t(long n, TrialState s, Object omega, double v, Double optimal) {
    return new TrialView(n, s, Map.of("omega", omega), new double[] {v},
        optimal == null ? Map.of("iterations", v) : Map.of("iterations", v, "optimal_iterations", optimal), Map.of());
  }

  @Test
  void gridArmsMeansRegretAndInstanceOptimal() {
    StudyProblem p = BanditFixtures.omegaProblem(Direction.MINIMIZE);
    List<TrialView> trials = List.of(
        t(1, TrialState.COMPLETED, 1.0, 200, 40.0),
        t(2, TrialState.COMPLETED, 1.5, 60, 40.0),
        t(3, TrialState.COMPLETED, 1.5, 50, 45.0),
        t(4, TrialState.COMPLETED, 1.0, 220, 41.0),
        t(5, TrialState.RUNNING, 1.5, Double.NaN, null),
        t(6, TrialState.FAILED, 1.0, Double.NaN, null),
        t(7, TrialState.COMPLETED, 1.95, Double.POSITIVE_INFINITY, null),
        t(8, TrialState.COMPLETED, 1.8, 90, 44.0));
    ArmStatistics s = ArmStatistics.of(p, trials, Optional.of("optimal_iterations"));
    assertThat(s.arms()).hasSize(20);
    assertThat(s.arms().get(0).pulls()).isEqualTo(2);
    assertThat(s.arms().get(0).meanValue()).hasValue(210.0);
    assertThat(s.arms().get(10).pulls()).isEqualTo(2);
    assertThat(s.arms().get(10).pending()).isEqualTo(1);
    assertThat(s.arms().get(19).pulls()).isZero();
    assertThat(s.pulls()).isEqualTo(5);
    assertThat(s.pending()).isEqualTo(1);
    assertThat(s.cumulativeCost()).isEqualTo(620.0);
    assertThat(s.bestArm()).hasValue(10);
    // Best fixed arm: omega 1.5 with mean 55; estimated cost over all 5 pulls 5 * 55 = 275; regret 620 - 275.
    assertThat(s.comparator()).isEqualTo(ArmStatistics.ARM_MEAN);
    assertThat(s.bestFixedCost().getAsDouble()).isCloseTo(275.0, within(1e-12));
    assertThat(s.regret().getAsDouble()).isCloseTo(345.0, within(1e-12));
    assertThat(s.history()).hasSize(5);
    assertThat(s.history().getLast()).containsExactly(5, 620, 275, 210);
    assertThat(s.instanceOptimalCost()).hasValue(210.0);
    assertThat(s.instanceOptimalRegret()).hasValue(410.0);
    // The comparator is dropped as soon as one pull lacks it.
    List<TrialView> missing = new java.util.ArrayList<>(trials);
    missing.add(t(9, TrialState.COMPLETED, 1.0, 10, null));
    assertThat(ArmStatistics.of(p, missing, Optional.of("optimal_iterations")).instanceOptimalRegret()).isEmpty();
  }

  @Test
  void maximizeFlipsCostsButReportsValues() {
    StudyProblem p = BanditFixtures.omegaProblem(Direction.MAXIMIZE);
    ArmStatistics s = ArmStatistics.of(p, List.of(t(1, TrialState.COMPLETED, 1.0, 3, null),
        t(2, TrialState.COMPLETED, 1.05, 5, null), t(3, TrialState.COMPLETED, 1.0, 1, null)));
    assertThat(s.bestArm()).hasValue(1);
    assertThat(s.arms().get(0).meanValue()).hasValue(2.0);
    assertThat(s.cumulativeCost()).isEqualTo(-9.0);
    assertThat(s.regret().getAsDouble()).isCloseTo(6.0, within(1e-12));
  }

  @Test
  void nonGridSpacesUseTheAssignmentsSeen() {
    StudyProblem p = new StudyProblem(new SearchSpace(List.of(
        new FloatParameter("omega", 1.0, 2.0, false, OptionalDouble.empty(), Optional.empty()),
        new CategoricalParameter("order", List.of("natural", "red-black"), Optional.empty()))),
        List.of(new Objective("iterations", Direction.MINIMIZE)), List.of());
    Map<String, Object> a = Map.of("omega", 1.5, "order", "natural");
    Map<String, Object> b = Map.of("omega", 1.7, "order", "red-black");
    ArmStatistics s = ArmStatistics.of(p, List.of(
        new TrialView(1, TrialState.COMPLETED, a, new double[] {10}, Map.of(), Map.of()),
        new TrialView(2, TrialState.COMPLETED, b, new double[] {8}, Map.of(), Map.of()),
        new TrialView(3, TrialState.COMPLETED, a, new double[] {12}, Map.of(), Map.of())));
    assertThat(s.arms()).extracting(ArmStat::params).containsExactly(a, b);
    assertThat(s.bestArm()).hasValue(1);
    assertThat(s.regret().getAsDouble()).isCloseTo(30 - 24, within(1e-12));
    assertThat(ArmStatistics.of(p, List.of()).bestArm()).isEmpty();
  }

  @Test
  void aContextualStudysBestFixedArmIsJudgedRelativeToTheInstanceOptimumNeverBelowIt() {
    StudyProblem p = BanditFixtures.omegaProblem(Direction.MINIMIZE);
    // a contextual learner played omega 1.0 on the easy instances (optimum 10) and 1.8 on the hard ones (optimum
    // 100): by plain means 1.0 looks best (11 per pull), and T * 11 = 44 is below even the instance-optimal 220
    List<TrialView> trials = List.of(
        t(1, TrialState.COMPLETED, 1.0, 11, 10.0),
        t(2, TrialState.COMPLETED, 1.8, 105, 100.0),
        t(3, TrialState.COMPLETED, 1.0, 11, 10.0),
        t(4, TrialState.COMPLETED, 1.8, 110, 100.0));
    ArmStatistics plain = ArmStatistics.of(p, trials, Optional.of("optimal_iterations"), false);
    assertThat(plain.bestFixedCost().getAsDouble()).isLessThan(plain.instanceOptimalCost().getAsDouble());
    ArmStatistics s = ArmStatistics.of(p, trials, Optional.of("optimal_iterations"), true);
    assertThat(s.comparator()).isEqualTo(ArmStatistics.INSTANCE_OPTIMAL_RATIO);
    // relative costs: omega 1.0 1.1, omega 1.8 (1.05 + 1.1) / 2 = 1.075: best 1.8, fixed cost 1.075 * 220
    assertThat(s.arms().get(0).meanRelativeCost().getAsDouble()).isCloseTo(1.1, within(1e-12));
    assertThat(s.bestArm()).hasValue(16);
    assertThat(s.bestFixedCost().getAsDouble()).isCloseTo(1.075 * 220, within(1e-9))
        .isGreaterThanOrEqualTo(s.instanceOptimalCost().getAsDouble());
    assertThat(s.regret().getAsDouble()).isCloseTo(237 - 1.075 * 220, within(1e-9));
    assertThat(s.history().get(1)).containsExactly(new double[] {2, 116, 1.075 * 110, 110}, within(1e-9));
    // a lucky arm (cheaper than the optimum on its pulls) does not pull the estimate below the optimum
    ArmStatistics lucky = ArmStatistics.of(p, List.of(t(1, TrialState.COMPLETED, 1.0, 9, 10.0),
        t(2, TrialState.COMPLETED, 1.8, 120, 100.0)), Optional.of("optimal_iterations"), true);
    assertThat(lucky.bestFixedCost()).hasValue(110.0);
    // without a per-instance reference there is no honest estimate: none, said so
    ArmStatistics none = ArmStatistics.of(p, trials, Optional.empty(), true);
    assertThat(none.comparator()).isEqualTo(ArmStatistics.NONE);
    assertThat(none.bestFixedCost()).isEmpty();
    assertThat(none.regret()).isEmpty();
    assertThat(none.bestArm()).isEmpty();
    assertThat(Double.isNaN(none.history().getFirst()[2])).isTrue();
  }
}
