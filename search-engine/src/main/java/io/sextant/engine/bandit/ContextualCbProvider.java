package io.sextant.engine.bandit;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.OptionSpec;
import java.util.Set;

/**
 * Registers the {@code contextual-cb} bandit designer ({@link ContextualCbDesigner}): per-arm ridge regressions of
 * the cost on every context field, inverse-gap weighting. Arms, costs, cached statistics and metadata: see
 * {@link Arms} and {@link BanditDesigner}; one objective, no outcome constraints (refused at create).
 */
public final class ContextualCbProvider extends BanditProvider {
  public static final String NAME = "contextual-cb";

  public ContextualCbProvider() {
    super(NAME, "Regression contextual bandit (ChebCB-style): per-arm ridge regression of cost on every context field "
            + "(numbers as Chebyshev polynomials of their scaled value, strings one-hot), inverse-gap weighting.",
        ContextFeatures.FIELDS,
        OptionSpec.of("degree", "integer", 5L, "largest Chebyshev degree d of a numeric field (T1..Td; lower with "
            + "several fields), 0..20"),
        OptionSpec.of("gamma", "number", 1.0, "eta = gamma * t in the inverse-gap weights 1 / (K + eta gap)"),
        OptionSpec.of("ridge", "number", 1.0, "ridge penalty of the per-arm regressions"),
        OptionSpec.of("costTransform", "string", "identity", "identity: regress the cost; log: regress log(cost) "
            + "(costs must be > 0; others are not learned from) and use log-cost gaps, i.e. relative gaps, unscaled"));
  }

  @Override
  Designer create(String name, BanditSettings s) {
    ContextFeatures f = ContextFeatures.parse(s, 5, ContextFeatures.MAX_COLUMNS);
    boolean log = s.options().getString("costTransform", "identity", Set.of("identity", "log")).equals("log");
    return new ContextualCbDesigner(name, s, f, s.positive("gamma", 1.0), s.positive("ridge", 1.0), log);
  }

  @Override
  public java.util.Set<io.sextant.engine.designer.Capability> capabilities() {
    return java.util.Set.of(io.sextant.engine.designer.Capability.BANDIT,
        io.sextant.engine.designer.Capability.CONTEXTUAL);
  }
}
