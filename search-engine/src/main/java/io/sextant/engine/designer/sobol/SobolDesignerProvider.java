package io.sextant.engine.designer.sobol;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.designer.Options;
import io.sextant.engine.study.StudyProblem;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registers {@link SobolDesigner} as {@code sobol}. Options: {@code seed} (integer, default 0) and {@code scramble}
 * (boolean, default true). Any number of objectives; at most {@link SobolSequence#maxDimensions()} non-fixed
 * parameters.
 */
public final class SobolDesignerProvider implements DesignerProvider {
  public static final String NAME = "sobol";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Scrambled Sobol quasi-random sequence: even, deterministic space filling; a good initial design.";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.of("seed", "integer", 0L,
            "Seed of the scramble; the sequence is a function of this seed only, stable for the life of the study."),
        OptionSpec.of("scramble", "boolean", true,
            "Apply a random linear matrix scramble and digital shift (false: plain Sobol, starting at the origin)."));
  }

  @Override
  public Designer create(StudyProblem problem, Map<String, Object> options) {
    Options o = new Options(options).allowOnly(Set.of("seed", "scramble"));
    long seed = o.getLong("seed", 0L);
    boolean scramble = o.getBoolean("scramble", true);
    int dims = problem.space().samplingDimensions();
    if (dims > SobolSequence.maxDimensions()) {
      throw new ConfigException("space",
          "sobol supports at most " + SobolSequence.maxDimensions() + " non-fixed parameters (got " + dims + ")");
    }
    SobolSequence sequence = scramble ? SobolSequence.scrambled(dims, seed) : SobolSequence.unscrambled(dims);
    return new SobolDesigner(problem.space(), sequence);
  }

  @Override
  public java.util.Set<io.sextant.engine.designer.Capability> capabilities() {
    return java.util.Set.of(io.sextant.engine.designer.Capability.MULTI_OBJECTIVE);
  }
}
