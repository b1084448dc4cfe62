package io.sextant.engine.mobo;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.designer.Options;
import io.sextant.engine.study.StudyProblem;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Registers {@link ParegoDesigner} as {@code parego}: ParEGO for expensive evaluations with any number of
 * objectives (one objective degenerates to gp-bo with LogEI on the normalized objective). Any space the GP codec
 * handles, outcome constraints.
 */
public final class ParegoDesignerProvider implements DesignerProvider {
  public static final String NAME = "parego";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "ParEGO for expensive multi-objective search (any number of objectives): a random weight vector per "
        + "suggestion, augmented Chebyshev scalarization of the normalized objectives, one GP with log expected "
        + "improvement; scrambled Sobol initial design, outcome constraints, batches with distinct weights and "
        + "kriging believer.";
  }

  @Override
  public List<OptionSpec> options() {
    return MoBoOptions.specs("Objectives are normalized from their observed minimum (0) to it (1) "
        + "before scalarization. Default: inferred from the current Pareto front as ehvi does (its nadir + 10% of "
        + "its range, but never closer to its ideal than 1.1 x 40% of the widest extent the front has had).");
  }

  @Override
  public Designer create(StudyProblem problem, Map<String, Object> options) {
    Options o = new Options(options).allowOnly(new HashSet<>(MoBoOptions.names(options())));
    return new ParegoDesigner(problem, MoBoOptions.parse(NAME, problem, o));
  }

  @Override
  public java.util.Set<io.sextant.engine.designer.Capability> capabilities() {
    return java.util.Set.of(io.sextant.engine.designer.Capability.MULTI_OBJECTIVE);
  }
}
