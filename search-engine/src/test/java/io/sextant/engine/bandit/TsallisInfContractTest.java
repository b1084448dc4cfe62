package io.sextant.engine.bandit;

import io.sextant.engine.designer.DesignerProvider;

class TsallisInfContractTest extends BanditContractTest {
  @Override
  protected DesignerProvider provider() {
    return new TsallisInfProvider();
  }
}
