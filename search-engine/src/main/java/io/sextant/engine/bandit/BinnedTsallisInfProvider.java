package io.sextant.engine.bandit;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.OptionSpec;

/**
 * Registers the {@code binned-tsallis-inf} bandit designer. Contextual bandit: the context interval split into bins, an independent Tsallis-INF in each. Arms, costs, cached statistics and metadata: see
 * {@link Arms} and {@link BanditDesigner}; one objective, no outcome constraints (refused at create).
 */
public final class BinnedTsallisInfProvider extends BanditProvider {
  public static final String NAME = "binned-tsallis-inf";

  public BinnedTsallisInfProvider() {
    super(NAME, "Contextual bandit: the context interval split into bins, an independent Tsallis-INF in each.", ContextSettings.KEY, ContextSettings.LOW, ContextSettings.HIGH, OptionSpec.of("bins", "integer", 5L, "number of context bins (1..1000)"), OptionSpec.of("learningRate", "number", 1.0, "multiplier on the learning rate"));
  }

  @Override
  Designer create(String name, BanditSettings s) {
    ContextSettings c = ContextSettings.parse(s);
    int bins = s.options().getInt("bins", 5, 1, 1000);
    return new BinnedTsallisInfDesigner(name, s, c, bins, s.positive("learningRate", 1.0));
  }
}
