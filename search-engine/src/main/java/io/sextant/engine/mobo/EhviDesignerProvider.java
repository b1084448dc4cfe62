package io.sextant.engine.mobo;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.designer.Options;
import io.sextant.engine.study.StudyProblem;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Registers {@link EhviDesigner} as {@code ehvi}: expected-hypervolume-improvement BO for expensive evaluations
 * with up to {@value #MAX_OBJECTIVES} objectives (more are refused at create, field {@code objectives}); one
 * objective degenerates to log expected improvement. Any space the GP codec handles (float, int, categorical,
 * fixed, conditional), outcome constraints.
 */
public final class EhviDesignerProvider implements DesignerProvider {
  public static final String NAME = "ehvi";
  public static final int MAX_OBJECTIVES = 3;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Multi-objective Bayesian optimization for expensive evaluations (2-3 objectives): one GP per objective, "
        + "exact analytic expected hypervolume improvement over a box decomposition of the non-dominated region, "
        + "scrambled Sobol initial design, outcome constraints, batches and pending trials by kriging believer.";
  }

  @Override
  public List<OptionSpec> options() {
    return MoBoOptions.specs("Improvement is measured up to it. Default: inferred from the current Pareto "
        + "front of the completed feasible trials (its nadir + 10% of its range, but never closer to its ideal than "
        + "1.1 x 40% of the widest extent the front has had), updated as the front improves.");
  }

  @Override
  public Designer create(StudyProblem problem, Map<String, Object> options) {
    Options o = new Options(options).allowOnly(new HashSet<>(MoBoOptions.names(options())));
    int m = problem.objectives().size();
    if (m > MAX_OBJECTIVES) {
      throw new ConfigException("objectives", "ehvi supports at most " + MAX_OBJECTIVES + " objectives (got " + m
          + "); use parego or nsga2");
    }
    return new EhviDesigner(problem, MoBoOptions.parse(NAME, problem, o));
  }

  @Override
  public java.util.Set<io.sextant.engine.designer.Capability> capabilities() {
    return java.util.Set.of(io.sextant.engine.designer.Capability.MULTI_OBJECTIVE);
  }
}
