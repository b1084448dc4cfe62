package io.sextant.engine.space;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** A categorical parameter over strings, numbers or booleans (normalized with {@link Values#normalize}). */
public record CategoricalParameter(String name, List<Object> choices, Optional<Condition> condition)
    implements Parameter {

  public CategoricalParameter {
    if (choices.isEmpty()) {
      throw new SpaceException("choices", "choices must not be empty");
    }
    try {
      choices = choices.stream().map(Values::normalize).toList();
    } catch (IllegalArgumentException e) {
      throw new SpaceException("choices", e.getMessage());
    }
    if (new HashSet<>(choices).size() != choices.size()) {
      throw new SpaceException("choices", "choices must be distinct");
    }
  }

  @Override
  public Object fromUnit(double u) {
    return choices.get(Math.max(0, Math.min(choices.size() - 1, (int) Math.floor(u * choices.size()))));
  }

  @Override
  public boolean contains(Object value) {
    return Values.containsNormalized(choices, value);
  }

  /** Position of {@code value} among the choices, or -1 when it is not a choice. */
  public int indexOf(Object value) {
    Object n;
    try {
      n = Values.normalize(value);
    } catch (IllegalArgumentException e) {
      return -1;
    }
    return choices.indexOf(n);
  }
}
