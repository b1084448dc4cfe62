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
}
