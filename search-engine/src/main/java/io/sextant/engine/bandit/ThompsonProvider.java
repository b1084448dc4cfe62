package io.sextant.engine.bandit;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.OptionSpec;

/**
 * Registers the {@code thompson} bandit designer. Gaussian Thompson sampling for costs over a finite arm set. Arms, costs, cached statistics and metadata: see
 * {@link Arms} and {@link BanditDesigner}; one objective, no outcome constraints (refused at create).
 */
public final class ThompsonProvider extends BanditProvider {
  public static final String NAME = "thompson";

  public ThompsonProvider() {
    super(NAME, "Gaussian Thompson sampling for costs over a finite arm set.");
  }

  @Override
  Designer create(String name, BanditSettings s) {
    return new ThompsonDesigner(name, s);
  }
}
