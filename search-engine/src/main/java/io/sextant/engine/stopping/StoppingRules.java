package io.sextant.engine.stopping;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.Options;
import java.util.Map;
import java.util.Set;

/** Builds a study's stopping rule from its {@code earlyStopping} config: {"rule": "median" | "asha" | "none", ...}. */
public final class StoppingRules {
  private StoppingRules() {}

  /**
   * median: {@code startupTrials} (default 5), {@code warmupSteps} (0), {@code interval} (1);
   * asha: {@code minResource} (1), {@code eta} (3).
   *
   * @throws ConfigException naming the offending option
   */
  public static StoppingRule of(Map<String, Object> config) {
    Options o = new Options(config);
    String rule = o.getString("rule", "none", Set.of("none", "median", "asha"));
    return switch (rule) {
      case "median" -> {
        o.allowOnly(Set.of("rule", "startupTrials", "warmupSteps", "interval"));
        yield new MedianStoppingRule(o.getInt("startupTrials", 5, 0, 1_000_000),
            nonNegative(o, "warmupSteps", 0), positive(o, "interval", 1));
      }
      case "asha" -> {
        o.allowOnly(Set.of("rule", "minResource", "eta"));
        yield new SuccessiveHalvingRule(positive(o, "minResource", 1), o.getInt("eta", 3, 2, 100));
      }
      default -> {
        o.allowOnly(Set.of("rule"));
        yield new StoppingRule.Never();
      }
    };
  }

  private static long nonNegative(Options o, String name, long dflt) {
    long v = o.getLong(name, dflt);
    if (v < 0) {
      throw new ConfigException(name, "option '" + name + "' must be >= 0");
    }
    return v;
  }

  private static long positive(Options o, String name, long dflt) {
    long v = o.getLong(name, dflt);
    if (v < 1) {
      throw new ConfigException(name, "option '" + name + "' must be >= 1");
    }
    return v;
  }
}
