package io.sextant.engine.bandit;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.OptionSpec;

/**
 * The scalar context of the contextual designers: the number under {@code key} in the suggestion request's context
 * (and, for learning, in the trial's {@code bandit.context} metadata), expected on [low, high]; values outside are
 * clamped.
 */
record ContextSettings(String key, double low, double high) {
  static final OptionSpec KEY = OptionSpec.of("contextKey", "string", "context",
      "name of the number in the request context used as the context (e.g. shift)");
  static final OptionSpec LOW = OptionSpec.of("low", "number", 0.0, "lower end of the context interval");
  static final OptionSpec HIGH = OptionSpec.of("high", "number", 1.0, "upper end of the context interval");

  static ContextSettings parse(BanditSettings s) {
    String key = s.options().getString("contextKey", "context", java.util.Set.of());
    if (key.isBlank()) {
      throw new ConfigException("contextKey", "option 'contextKey' must not be blank");
    }
    double low = s.options().getDouble("low", 0.0);
    double high = s.options().getDouble("high", 1.0);
    if (!(low < high)) {
      throw new ConfigException("low", "option 'low' must be less than 'high'");
    }
    return new ContextSettings(key, low, high);
  }

  /** Chebyshev polynomials T0..T(count-1) at z in [-1, 1] (three-term recursion). */
  static double[] chebyshev(double z, int count) {
    double[] f = new double[count];
    f[0] = 1;
    if (count > 1) {
      f[1] = z;
    }
    for (int j = 2; j < count; j++) {
      f[j] = 2 * z * f[j - 1] - f[j - 2];
    }
    return f;
  }

  /** The context mapped to [-1, 1] (clamped). */
  double unit(double x) {
    return Math.max(-1, Math.min(1, 2 * (x - low) / (high - low) - 1));
  }
}
