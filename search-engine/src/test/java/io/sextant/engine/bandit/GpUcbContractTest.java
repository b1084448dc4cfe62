package io.sextant.engine.bandit;

import io.sextant.engine.designer.DesignerProvider;

class GpUcbContractTest extends BanditContractTest {
  @Override
  protected DesignerProvider provider() {
    return new GpUcbProvider();
  }
}
