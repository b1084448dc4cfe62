package io.sextant.engine.bandit;

import io.sextant.engine.designer.DesignerContractTest;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.InvalidConfig;
import io.sextant.engine.study.StudyProblem;
import java.util.List;
import java.util.Map;

class Exp3ContractTest extends DesignerContractTest {
  @Override
  protected DesignerProvider provider() {
    return new Exp3Provider();
  }

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
