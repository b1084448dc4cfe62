package io.sextant.evaluators.sor;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.designer.Options;
import io.sextant.engine.space.CategoricalParameter;
import io.sextant.engine.space.FixedParameter;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.IntParameter;
import io.sextant.engine.space.Parameter;
import io.sextant.engine.study.StudyProblem;
import io.sextant.evaluators.spi.Evaluator;
import io.sextant.evaluators.spi.EvaluatorProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code sor} evaluator: solves instance {@code offset + trialNumber} of a deterministic sequence
 * ({@link SorInstances}) by SOR ({@link Sor}) with the trial's relaxation parameter and reports the iteration count
 * under the study's (single) objective metric. Further metrics: {@code wall_seconds} (solve time, informational),
 * {@code omega_star}, the instance features ({@link SorFamily#features()}: e.g. {@code shift}; {@code nx},
 * {@code ny}, {@code shift}), {@code converged} (1 or 0) and, with {@code reportOptimal}, {@code optimal_iterations}
 * (iterations at omega*, the instance-optimal comparator). The features are also the context each trial is proposed
 * with ({@link #contextFor}), so a contextual bandit learns from them with default options.
 *
 * <p>Config: {@code grid} (N, n = N^2 unknowns, default 10, for the square families), {@code family} (see
 * {@link SorFamily}), {@code seed}, {@code rhs} (gaussian | ones), {@code tolerance} (1e-8), {@code maxIterations} (10000),
 * {@code parameter} (name of the omega parameter, default {@code omega}), {@code offset} (0), {@code reportOptimal}
 * (true). The space must hold the omega parameter as a float, int or numeric categorical/fixed parameter whose
 * values lie in (0, 2).
 */
public final class SorEvaluatorProvider implements EvaluatorProvider {
  public static final String NAME = "sor";
  private static final Set<String> KNOWN = Set.of(
      "grid", "family", "seed", "rhs", "tolerance", "maxIterations", "parameter", "offset", "reportOptimal");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Successive over-relaxation on a sequence of sparse linear systems (shifted 5-point Laplacians on square "
        + "or rectangular grids, variable-coefficient diffusion, 3-D Poisson); cost = iterations to reach the "
        + "relative residual tolerance; the trial number selects the instance, whose features are its context.";
  }

  /** {@code optimal_iterations}: iterations at omega* on the trial's own instance (with {@code reportOptimal}). */
  @Override
  public List<io.sextant.evaluators.spi.ReportedComparator> comparators() {
    return List.of(io.sextant.evaluators.spi.ReportedComparator.instanceOptimal("optimal_iterations",
        "SOR iterations at the instance's optimal omega (reported with reportOptimal, the default)"));
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.of("grid", "integer", 10L, "interior grid size N (n = N^2 unknowns) of the square families, 2..1024"),
        OptionSpec.of("family", "string", "high-variance", "instance family: " + String.join(", ", SorFamily.ids())),
        OptionSpec.of("seed", "integer", 0L, "seed of the instance sequence"),
        OptionSpec.of("rhs", "string", "gaussian", "right-hand side: gaussian (truncated N(0, I)) or ones"),
        OptionSpec.of("tolerance", "number", Sor.DEFAULT_TOLERANCE, "stop when ||r|| / ||r0|| < tolerance"),
        OptionSpec.of("maxIterations", "integer", (long) Sor.DEFAULT_MAX_ITERATIONS, "iteration cap (the cost then)"),
        OptionSpec.of("parameter", "string", "omega", "name of the relaxation parameter in the space"),
        OptionSpec.of("offset", "integer", 0L, "instance index = offset + trial number"),
        OptionSpec.of("reportOptimal", "boolean", true, "also solve at omega* and report optimal_iterations"));
  }

  /** Parsed configuration (also used by benchmarks and the service to attach contexts). */
  public record Config(SorInstances instances, double tolerance, int maxIterations, String parameter, long offset,
      boolean reportOptimal) {}

  /** Validates and parses a config map (no problem checks). */
  public static Config parse(Map<String, Object> config) {
    Options o = new Options(config).allowOnly(KNOWN);
    int grid = o.getInt("grid", 10, 2, 1024);
    String familyId = o.getString("family", "high-variance", Set.copyOf(SorFamily.ids()));
    long seed = o.getLong("seed", 0);
    boolean gaussian = o.getString("rhs", "gaussian", Set.of("gaussian", "ones")).equals("gaussian");
    double tol = o.getDouble("tolerance", Sor.DEFAULT_TOLERANCE);
    if (!(tol > 0 && tol < 1)) {
      throw new ConfigException("tolerance", "option 'tolerance' must lie in (0, 1)");
    }
    int max = o.getInt("maxIterations", Sor.DEFAULT_MAX_ITERATIONS, 1, 10_000_000);
    String parameter = o.getString("parameter", "omega", Set.of());
    long offset = o.getLong("offset", 0);
    if (offset < 0) {
      throw new ConfigException("offset", "option 'offset' must be >= 0");
    }
    boolean optimal = o.getBoolean("reportOptimal", true);
    SorFamily family = SorFamily.byId(familyId).orElseThrow();
    return new Config(new SorInstances(family, grid, seed, gaussian), tol, max, parameter, offset, optimal);
  }

  /** The instance's features (e.g. {@code shift}; {@code nx}, {@code ny}, {@code shift}), without the matrix. */
  @Override
  public java.util.Optional<Map<String, Object>> contextFor(Map<String, Object> config, long trialNumber) {
    Config c = parse(config);
    return java.util.Optional.of(Map.<String, Object>copyOf(c.instances().features(c.offset() + trialNumber)));
  }

  @Override
  public Evaluator create(StudyProblem problem, Map<String, Object> config) {
    Config c = parse(config);
    if (problem.objectives().size() != 1) {
      throw new ConfigException("objectives", "sor reports one cost (iterations): the study must have 1 objective");
    }
    Parameter p = problem.space().parameters().stream().filter(q -> q.name().equals(c.parameter())).findFirst()
        .orElseThrow(() -> new ConfigException("space",
            "the space has no parameter '" + c.parameter() + "' (the relaxation parameter; see option 'parameter')"));
    double[] range = switch (p) {
      case FloatParameter f -> new double[] {f.low(), f.high()};
      case IntParameter i -> new double[] {i.low(), i.high()};
      case CategoricalParameter cat -> numericRange(cat.choices(), p.name());
      case FixedParameter f -> numericRange(List.of(f.value()), p.name());
    };
    if (!(range[0] > 0 && range[1] < 2)) {
      throw new ConfigException("space", "parameter '" + p.name() + "' must take values in (0, 2) (SOR diverges "
          + "outside), got [" + range[0] + ", " + range[1] + "]");
    }
    return new SorEvaluator(c);
  }

  private static double[] numericRange(List<Object> values, String name) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Object v : values) {
      if (!(v instanceof Number n)) {
        throw new ConfigException("space", "parameter '" + name + "' must be numeric, got choice " + v);
      }
      lo = Math.min(lo, n.doubleValue());
      hi = Math.max(hi, n.doubleValue());
    }
    return new double[] {lo, hi};
  }

}
