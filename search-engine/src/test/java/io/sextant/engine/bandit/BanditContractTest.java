package io.sextant.engine.bandit;

import io.sextant.engine.designer.DesignerContractTest;
import io.sextant.engine.designer.InvalidConfig;
import java.util.List;

/** The designer contract for bandits: single objective, no outcome constraints, the shared invalid configs. */
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
}
