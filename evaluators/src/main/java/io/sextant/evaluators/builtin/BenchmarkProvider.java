package io.sextant.evaluators.builtin;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.designer.Options;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.IntParameter;
import io.sextant.engine.space.Parameter;
import io.sextant.engine.study.StudyProblem;
import io.sextant.evaluators.spi.Evaluator;
import io.sextant.evaluators.spi.EvaluatorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Base of the built-in benchmark functions (Branin, Hartmann6, Ackley, Rosenbrock, ZDT1-3, DTLZ2).
 *
 * <p>Input convention: the function's input vector {@code x} is the study's numeric parameters ({@code float} and
 * {@code int}, not fixed or categorical ones) in space order; their names do not matter. Values are used as they
 * are, never rescaled: a study declares the function's usual domain itself (e.g. Branin on [-5, 10] x [0, 15]).
 * Numeric parameters must be unconditional, so the dimension is the same for every trial.
 *
 * <p>Output convention: the function's k outputs are reported under the study's objective metric names in
 * objective order ({@link io.sextant.evaluators.spi.EvaluationContext#objectiveMetrics()}), so a study may call
 * its metric "loss". Values are raw function values: a MAXIMIZE objective is not sign-flipped.
 *
 * <p>Options: {@code noise} (standard deviation of additive Gaussian noise on every output, default 0) and
 * {@code seed} (default 0); trial number n draws its noise from a generator seeded with {@code seed + n}, so a
 * noisy result is reproducible.
 *
 * <p>Subclasses are pure: {@link #value(double[], int)} depends only on its arguments and is thread-safe.
 */
public abstract class BenchmarkProvider implements EvaluatorProvider {
  static final String NOISE = "noise";
  static final String SEED = "seed";
  private static final List<OptionSpec> OPTIONS = List.of(
      OptionSpec.of(NOISE, "number", 0.0,
          "standard deviation of additive Gaussian noise on every output (0 = exact function values)"),
      OptionSpec.of(SEED, "integer", 0L,
          "noise seed: trial number n draws its noise from seed + n, so noisy results are reproducible"));

  private final String name;
  private final String description;

  protected BenchmarkProvider(String name, String description) {
    this.name = name;
    this.description = description;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final List<OptionSpec> options() {
    return OPTIONS;
  }

  /**
   * The function itself, without noise. Pure and thread-safe.
   *
   * @param x the input, of a length this function accepts (checked by {@link #create})
   * @param objectives number of outputs wanted (the study's number of objectives, checked by {@link #create})
   * @return {@code objectives} values, in objective order
   */
  public abstract double[] value(double[] x, int objectives);

  /** Least number of objectives this function can produce. */
  protected int minObjectives() {
    return 1;
  }

  /** Largest number of objectives this function can produce. */
  protected int maxObjectives() {
    return 1;
  }

  /** Least input dimension for the given number of objectives. */
  protected abstract int minDimension(int objectives);

  /** Largest input dimension for the given number of objectives. */
  protected int maxDimension(int objectives) {
    return Integer.MAX_VALUE;
  }

  /** True when the function is defined on [0, 1]^n only: every numeric parameter must lie within [0, 1]. */
  protected boolean unitCube() {
    return false;
  }

  @Override
  public final Evaluator create(StudyProblem problem, Map<String, Object> config) {
    Options options = new Options(config).allowOnly(Set.of(NOISE, SEED));
    double noise = options.getDouble(NOISE, 0.0);
    if (noise < 0) {
      throw new ConfigException(NOISE, "option 'noise' is a standard deviation and must be >= 0 (got " + noise + ")");
    }
    long seed = options.getLong(SEED, 0);
    int m = problem.objectives().size();
    checkObjectives(m);
    List<String> inputs = inputs(problem);
    checkDimension(inputs.size(), m);
    return new BenchmarkEvaluator(this, inputs, m, noise, seed);
  }

  private void checkObjectives(int m) {
    int lo = minObjectives();
    int hi = maxObjectives();
    if (m >= lo && m <= hi) {
      return;
    }
    String msg;
    if (lo == hi && lo == 1) {
      msg = name + " is a single-objective function: the study must have exactly 1 objective (it has " + m + ")";
    } else if (lo == hi) {
      msg = name + " has " + lo + " objectives: the study must have exactly " + lo + " (it has " + m + ")";
    } else {
      msg = name + " needs at least " + lo + " objectives (the study has " + m + ")";
    }
    throw new ConfigException("objectives", msg);
  }

  private void checkDimension(int d, int m) {
    int lo = minDimension(m);
    int hi = maxDimension(m);
    if (d >= lo && d <= hi) {
      return;
    }
    String what = " numeric (float or int) parameters";
    String msg;
    if (lo == hi) {
      msg = name + " takes exactly " + lo + what + ", the space has " + d;
    } else if (d < lo) {
      msg = name + " needs at least " + lo + what + dimensionRule(m) + ", the space has " + d;
    } else {
      msg = name + " takes at most " + hi + what + ", the space has " + d;
    }
    throw new ConfigException("space", msg);
  }

  /** Explains a dimension bound that depends on the number of objectives (empty when it does not). */
  protected String dimensionRule(int objectives) {
    return "";
  }

  private List<String> inputs(StudyProblem problem) {
    List<String> names = new ArrayList<>();
    for (Parameter p : problem.space().parameters()) {
      if (!(p instanceof FloatParameter || p instanceof IntParameter)) {
        continue;
      }
      if (p.condition().isPresent()) {
        throw new ConfigException("space", name + " needs unconditional numeric parameters, but '" + p.name()
            + "' has a condition");
      }
      if (unitCube()) {
        double low = p instanceof FloatParameter f ? f.low() : ((IntParameter) p).low();
        double high = p instanceof FloatParameter f ? f.high() : ((IntParameter) p).high();
        if (low < 0 || high > 1) {
          throw new ConfigException("space", name + " is defined on [0, 1]^n and inputs are not rescaled: parameter '"
              + p.name() + "' spans [" + low + ", " + high + "]; declare every numeric parameter within [0, 1]");
        }
      }
      names.add(p.name());
    }
    return List.copyOf(names);
  }
}
