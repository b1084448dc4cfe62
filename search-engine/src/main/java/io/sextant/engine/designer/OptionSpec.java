package io.sextant.engine.designer;

import java.util.Optional;

/** Documentation of one option of a designer or evaluator, listed by GET /api/v1/algorithms and /evaluators. */
public record OptionSpec(String name, String type, Optional<Object> defaultValue, String description) {
  public static OptionSpec of(String name, String type, Object defaultValue, String description) {
    return new OptionSpec(name, type, Optional.ofNullable(defaultValue), description);
  }
}
