package io.sextant.engine.space;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * An ordered list of parameters. A conditional parameter must come after its parents, so one pass in order decides
 * which parameters are active. Immutable and thread-safe.
 */
public record SearchSpace(List<Parameter> parameters) {
  public static final SearchSpace EMPTY = new SearchSpace(List.of());

  public SearchSpace {
    parameters = List.copyOf(parameters);
    Map<String, Parameter> seen = new HashMap<>();
    for (int i = 0; i < parameters.size(); i++) {
      Parameter p = parameters.get(i);
      String at = "parameters[" + i + "]";
      if (p.name() == null || p.name().isBlank()) {
        throw new SpaceException(at + ".name", "parameter name must not be blank");
      }
      if (seen.containsKey(p.name())) {
        throw new SpaceException(at + ".name", "duplicate parameter name '" + p.name() + "'");
      }
      if (p.condition().isPresent()) {
        for (var e : p.condition().get().parentValues().entrySet()) {
          Parameter parent = seen.get(e.getKey());
          if (parent == null) {
            throw new SpaceException(at + ".when",
                "parent '" + e.getKey() + "' must be a parameter defined before '" + p.name() + "'");
          }
          if (e.getValue().isEmpty()) {
            throw new SpaceException(at + ".when." + e.getKey(), "condition needs at least one parent value");
          }
          for (Object v : e.getValue()) {
            if (!parent.contains(v)) {
              throw new SpaceException(at + ".when." + e.getKey(),
                  "value " + v + " is not a legal value of parent '" + e.getKey() + "'");
            }
          }
        }
      }
      seen.put(p.name(), p);
    }
  }

  /** Total unit-cube dimension used by {@link #fromUnit(double[])}: one coordinate per non-fixed parameter. */
  public int samplingDimensions() {
    int d = 0;
    for (Parameter p : parameters) {
      d += p.samplingDimensions();
    }
    return d;
  }

  /**
   * Maps a point of the unit cube (length {@link #samplingDimensions()}) to an assignment of the active parameters.
   * Inactive conditional parameters consume their coordinate but get no value.
   */
  public Map<String, Object> fromUnit(double[] u) {
    if (u.length != samplingDimensions()) {
      throw new IllegalArgumentException("expected " + samplingDimensions() + " coordinates, got " + u.length);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    int k = 0;
    for (Parameter p : parameters) {
      double ui = p.samplingDimensions() == 0 ? 0.0 : u[k++];
      if (p.condition().map(c -> c.holds(out)).orElse(true)) {
        out.put(p.name(), p.fromUnit(ui));
      }
    }
    return out;
  }

  /** Uniform random assignment (uniform in each parameter's own scale). */
  public Map<String, Object> sample(RandomGenerator rng) {
    double[] u = new double[samplingDimensions()];
    for (int i = 0; i < u.length; i++) {
      u[i] = rng.nextDouble();
    }
    return fromUnit(u);
  }

  /**
   * Checks a user-given assignment: every active parameter present with a legal value, no inactive or unknown
   * names. Returns the normalized assignment in space order; fixed parameters may be omitted and are filled in.
   *
   * @throws SpaceException naming {@code params.<name>}
   */
  public Map<String, Object> validate(Map<String, ?> assignment) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String name : assignment.keySet()) {
      if (parameters.stream().noneMatch(p -> p.name().equals(name))) {
        throw new SpaceException("params." + name, "unknown parameter '" + name + "'");
      }
    }
    for (Parameter p : parameters) {
      boolean active = p.condition().map(c -> c.holds(out)).orElse(true);
      Object raw = assignment.get(p.name());
      if (!active) {
        if (raw != null) {
          throw new SpaceException("params." + p.name(),
              "parameter '" + p.name() + "' is inactive for the given parent values and must be omitted");
        }
        continue;
      }
      if (raw == null) {
        if (p instanceof FixedParameter f) {
          out.put(p.name(), f.value());
          continue;
        }
        throw new SpaceException("params." + p.name(), "missing value for parameter '" + p.name() + "'");
      }
      Object v;
      try {
        v = Values.normalize(raw);
      } catch (IllegalArgumentException e) {
        throw new SpaceException("params." + p.name(), e.getMessage());
      }
      if (p instanceof FloatParameter && v instanceof Long l) {
        v = (double) l;
      }
      if (!p.contains(v)) {
        throw new SpaceException("params." + p.name(), "value " + raw + " is outside the space of '" + p.name() + "'");
      }
      out.put(p.name(), v);
    }
    return out;
  }

  /** True when the assignment is exactly a legal assignment of this space. */
  public boolean contains(Map<String, ?> assignment) {
    try {
      validate(assignment);
      return true;
    } catch (SpaceException e) {
      return false;
    }
  }
}
