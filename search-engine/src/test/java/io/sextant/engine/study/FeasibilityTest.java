package io.sextant.engine.study;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.engine.space.SearchSpace;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one feasibility rule: StudyProblem.violation / isFeasible, which TrialView and NSGA-II use. */
class FeasibilityTest {
  private static final StudyProblem PROBLEM = new StudyProblem(SearchSpace.EMPTY,
      List.of(new Objective("loss", Direction.MINIMIZE)),
      List.of(new OutcomeConstraint("mem", OutcomeConstraint.Op.LE, 10),
          new OutcomeConstraint("acc", OutcomeConstraint.Op.GE, 0.5)));

  private static Map<String, Double> m(Double mem, Double acc) {
    Map<String, Double> out = new HashMap<>();
    out.put("loss", 1.0);
    if (mem != null) {
      out.put("mem", mem);
    }
    if (acc != null) {
      out.put("acc", acc);
    }
    return out;
  }

  @Test
  void violationIsZeroExactlyWhenEveryConstraintHolds() {
    assertThat(PROBLEM.violation(m(10.0, 0.5))).isZero();
    assertThat(PROBLEM.isFeasible(m(10.0, 0.5))).isTrue();
    assertThat(PROBLEM.violation(m(12.0, 0.5))).isEqualTo(2.0);
    assertThat(PROBLEM.violation(m(12.0, 0.25))).isEqualTo(2.25);
    assertThat(PROBLEM.isFeasible(m(12.0, 0.5))).isFalse();
    assertThat(PROBLEM.violation(m(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY))).isZero();
  }

  @Test
  void aMissingOrNaNConstraintMetricIsInfinitelyInfeasible() {
    assertThat(PROBLEM.violation(m(null, 0.9))).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(PROBLEM.violation(m(Double.NaN, 0.9))).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(PROBLEM.violation(m(Double.POSITIVE_INFINITY, 0.9))).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(new OutcomeConstraint("x", OutcomeConstraint.Op.LE, Double.NEGATIVE_INFINITY)
        .violation(Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(PROBLEM.isFeasible(m(null, 0.9))).isFalse();
  }

  @Test
  void trialViewIsFeasibleOnlyWhenCompletedAndTheRuleHolds() {
    TrialView ok = new TrialView(1, TrialState.COMPLETED, Map.of(), new double[] {1}, m(1.0, 1.0), Map.of());
    TrialView bad = new TrialView(2, TrialState.COMPLETED, Map.of(), new double[] {1}, m(11.0, 1.0), Map.of());
    TrialView pruned = new TrialView(3, TrialState.PRUNED, Map.of(), new double[] {1}, m(1.0, 1.0), Map.of());
    assertThat(ok.isFeasible(PROBLEM)).isTrue();
    assertThat(bad.isFeasible(PROBLEM)).isFalse();
    assertThat(pruned.isFeasible(PROBLEM)).isFalse();
  }
}
