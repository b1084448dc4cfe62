package io.sextant.engine.mobo;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.designer.Options;
import io.sextant.engine.designer.sobol.SobolSequence;
import io.sextant.engine.study.StudyProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Option specs and parsing shared by the expensive multi-objective designers ({@code ehvi}, {@code parego}). */
final class MoBoOptions {
  static final int DEFAULT_WINDOW = 1000;
  static final int DEFAULT_CANDIDATES = 1024;
  static final int DEFAULT_RESTARTS = 4;
  static final int MAX_DEFAULT_INITIAL = 20;

  private MoBoOptions() {}

  static List<OptionSpec> specs(String referencePointUse) {
    return List.of(
        OptionSpec.of("referencePoint", "array of numbers", null,
            "Hypervolume reference point, one number per objective in the objectives' own units and directions. "
                + referencePointUse),
        OptionSpec.of("initialTrials", "integer", null,
            "Trials from the scrambled Sobol initial design before the GP phase (default min(" + MAX_DEFAULT_INITIAL
                + ", 2 x (non-fixed parameters + 1)), at least 5)."),
        OptionSpec.of("seed", "integer", 0L, "Seed of the initial design's scramble (and of ParEGO's weights)."),
        OptionSpec.of("window", "integer", DEFAULT_WINDOW,
            "Most recent trials the GPs see (by trial number); bounds the cost per suggestion."),
        OptionSpec.of("candidates", "integer", DEFAULT_CANDIDATES,
            "Scrambled Sobol candidates scored per suggested point before local optimization."),
        OptionSpec.of("restarts", "integer", DEFAULT_RESTARTS,
            "Local L-BFGS-B runs from the best candidates per suggested point."));
  }

  static List<String> names(List<OptionSpec> specs, String... extra) {
    List<String> out = new ArrayList<>(specs.stream().map(OptionSpec::name).toList());
    out.addAll(List.of(extra));
    return out;
  }

  /** Parses the shared options (the caller has already rejected unknown ones). */
  static MoBoSettings parse(String designer, StudyProblem problem, Options o) {
    int dims = problem.space().samplingDimensions();
    if (dims > SobolSequence.maxDimensions()) {
      throw new ConfigException("space", designer + " supports at most " + SobolSequence.maxDimensions()
          + " non-fixed parameters (got " + dims + ")");
    }
    int initial = o.getInt("initialTrials", Math.max(5, Math.min(MAX_DEFAULT_INITIAL, 2 * (dims + 1))), 0, 1_000_000);
    long seed = o.getLong("seed", 0L);
    int window = o.getInt("window", DEFAULT_WINDOW, 10, 100_000);
    int candidates = o.getInt("candidates", DEFAULT_CANDIDATES, 1, 1 << 20);
    int restarts = o.getInt("restarts", DEFAULT_RESTARTS, 0, 256);
    return new MoBoSettings(referencePoint(problem, o), initial, seed, window, candidates, restarts);
  }

  static Optional<List<Double>> referencePoint(StudyProblem problem, Options o) {
    return o.getFiniteNumbers("referencePoint", problem.objectives().size(), "objective");
  }
}
