package io.sextant.engine.bandit;

import io.sextant.engine.designer.DesignerProvider;

class Exp3ContractTest extends BanditContractTest {
  @Override
  protected DesignerProvider provider() {
    return new Exp3Provider();
  }
}
