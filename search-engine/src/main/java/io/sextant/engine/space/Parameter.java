package io.sextant.engine.space;

import java.util.Optional;

/**
 * One dimension of a search space. Values are plain Java objects: {@code Double} for float parameters, {@code Long}
 * for int parameters, and {@code String}, {@code Long}, {@code Double} or {@code Boolean} for categorical choices
 * and fixed values. A parameter with a {@link Condition} is active only when its parent(s) take the given values.
 */
public sealed interface Parameter permits FloatParameter, IntParameter, CategoricalParameter, FixedParameter {
  String name();

  Optional<Condition> condition();

  /** Number of unit-cube coordinates this parameter consumes when sampled (0 for fixed values). */
  default int samplingDimensions() {
    return this instanceof FixedParameter ? 0 : 1;
  }

  /**
   * Maps a coordinate u in [0, 1) to a value of this parameter; values are uniform in the parameter's own scale
   * (log scale for log parameters, equal mass per integer and per choice).
   */
  Object fromUnit(double u);

  /** True when {@code value} is a legal value of this parameter (already normalized, see {@link Values}). */
  boolean contains(Object value);
}
