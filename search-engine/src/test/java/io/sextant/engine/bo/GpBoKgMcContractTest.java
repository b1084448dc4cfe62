package io.sextant.engine.bo;

import io.sextant.engine.designer.DesignerContractTest;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.InvalidConfig;
import io.sextant.engine.study.StudyProblem;
import java.util.List;
import java.util.Map;

/**
 * The designer contract (legal proposals on mixed integer/categorical and conditional spaces, empty history,
 * NaN/infeasible results, same seed same output, batches) for {@code gp-bo} with {@code acquisition=kg-mc}: its inner
 * maximization runs in the relaxed cube, the proposal still goes through the codec's rounding.
 */
class GpBoKgMcContractTest extends DesignerContractTest {
  /** Never a proposal within 1e-3 of a PRUNED or FAILED trial (issue 24). */
  @org.junit.jupiter.api.Test
  void neverProposesNearPrunedOrFailedTrials() {
    assertNeverProposesNearPrunedOrFailedTrials();
  }

  @Override
  protected DesignerProvider provider() {
    return new GpBoDesignerProvider();
  }

  @Override
  protected Map<String, Object> options() {
    // a short initial design so that the contract's 10-15 trial histories exercise the GP phase; few candidates,
    // restarts and fantasy samples keep the suite fast on 2 cores
    return Map.of("seed", 7, "initialTrials", 4, "candidates", 128, "restarts", 2, "acquisition", "kg-mc",
        "kgSamples", 6);
  }

  @Override
  protected boolean supportsMultiObjective() {
    return false;
  }

  @Override
  protected List<InvalidConfig> invalidConfigs() {
    StudyProblem p = singleObjective(mixedSpace());
    return List.of(
        new InvalidConfig("zero kgSamples", p, Map.of("acquisition", "kg-mc", "kgSamples", 0), "kgSamples"),
        new InvalidConfig("too many kgSamples", p, Map.of("acquisition", "kg-mc", "kgSamples", 257), "kgSamples"),
        new InvalidConfig("fractional kgSamples", p, Map.of("kgSamples", 1.5), "kgSamples"));
  }
}
