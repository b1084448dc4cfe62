package io.sextant.engine.bandit;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.OptionSpec;
import java.util.Optional;

/**
 * Registers the {@code binned-tsallis-inf} bandit designer ({@link BinnedTsallisInfDesigner}): every context field
 * binned, an independent Tsallis-INF per cell, a pooled one for requests without a usable context. Arms, costs,
 * cached statistics and metadata: see {@link Arms} and {@link BanditDesigner}; one objective, no outcome constraints
 * (refused at create).
 */
public final class BinnedTsallisInfProvider extends BanditProvider {
  public static final String NAME = "binned-tsallis-inf";

  public BinnedTsallisInfProvider() {
    super(NAME, "Contextual bandit: each context field's range split into bins (categories as bins), an independent "
            + "Tsallis-INF per cell of bins, a pooled one for requests without a usable context.",
        ContextFeatures.FIELDS,
        OptionSpec.of("bins", "integer", 5L, "bins per numeric context field (1..1000)"),
        OptionSpec.of("learningRate", "number", 1.0, "multiplier on the learning rate"));
  }

  @Override
  Designer create(String name, BanditSettings s) {
    ContextFeatures f = new ContextFeatures(ContextFeatures.parseFields(s.options()), 1, ContextFeatures.MAX_COLUMNS);
    int bins = s.options().getInt("bins", 5, 1, 1000);
    return new BinnedTsallisInfDesigner(name, s, f, bins, s.positive("learningRate", 1.0));
  }

  @Override
  public java.util.Set<io.sextant.engine.designer.Capability> capabilities() {
    return java.util.Set.of(io.sextant.engine.designer.Capability.BANDIT,
        io.sextant.engine.designer.Capability.CONTEXTUAL);
  }
}
