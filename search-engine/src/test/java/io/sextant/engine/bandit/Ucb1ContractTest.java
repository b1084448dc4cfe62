package io.sextant.engine.bandit;

import io.sextant.engine.designer.DesignerProvider;

class Ucb1ContractTest extends BanditContractTest {
  @Override
  protected DesignerProvider provider() {
    return new Ucb1Provider();
  }
}
