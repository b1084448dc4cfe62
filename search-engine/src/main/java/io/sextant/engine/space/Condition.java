package io.sextant.engine.space;

import java.util.List;
import java.util.Map;

/**
 * Activation condition: the parameter is active only when every named parent is active and takes one of the listed
 * values. Values are normalized with {@link Values#normalize(Object)}.
 */
public record Condition(Map<String, List<Object>> parentValues) {
  public Condition {
    parentValues = Map.copyOf(parentValues);
  }

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
