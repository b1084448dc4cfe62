package io.sextant.engine.program;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.study.StudyProblem;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registers {@link ProgramEvolutionDesigner} as {@code program-evolution}. The study must have an empty parameter
 * space (the program is the genome, stored as {@code params.program}), one objective (the fitness; either
 * direction) and no outcome constraints. {@link #render} pretty-prints a trial's program, simplified.
 */
public final class ProgramEvolutionProvider implements DesignerProvider {
  public static final String NAME = "program-evolution";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Regularized evolution of straight-line optimizer programs train(w, g, m, v, lr) -> (update, m, v) "
        + "(Chen et al. 2023, Lion): warm start, hash-based dedup, restarts on plateau. Needs an empty space.";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.of("population", "integer", (long) EvolutionSettings.DEFAULT_POPULATION,
            "population size P (paper: 1000; smaller suits a CPU budget of a few thousand evaluations)"),
        OptionSpec.of("tournament", "integer", (long) EvolutionSettings.DEFAULT_TOURNAMENT,
            "tournament size T <= population (paper: 2 of 1000; 10 of 100 keeps selection pressure at small P)"),
        OptionSpec.of("seed", "integer", null, "seed of the study's random generator (same seed, same programs)"),
        OptionSpec.of("warmStart", "string|object|array", "adamw",
            "initial program: a name (adamw, lion, sgd, momentum), a program object {body, returns}, or a list of "
                + "up to 8 of those (several warm starts: the initial population holds copies of each in turn)"),
        OptionSpec.of("plateau", "integer", (long) EvolutionSettings.DEFAULT_PLATEAU,
            "restart after this many trials without improving the epoch's best (0: never)"),
        OptionSpec.of("restartFrom", "string", "alternate", "restart from: initial, best or alternate"),
        OptionSpec.of("cacheSize", "integer", (long) EvolutionSettings.DEFAULT_CACHE,
            "hash -> fitness entries kept in the designer state"),
        OptionSpec.of("maxStatements", "integer", (long) EvolutionSettings.DEFAULT_MAX_STATEMENTS,
            "maximum statements per program (insertions stop there)"),
        OptionSpec.of("maxAttempts", "integer", (long) EvolutionSettings.DEFAULT_MAX_ATTEMPTS,
            "children tried per suggestion while they hit the cache"),
        OptionSpec.of("mutations", "array", List.of("insert", "delete", "modify", "function", "compose", "wrap"),
            "kinds of mutation drawn uniformly: insert, delete, modify (one argument), function (replace a "
                + "statement's function, keeping its arguments), compose (combine an argument with g, m or v "
                + "through a new statement) and wrap (wrap an argument in a unary function); the paper's set is "
                + "[insert, delete, modify]"),
        OptionSpec.of("protectAge", "integer", 0L,
            "structural-novelty protection (0: off): a trial whose structure (program hash modulo constants) is "
                + "new stays in the population and can breed through the novelty tournament for this many issued "
                + "trials"),
        OptionSpec.of("noveltyShare", "number", EvolutionSettings.DEFAULT_NOVELTY_SHARE,
            "with protectAge > 0: share of parents drawn by a tournament of two among protected members, judged "
                + "by their structure's best variant"),
        OptionSpec.of("tune", "integer", (long) EvolutionSettings.DEFAULT_TUNE,
            "with protectAge > 0: the first children a protected structure gets through the novelty tournament "
                + "are this many constant-only edits of its best variant"));
  }

  @Override
  public Designer create(StudyProblem problem, Map<String, Object> options) {
    EvolutionSettings settings = EvolutionSettings.parse(options);
    if (!problem.space().parameters().isEmpty()) {
      throw new ConfigException("space", "program-evolution evolves programs (stored as params.program): the study "
          + "must have no parameter space");
    }
    if (problem.objectives().size() != 1) {
      throw new ConfigException("objectives", "program-evolution optimizes one fitness: exactly 1 objective");
    }
    if (!problem.constraints().isEmpty()) {
      throw new ConfigException("constraints", "program-evolution does not support outcome constraints");
    }
    return new ProgramEvolutionDesigner(problem, settings);
  }

  /** Programs are the genome: a program-evolution study has no parameter space. */
  @Override
  public boolean needsParameters() {
    return false;
  }

  /**
   * A hand-written or imported trial's params: exactly {@code {"program": ...}} with a valid program (normalized to
   * its canonical JSON), so a client can add e.g. Lion to a study and the designer breeds from it once it is scored.
   */
  @Override
  public Optional<Map<String, Object>> genomeParams(Map<String, Object> params) {
    if (!params.keySet().equals(java.util.Set.of(ProgramEvolutionDesigner.PARAM))) {
      throw new ConfigException("params", "a program-evolution trial's params hold exactly 'program' (got "
          + params.keySet() + ")");
    }
    try {
      return Optional.of(Map.of(ProgramEvolutionDesigner.PARAM,
          ProgramJson.toJson(ProgramJson.fromJson(params.get(ProgramEvolutionDesigner.PARAM)))));
    } catch (ProgramException e) {
      throw new ConfigException("params.program", "params.program: " + e.getMessage());
    }
  }

  /** The trial's program ({@code params.program}), simplified for reading; empty when params hold no program. */
  @Override
  public Optional<String> render(Map<String, Object> params) {
    try {
      Program p = ProgramJson.fromJson(params.get(ProgramEvolutionDesigner.PARAM));
      return Optional.of(ProgramPrinter.print(Simplifier.simplify(p)));
    } catch (ProgramException e) {
      return Optional.empty();
    }
  }

  @Override
  public java.util.Set<io.sextant.engine.designer.Capability> capabilities() {
    return java.util.Set.of(io.sextant.engine.designer.Capability.RENDERS_CODE);
  }
}
