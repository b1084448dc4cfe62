package io.sextant.engine.bandit;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.study.StudyProblem;
import java.util.List;
import java.util.Map;

/**
 * Registers the {@code ucb1} bandit designer. UCB1 for costs over a finite arm set: each arm once, then the lowest mean minus exploration bonus. Arms, costs, cached statistics and metadata: see
 * {@link Arms} and {@link BanditDesigner}; one objective, no outcome constraints (refused at create).
 */
public final class Ucb1Provider implements DesignerProvider {
  public static final String NAME = "ucb1";
  private static final List<OptionSpec> OPTIONS = BanditSettings.with(OptionSpec.of("exploration", "number", 1.0, "multiplier c on the bonus sqrt(2 ln N / n_i) (in units of the mean cost)"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "UCB1 for costs over a finite arm set: each arm once, then the lowest mean minus exploration bonus.";
  }

  @Override
  public List<OptionSpec> options() {
    return OPTIONS;
  }

  @Override
  public Designer create(StudyProblem problem, Map<String, Object> options) {
    BanditSettings s = BanditSettings.parse(problem, options, OPTIONS);
    return new Ucb1Designer(NAME, s, s.positive("exploration", 1.0));
  }
}
