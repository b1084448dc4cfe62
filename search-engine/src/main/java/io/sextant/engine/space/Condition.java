package io.sextant.engine.space;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Activation condition: the parameter is active only when every named parent is active and takes one of the listed
 * values. Values are normalized with {@link Values#normalize(Object)} on construction, so {@code 3}, {@code 3L} and
 * {@code 3.0} all match an integer parent value of 3.
 *
 * @throws SpaceException naming {@code when.<parent>} for a value that is not a legal parameter value (e.g. null)
 */
public record Condition(Map<String, List<Object>> parentValues) {
  public Condition {
    Map<String, List<Object>> normalized = new LinkedHashMap<>();
    for (var e : parentValues.entrySet()) {
      try {
        normalized.put(e.getKey(), e.getValue().stream().map(Values::normalize).toList());
      } catch (IllegalArgumentException | NullPointerException ex) {
        throw new SpaceException("when." + e.getKey(), "illegal parent value: " + ex.getMessage());
      }
    }
    parentValues = Map.copyOf(normalized);
  }

  /** True when every parent is present in {@code assignment} (i.e. active) with one of the listed values. */
  public boolean holds(Map<String, Object> assignment) {
    for (var e : parentValues.entrySet()) {
      Object v = assignment.get(e.getKey());
      if (v == null || !Values.containsNormalized(e.getValue(), v)) {
        return false;
      }
    }
    return true;
  }
}
