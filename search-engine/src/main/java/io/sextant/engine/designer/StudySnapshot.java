package io.sextant.engine.designer;

import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialView;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only view of a study for one suggestion: the problem, how many trials were issued so far (trial numbers
 * run 1..issuedCount), the trials the designer asked for with {@link SnapshotNeeds} (ordered by number; empty for
 * COUNT_ONLY designers), the designer's stored state (as written, to be read with {@link DesignerState#read}), and the context of this request (e.g. a bandit context).
 */
public record StudySnapshot(
    StudyProblem problem, long issuedCount, List<TrialView> trials, Optional<Map<String, Object>> state,
    Map<String, Object> context) {
  public StudySnapshot {
    if (issuedCount < 0) {
      throw new IllegalArgumentException("issuedCount must be >= 0 (got " + issuedCount + ")");
    }
    trials = List.copyOf(trials);
    context = Map.copyOf(context);
  }

  public static StudySnapshot of(StudyProblem problem, long issuedCount, List<TrialView> trials) {
    return new StudySnapshot(problem, issuedCount, trials, Optional.empty(), Map.of());
  }
}
