package io.sextant.engine.study;

import java.util.Map;

/**
 * A trial as designers see it. {@code values} holds one entry per objective in the study's objective order (NaN
 * where not reported, e.g. pending trials; may be +/-infinity); {@code metrics} all final metrics by name,
 * including constraint metrics.
 */
public record TrialView(
    long number, TrialState state, Map<String, Object> params, double[] values, Map<String, Double> metrics,
    Map<String, Object> metadata) {

  /** True when completed and every constraint of the problem is satisfied ({@link StudyProblem#isFeasible}). */
  public boolean isFeasible(StudyProblem problem) {
    return state == TrialState.COMPLETED && problem.isFeasible(metrics);
  }
}
