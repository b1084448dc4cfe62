package io.sextant.engine.designer;

import java.util.Map;

/** One proposed trial: an assignment of the active parameters and metadata stored with the trial. */
public record Suggestion(Map<String, Object> params, Map<String, Object> metadata) {
  public Suggestion {
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    metadata = Map.copyOf(metadata);
  }

  public static Suggestion of(Map<String, Object> params) {
    return new Suggestion(params, Map.of());
  }
}
