package io.sextant.engine.designer.random;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.designer.Options;
import io.sextant.engine.study.StudyProblem;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registers {@link RandomDesigner} as {@code random}. Option {@code seed} (integer, optional) is validated here; the
 * designer itself draws only from the generator it is given, so the caller (the API) is expected to seed that
 * generator from it. Any space, any number of objectives.
 */
public final class RandomDesignerProvider implements DesignerProvider {
  public static final String NAME = "random";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Uniform random search over the space (log-uniform for log parameters, equal mass per choice).";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.of("seed", "integer", null,
        "Seed for the study's random generator; the same seed and history give the same suggestions."));
  }

  @Override
  public Designer create(StudyProblem problem, Map<String, Object> options) {
    new Options(options).allowOnly(Set.of("seed")).getLong("seed", 0L);
    return new RandomDesigner(problem.space());
  }

  @Override
  public java.util.Set<io.sextant.engine.designer.Capability> capabilities() {
    return java.util.Set.of(io.sextant.engine.designer.Capability.MULTI_OBJECTIVE);
  }
}
