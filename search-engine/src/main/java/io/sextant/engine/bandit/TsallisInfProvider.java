package io.sextant.engine.bandit;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.study.StudyProblem;
import java.util.List;
import java.util.Map;

/**
 * Registers the {@code tsallis-inf} bandit designer. 1/2-Tsallis-INF over a finite arm set (eta = 2 / sqrt(t), importance-weighted losses scaled by the running mean cost), as in Learning to Relax. Arms, costs, cached statistics and metadata: see
 * {@link Arms} and {@link BanditDesigner}; one objective, no outcome constraints (refused at create).
 */
public final class TsallisInfProvider implements DesignerProvider {
  public static final String NAME = "tsallis-inf";
  private static final List<OptionSpec> OPTIONS = BanditSettings.with(OptionSpec.of("learningRate", "number", 1.0, "multiplier on the learning rate"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "1/2-Tsallis-INF over a finite arm set (eta = 2 / sqrt(t), importance-weighted losses scaled by the running mean cost), as in Learning to Relax.";
  }

  @Override
  public List<OptionSpec> options() {
    return OPTIONS;
  }

  @Override
  public Designer create(StudyProblem problem, Map<String, Object> options) {
    BanditSettings s = BanditSettings.parse(problem, options, OPTIONS);
    return new TsallisInfDesigner(NAME, s, s.positive("learningRate", 1.0));
  }
}
