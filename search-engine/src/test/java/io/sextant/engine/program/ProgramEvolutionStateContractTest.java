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
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

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

  /**
   * A state stored before states were versioned (no {@code designer} or {@code version}, the cache as an object) is
   * upgraded: the proposal equals the one made with the same content in the current layout, and differs from a
   * rebuild in its bookkeeping (hits and misses carried over).
   */
  @Test
  void anUnversionedStateIsUpgraded() {
    Designer d = create(PROBLEM);
    List<TrialView> prefix = stateHistory(PROBLEM, 30);
    List<TrialView> full = stateHistory(PROBLEM, 40);
    Map<String, Object> current = d.suggest(new StudySnapshot(PROBLEM, 30, prefix, Optional.empty(), Map.of()), 1,
        new SplittableRandom(5)).nextState().orElseThrow();
    Map<String, Object> legacy = new LinkedHashMap<>(current);
    legacy.remove("designer");
    legacy.remove("version");
    Map<String, Object> cache = new LinkedHashMap<>();
    for (Object pair : (List<?>) current.get("cache")) {
      cache.put((String) ((List<?>) pair).get(0), ((List<?>) pair).get(1));
    }
    legacy.put("cache", cache);
    Proposal upgraded = d.suggest(new StudySnapshot(PROBLEM, 40, full, Optional.of(legacy), Map.of()), 2,
        new SplittableRandom(6));
    Proposal same = d.suggest(new StudySnapshot(PROBLEM, 40, full, Optional.of(current), Map.of()), 2,
        new SplittableRandom(6));
    Proposal rebuilt = d.suggest(new StudySnapshot(PROBLEM, 40, full, Optional.empty(), Map.of()), 2,
        new SplittableRandom(6));
    assertThat(upgraded).isEqualTo(same);
    assertThat(((Number) upgraded.nextState().orElseThrow().get("misses")).longValue())
        .isGreaterThan(((Number) rebuilt.nextState().orElseThrow().get("misses")).longValue());
  }
}
