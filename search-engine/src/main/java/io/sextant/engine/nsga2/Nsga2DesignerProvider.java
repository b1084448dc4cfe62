package io.sextant.engine.nsga2;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.designer.Options;
import io.sextant.engine.study.StudyProblem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Registers {@link Nsga2Designer} as {@code nsga2}: any space (float, int, categorical, fixed, conditional), one or
 * more objectives in any directions, outcome constraints (Deb's constrained domination). Option {@code seed} is
 * validated here only: the designer draws from the generator the API seeds with it.
 */
public final class Nsga2DesignerProvider implements DesignerProvider {
  public static final String NAME = "nsga2";

  private static final Set<String> KNOWN = Set.of("populationSize", "crossoverProb", "crossoverEta", "mutationEta",
      "mutationProb", "seed", "referencePoint", "windowGenerations");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "NSGA-II (Deb et al. 2002) for multi-objective search, asynchronous: generations are tagged in trial "
        + "metadata and parents are chosen from the last generations' results, so any replica can continue. SBX "
        + "crossover and polynomial mutation on numeric parameters, uniform crossover and random reset on "
        + "categorical ones; constraints by constrained domination.";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.of("populationSize", "integer", Nsga2Config.DEFAULT_POPULATION_SIZE,
            "Individuals per generation (>= 2). The designer reads the last windowGenerations generations of trials."),
        OptionSpec.of("windowGenerations", "integer", Nsga2Config.WINDOW_GENERATIONS,
            "Generations of trials the designer reads (2 to 1000). Elites older than the window are forgotten; a "
                + "larger window keeps them longer (closer to classic NSGA-II) at a proportionally higher cost per "
                + "suggestion."),
        OptionSpec.of("crossoverProb", "number", Nsga2Config.DEFAULT_CROSSOVER_PROB,
            "Probability that two parents are recombined, in [0, 1]."),
        OptionSpec.of("crossoverEta", "number", Nsga2Config.DEFAULT_CROSSOVER_ETA,
            "SBX distribution index (>= 0); larger keeps children closer to their parents."),
        OptionSpec.of("mutationEta", "number", Nsga2Config.DEFAULT_MUTATION_ETA,
            "Polynomial mutation distribution index (>= 0)."),
        OptionSpec.of("mutationProb", "number", null,
            "Per-parameter mutation probability in [0, 1]; default 1 / number of searched parameters."),
        OptionSpec.of("seed", "integer", null,
            "Seed for the study's random generator; the same seed and history give the same suggestions."),
        OptionSpec.of("referencePoint", "array of numbers", null,
            "Hypervolume reference point, one number per objective in the objectives' own directions; used for "
                + "reporting (Pareto front and hypervolume), not by the search. Default: inferred from the trials."));
  }

  @Override
  public Designer create(StudyProblem problem, Map<String, Object> options) {
    return new Nsga2Designer(problem, parse(problem, options));
  }

  /** Validates the options against the problem. */
  public static Nsga2Config parse(StudyProblem problem, Map<String, Object> options) {
    Options o = new Options(options).allowOnly(KNOWN);
    o.getLong("seed", 0L);
    int n = o.getInt("populationSize", Nsga2Config.DEFAULT_POPULATION_SIZE, 2, 100_000);
    int window = o.getInt("windowGenerations", Nsga2Config.WINDOW_GENERATIONS, 2, Nsga2Config.MAX_WINDOW_GENERATIONS);
    double pc = probability(o, "crossoverProb", Nsga2Config.DEFAULT_CROSSOVER_PROB);
    double etaC = nonNegative(o, "crossoverEta", Nsga2Config.DEFAULT_CROSSOVER_ETA);
    double etaM = nonNegative(o, "mutationEta", Nsga2Config.DEFAULT_MUTATION_ETA);
    OptionalDouble pm = o.raw().containsKey("mutationProb")
        ? OptionalDouble.of(probability(o, "mutationProb", 0.0)) : OptionalDouble.empty();
    Optional<List<Double>> ref = o.getFiniteNumbers("referencePoint", problem.objectives().size(), "objective");
    return new Nsga2Config(n, pc, etaC, etaM, pm, ref, window);
  }

  private static double probability(Options o, String name, double dflt) {
    double v = o.getDouble(name, dflt);
    if (!(v >= 0 && v <= 1)) {
      throw new ConfigException(name, "option '" + name + "' must be between 0 and 1");
    }
    return v;
  }

  private static double nonNegative(Options o, String name, double dflt) {
    double v = o.getDouble(name, dflt);
    if (!(v >= 0)) {
      throw new ConfigException(name, "option '" + name + "' must be >= 0");
    }
    return v;
  }

  @Override
  public java.util.Set<io.sextant.engine.designer.Capability> capabilities() {
    return java.util.Set.of(io.sextant.engine.designer.Capability.MULTI_OBJECTIVE);
  }
}
