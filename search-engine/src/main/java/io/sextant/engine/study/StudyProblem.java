package io.sextant.engine.study;

import io.sextant.engine.space.SearchSpace;
import java.util.List;

/** What a study asks for: the space, the objectives (one or more) and optional outcome constraints. */
public record StudyProblem(SearchSpace space, List<Objective> objectives, List<OutcomeConstraint> constraints) {
  public StudyProblem {
    objectives = List.copyOf(objectives);
    constraints = List.copyOf(constraints);
    if (objectives.isEmpty()) {
      throw new IllegalArgumentException("at least one objective is required");
    }
  }

  public boolean isMultiObjective() {
    return objectives.size() > 1;
  }

  /**
   * The feasibility rule, the only one (designers, NSGA-II's constrained domination and the API's best/Pareto all use
   * it): the total by which a trial's final metrics miss the constraints ({@link OutcomeConstraint#violation}); 0
   * exactly when every constraint metric was reported, is not NaN and satisfies its bound; {@code +Infinity} when
   * one is missing or NaN.
   */
  public double violation(java.util.Map<String, Double> metrics) {
    double total = 0;
    for (OutcomeConstraint c : constraints) {
      total += c.violation(metrics.get(c.metric()));
    }
    return total;
  }

  /** Whether final metrics satisfy every constraint: {@code violation(metrics) == 0}. */
  public boolean isFeasible(java.util.Map<String, Double> metrics) {
    return violation(metrics) == 0;
  }
}
