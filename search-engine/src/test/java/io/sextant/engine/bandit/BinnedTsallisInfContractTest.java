package io.sextant.engine.bandit;

import io.sextant.engine.designer.DesignerProvider;

class BinnedTsallisInfContractTest extends BanditContractTest {
  @Override
  protected DesignerProvider provider() {
    return new BinnedTsallisInfProvider();
  }
}
