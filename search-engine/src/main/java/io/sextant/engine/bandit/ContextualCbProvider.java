package io.sextant.engine.bandit;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.study.StudyProblem;
import java.util.List;
import java.util.Map;

/**
 * Registers the {@code contextual-cb} bandit designer. Regression contextual bandit (ChebCB-style): per-arm ridge regression of cost on Chebyshev features of the context, inverse-gap weighting. Arms, costs, cached statistics and metadata: see
 * {@link Arms} and {@link BanditDesigner}; one objective, no outcome constraints (refused at create).
 */
public final class ContextualCbProvider implements DesignerProvider {
  public static final String NAME = "contextual-cb";
  private static final List<OptionSpec> OPTIONS = BanditSettings.with(ContextSettings.KEY, ContextSettings.LOW, ContextSettings.HIGH, OptionSpec.of("degree", "integer", 5L, "largest Chebyshev degree d (features T0..Td), 0..20"), OptionSpec.of("gamma", "number", 1.0, "eta = gamma * t in the inverse-gap weights 1 / (K + eta gap)"), OptionSpec.of("ridge", "number", 1.0, "ridge penalty of the per-arm regressions"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Regression contextual bandit (ChebCB-style): per-arm ridge regression of cost on Chebyshev features of the context, inverse-gap weighting.";
  }

  @Override
  public List<OptionSpec> options() {
    return OPTIONS;
  }

  @Override
  public Designer create(StudyProblem problem, Map<String, Object> options) {
    BanditSettings s = BanditSettings.parse(problem, options, OPTIONS);
    ContextSettings c = ContextSettings.parse(s);
    int degree = s.options().getInt("degree", 5, 0, 20);
    return new ContextualCbDesigner(NAME, s, c, degree, s.positive("gamma", 1.0), s.positive("ridge", 1.0));
  }
}
