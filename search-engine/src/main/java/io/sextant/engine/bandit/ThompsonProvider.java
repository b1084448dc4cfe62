package io.sextant.engine.bandit;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.study.StudyProblem;
import java.util.List;
import java.util.Map;

/**
 * Registers the {@code thompson} bandit designer. Gaussian Thompson sampling for costs over a finite arm set. Arms, costs, cached statistics and metadata: see
 * {@link Arms} and {@link BanditDesigner}; one objective, no outcome constraints (refused at create).
 */
public final class ThompsonProvider implements DesignerProvider {
  public static final String NAME = "thompson";
  private static final List<OptionSpec> OPTIONS = BanditSettings.with();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Gaussian Thompson sampling for costs over a finite arm set.";
  }

  @Override
  public List<OptionSpec> options() {
    return OPTIONS;
  }

  @Override
  public Designer create(StudyProblem problem, Map<String, Object> options) {
    BanditSettings s = BanditSettings.parse(problem, options, OPTIONS);
    return new ThompsonDesigner(NAME, s);
  }
}
