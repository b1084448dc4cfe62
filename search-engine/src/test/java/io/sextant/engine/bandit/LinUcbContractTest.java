package io.sextant.engine.bandit;

import io.sextant.engine.designer.DesignerProvider;

class LinUcbContractTest extends BanditContractTest {
  @Override
  protected DesignerProvider provider() {
    return new LinUcbProvider();
  }
}
