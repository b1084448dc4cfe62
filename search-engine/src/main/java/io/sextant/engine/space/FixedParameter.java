package io.sextant.engine.space;

import java.util.Optional;

/** A parameter that always takes one value (recorded in every trial, never searched). */
public record FixedParameter(String name, Object value, Optional<Condition> condition) implements Parameter {
  public FixedParameter {
    try {
      value = Values.normalize(value);
    } catch (IllegalArgumentException e) {
      throw new SpaceException("value", e.getMessage());
    }
  }

  @Override
  public Object fromUnit(double u) {
    return value;
  }

  @Override
  public boolean contains(Object v) {
    try {
      return Values.normalize(v).equals(value);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
