package io.sextant.engine.program;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerStateContract;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The designer-state contract for program-evolution (which {@link io.sextant.engine.designer.DesignerContractTest}
 * cannot host: its studies have no space). The history is the designer's own search, one program at a time, with a
 * fitness derived from the program's graph hash, so it is reproducible and each shorter history is a prefix.
 */
class ProgramEvolutionStateContractTest extends DesignerStateContract {
  private static final StudyProblem PROBLEM = new StudyProblem(SearchSpace.EMPTY,
      List.of(new Objective("fitness", Direction.MINIMIZE)), List.of());
  private static final Map<String, Object> OPTIONS = Map.of("population", 8L, "tournament", 3L, "plateau", 12L);
  private static List<TrialView> history;

  @Override
  protected Designer create(StudyProblem problem) {
    return new ProgramEvolutionProvider().create(problem, OPTIONS);
  }

  @Override
  protected StudyProblem stateProblem() {
    return PROBLEM;
  }

  @Override
  protected synchronized List<TrialView> stateHistory(StudyProblem problem, int n) {
    if (history == null || history.size() < n) {
      Designer d = create(problem);
      List<TrialView> h = new ArrayList<>();
      Optional<Map<String, Object>> state = Optional.empty();
      for (int i = 0; h.size() < Math.max(n, 40); i++) {
        Proposal p = d.suggest(new StudySnapshot(problem, h.size(), h, state, Map.of()), 1, new SplittableRandom(i));
        state = p.nextState();
        Suggestion s = p.suggestions().getFirst();
        String hash = (String) s.metadata().get("hash");
        double fitness = Long.parseUnsignedLong(hash.substring(0, 8), 16) / (double) (1L << 32);
        h.add(new TrialView(h.size() + 1, TrialState.COMPLETED, s.params(), new double[] {fitness},
            Map.of("fitness", fitness), s.metadata()));
      }
      history = List.copyOf(h);
    }
    return history.subList(0, n);
  }
}
