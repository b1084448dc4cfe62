package io.sextant.engine.bandit;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.designer.Options;
import io.sextant.engine.study.StudyProblem;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Options and problem checks shared by every bandit designer: one objective (its direction gives the cost's sign),
 * no outcome constraints, arms from the space ({@link Arms}); options {@code seed}, {@code arms}, {@code window}.
 */
record BanditSettings(Arms arms, double sign, int window, Options options) {
  static final List<OptionSpec> COMMON = List.of(
      OptionSpec.of("seed", "integer", 0L, "seed of the arm sample when the space is not a single grid parameter "
          + "(suggestion randomness comes from the study's generator)"),
      OptionSpec.of("arms", "integer", 16L, "number of arms when the space is not a grid: evenly spaced values of a "
          + "single continuous float, else sampled assignments (2..1024)"),
      OptionSpec.of("window", "integer", 1000L, "most recent trials read per suggestion; statistics are cached in "
          + "the designer state, so the window needs to cover only the trials since the last suggestion"));

  static BanditSettings parse(StudyProblem problem, java.util.Map<String, Object> raw, List<OptionSpec> extra) {
    Set<String> known = new HashSet<>();
    COMMON.forEach(o -> known.add(o.name()));
    extra.forEach(o -> known.add(o.name()));
    for (String retired : List.of("contextKey", "low", "high")) {
      if (raw != null && raw.containsKey(retired) && !known.contains(retired)) {
        throw new ConfigException(retired, ContextFeatures.RETIRED.get(retired));
      }
    }
    Options o = new Options(raw).allowOnly(known);
    long seed = o.getLong("seed", 0);
    int count = o.getInt("arms", 16, 2, Arms.MAX_GRID);
    int window = o.getInt("window", 1000, 1, Integer.MAX_VALUE);
    if (problem.objectives().size() != 1) {
      throw new ConfigException("objectives", "a bandit minimizes one cost: the study must have exactly 1 objective");
    }
    if (!problem.constraints().isEmpty()) {
      throw new ConfigException("constraints", "bandit designers do not support outcome constraints");
    }
    Arms arms = Arms.forDesigner(problem.space(), count, seed);
    return new BanditSettings(arms, problem.objectives().getFirst().direction().toMinimization(), window, o);
  }

  static List<OptionSpec> with(OptionSpec... extra) {
    java.util.ArrayList<OptionSpec> all = new java.util.ArrayList<>(COMMON);
    all.addAll(List.of(extra));
    return List.copyOf(all);
  }

  /** A positive finite number option. */
  double positive(String name, double dflt) {
    double v = options.getDouble(name, dflt);
    if (!(v > 0)) {
      throw new ConfigException(name, "option '" + name + "' must be > 0");
    }
    return v;
  }
}
