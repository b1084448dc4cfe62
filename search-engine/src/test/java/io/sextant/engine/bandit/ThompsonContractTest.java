package io.sextant.engine.bandit;

import io.sextant.engine.designer.DesignerProvider;

class ThompsonContractTest extends BanditContractTest {
  @Override
  protected DesignerProvider provider() {
    return new ThompsonProvider();
  }
}
