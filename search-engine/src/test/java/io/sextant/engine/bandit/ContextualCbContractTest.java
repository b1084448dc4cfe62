package io.sextant.engine.bandit;

import io.sextant.engine.designer.DesignerProvider;

class ContextualCbContractTest extends BanditContractTest {
  @Override
  protected DesignerProvider provider() {
    return new ContextualCbProvider();
  }
}
