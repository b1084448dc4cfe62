package io.sextant.engine.bo;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.designer.Options;
import io.sextant.engine.designer.sobol.SobolSequence;
import io.sextant.engine.study.StudyProblem;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registers {@link GpBoDesigner} as {@code gp-bo}: Gaussian-process Bayesian optimization for one objective, with
 * outcome constraints and conditional spaces. Multi-objective problems are refused at create (field
 * {@code objectives}).
 */
public final class GpBoDesignerProvider implements DesignerProvider {
  public static final String NAME = "gp-bo";
  /** Default of option {@code kgSamples}. */
  public static final int DEFAULT_KG_SAMPLES = 16;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Bayesian optimization: exact GP (Matern-5/2 ARD, MAP hyperparameters) with LogEI, noisy EI, knowledge "
        + "gradient (discrete or continuous) or UCB; scrambled Sobol initial design, outcome constraints, batches and pending trials by "
        + "kriging believer. Single objective.";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.of("acquisition", "string", "logei",
            "Acquisition function: logei (log expected improvement), nei (noisy EI: expected improvement of the "
                + "best posterior mean over the observed points after sampling x, by the exact discrete KG), kg "
                + "(knowledge gradient over observed points plus Sobol candidates), kg-mc (knowledge gradient over the "
                + "continuous space: the fantasized posterior mean is maximized for kgSamples fixed normal outcomes; "
                + "slower), ucb (confidence bound)."),
        OptionSpec.of("initialTrials", "integer", null,
            "Trials from the scrambled Sobol initial design before the GP phase (default max(5, 2 x number of "
                + "non-fixed parameters))."),
        OptionSpec.of("seed", "integer", 0L, "Seed of the initial design's scramble."),
        OptionSpec.of("ucbBeta", "number", 4.0, "Exploration weight beta of ucb: -mean + sqrt(beta) sd."),
        OptionSpec.of("window", "integer", 1000,
            "Most recent trials the GP sees (by trial number); bounds the cost per suggestion."),
        OptionSpec.of("candidates", "integer", 1024,
            "Scrambled Sobol candidates scored per suggested point before local optimization."),
        OptionSpec.of("restarts", "integer", 4, "Local L-BFGS-B runs from the best candidates per suggested point."),
        OptionSpec.of("kgSamples", "integer", DEFAULT_KG_SAMPLES,
            "Fantasy outcomes (1-256) per candidate of kg-mc: each is an inner maximization of the fantasized "
                + "posterior mean; more is more accurate and proportionally slower. Ignored by other acquisitions."));
  }

  /** The phase switch is declared: {@code initialTrials} is stored with its default when the study omits it. */
  @Override
  public Map<String, Object> declaredOptions(StudyProblem problem, Map<String, Object> options) {
    if (options.containsKey("initialTrials")) {
      return options;
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>(options);
    out.put("initialTrials", (long) defaultInitialTrials(problem));
    return out;
  }

  private static int defaultInitialTrials(StudyProblem problem) {
    return Math.max(5, 2 * problem.space().samplingDimensions());
  }

  @Override
  public Designer create(StudyProblem problem, Map<String, Object> options) {
    Options o = new Options(options).allowOnly(
        Set.of("acquisition", "initialTrials", "seed", "ucbBeta", "window", "candidates", "restarts",
            "kgSamples"));
    if (problem.isMultiObjective()) {
      throw new ConfigException("objectives",
          "gp-bo optimizes a single objective (got " + problem.objectives().size() + "); use a Pareto designer");
    }
    int dims = problem.space().samplingDimensions();
    if (dims > SobolSequence.maxDimensions()) {
      throw new ConfigException("space", "gp-bo supports at most " + SobolSequence.maxDimensions()
          + " non-fixed parameters (got " + dims + ")");
    }
    String acq = o.getString("acquisition", "logei", GpBoSettings.AcquisitionKind.options());
    int initial = o.getInt("initialTrials", defaultInitialTrials(problem), 0, 1_000_000);
    long seed = o.getLong("seed", 0L);
    double beta = o.getDouble("ucbBeta", 4.0);
    if (beta < 0) {
      throw new ConfigException("ucbBeta", "option 'ucbBeta' must be >= 0");
    }
    int window = o.getInt("window", 1000, 10, 100_000);
    int candidates = o.getInt("candidates", 1024, 1, 1 << 20);
    int restarts = o.getInt("restarts", 4, 0, 256);
    int kgSamples = o.getInt("kgSamples", DEFAULT_KG_SAMPLES, 1, 256);
    return new GpBoDesigner(problem, new GpBoSettings(
        GpBoSettings.AcquisitionKind.of(acq), initial, seed, beta, window, candidates, restarts, kgSamples));
  }
}
