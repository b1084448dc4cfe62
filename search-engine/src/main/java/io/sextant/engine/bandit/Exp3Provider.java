package io.sextant.engine.bandit;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.study.StudyProblem;
import java.util.List;
import java.util.Map;

/**
 * Registers the {@code exp3} bandit designer. Exp3 over a finite arm set with importance-weighted, mean-scaled losses and the anytime rate sqrt(2 ln K / (K t)). Arms, costs, cached statistics and metadata: see
 * {@link Arms} and {@link BanditDesigner}; one objective, no outcome constraints (refused at create).
 */
public final class Exp3Provider implements DesignerProvider {
  public static final String NAME = "exp3";
  private static final List<OptionSpec> OPTIONS = BanditSettings.with(OptionSpec.of("learningRate", "number", 1.0, "multiplier on the learning rate"), OptionSpec.of("gamma", "number", 0.0, "uniform exploration mixed in, in [0, 1)"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Exp3 over a finite arm set with importance-weighted, mean-scaled losses and the anytime rate sqrt(2 ln K / (K t)).";
  }

  @Override
  public List<OptionSpec> options() {
    return OPTIONS;
  }

  @Override
  public Designer create(StudyProblem problem, Map<String, Object> options) {
    BanditSettings s = BanditSettings.parse(problem, options, OPTIONS);
    double gamma = s.options().getDouble("gamma", 0.0);
    if (!(gamma >= 0 && gamma < 1)) {
      throw new io.sextant.engine.designer.ConfigException("gamma", "option 'gamma' must lie in [0, 1)");
    }
    return new Exp3Designer(NAME, s, s.positive("learningRate", 1.0), gamma);
  }
}
