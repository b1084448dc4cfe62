package io.sextant.engine.bandit;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.study.StudyProblem;
import java.util.List;
import java.util.Map;

/**
 * Registers the {@code binned-tsallis-inf} bandit designer. Contextual bandit: the context interval split into bins, an independent Tsallis-INF in each. Arms, costs, cached statistics and metadata: see
 * {@link Arms} and {@link BanditDesigner}; one objective, no outcome constraints (refused at create).
 */
public final class BinnedTsallisInfProvider implements DesignerProvider {
  public static final String NAME = "binned-tsallis-inf";
  private static final List<OptionSpec> OPTIONS = BanditSettings.with(ContextSettings.KEY, ContextSettings.LOW, ContextSettings.HIGH, OptionSpec.of("bins", "integer", 5L, "number of context bins (1..1000)"), OptionSpec.of("learningRate", "number", 1.0, "multiplier on the learning rate"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Contextual bandit: the context interval split into bins, an independent Tsallis-INF in each.";
  }

  @Override
  public List<OptionSpec> options() {
    return OPTIONS;
  }

  @Override
  public Designer create(StudyProblem problem, Map<String, Object> options) {
    BanditSettings s = BanditSettings.parse(problem, options, OPTIONS);
    ContextSettings c = ContextSettings.parse(s);
    int bins = s.options().getInt("bins", 5, 1, 1000);
    return new BinnedTsallisInfDesigner(NAME, s, c, bins, s.positive("learningRate", 1.0));
  }
}
