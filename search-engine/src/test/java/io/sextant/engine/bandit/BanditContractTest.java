package io.sextant.engine.bandit;

import io.sextant.engine.designer.DesignerContractTest;
import io.sextant.engine.designer.InvalidConfig;
import io.sextant.engine.space.CategoricalParameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The designer contract for bandits: single objective, no outcome constraints, the shared invalid configs. The
 * state checks run on three arms with different mean costs, so that the statistics decide the proposals (on the
 * mixed space every one of 40 trials would pull a new arm, and a wrong state could not show).
 */
abstract class BanditContractTest extends DesignerContractTest {
  @Override
  protected boolean supportsMultiObjective() {
    return false;
  }

  @Override
  protected boolean supportsOutcomeConstraints() {
    return false;
  }

  @Override
  protected List<InvalidConfig> invalidConfigs() {
    return BanditFixtures.invalidConfigs(provider().name());
  }

  @Override
  protected StudyProblem stateProblem() {
    return singleObjective(new SearchSpace(List.of(
        new CategoricalParameter("arm", List.of("a", "b", "c"), Optional.empty()))));
  }

  /** Arm k costs k + noise; the arms in a fixed pseudo-random order. */
  @Override
  protected List<TrialView> stateHistory(StudyProblem problem, int n) {
    SplittableRandom r = new SplittableRandom(29);
    List<String> arms = List.of("a", "b", "c");
    List<TrialView> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(3);
      out.add(trial(problem, i + 1, TrialState.COMPLETED, Map.of("arm", arms.get(k)),
          new double[] {k + 0.5 * r.nextGaussian()}));
    }
    return out;
  }
}
