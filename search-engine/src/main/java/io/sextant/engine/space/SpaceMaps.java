package io.sextant.engine.space;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Search spaces to and from their JSON-shaped form ({@code {"parameters": [{"name", "type", ...}]}} as plain maps and
 * lists), shared by the REST API and remote executors. Errors are {@link SpaceException}s whose field is relative to
 * the space object, e.g. {@code parameters[2].low}.
 */
public final class SpaceMaps {
  /** Limits that keep a hostile space from costing the server. */
  public static final int MAX_PARAMETERS = 1000;

  public static final int MAX_CHOICES = 10_000;

  public static final int MAX_NAME = 200;

  private static final Set<String> COMMON = Set.of("name", "type", "when");

  private SpaceMaps() {}

  public static SearchSpace parse(Object node) {
    Map<String, Object> f = object(node, "");
    allowOnly(f, Set.of("parameters"), "");
    Object rawList = f.get("parameters");
    if (!(rawList instanceof List<?> raw)) {
      throw new SpaceException("parameters", "'parameters' must be an array");
    }
    if (raw.size() > MAX_PARAMETERS) {
      throw new SpaceException("parameters", "at most " + MAX_PARAMETERS + " parameters");
    }
    List<Parameter> params = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String at = "parameters[" + i + "]";
      try {
        params.add(parameter(object(raw.get(i), "")));
      } catch (SpaceException e) {
        throw e.within(at);
      }
    }
    return new SearchSpace(params);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object node, String field) {
    if (!(node instanceof Map<?, ?> m)) {
      throw new SpaceException(field, "must be an object");
    }
    return (Map<String, Object>) m;
  }

  private static void allowOnly(Map<String, Object> m, Set<String> names, String prefix) {
    for (String k : m.keySet()) {
      if (!names.contains(k)) {
        throw new SpaceException(prefix + k, "unknown field '" + k + "'");
      }
    }
  }

  private static String string(Map<String, Object> m, String name) {
    Object v = m.get(name);
    if (!(v instanceof String s) || s.isBlank()) {
      throw new SpaceException(name, "'" + name + "' is required and must be a non-blank string");
    }
    if (s.length() > MAX_NAME) {
      throw new SpaceException(name, "'" + name + "' is longer than " + MAX_NAME + " characters");
    }
    return s;
  }

  private static Optional<Double> optNumber(Map<String, Object> m, String name) {
    Object v = m.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw new SpaceException(name, "'" + name + "' must be a finite number");
    }
    return Optional.of(n.doubleValue());
  }

  private static double number(Map<String, Object> m, String name) {
    return optNumber(m, name).orElseThrow(() -> new SpaceException(name, "'" + name + "' is required"));
  }

  private static Optional<Long> optInteger(Map<String, Object> m, String name) {
    Optional<Double> d = optNumber(m, name);
    if (d.isPresent() && (d.get() != Math.rint(d.get()) || Math.abs(d.get()) >= 0x1p62)) {
      throw new SpaceException(name, "'" + name + "' must be an integer");
    }
    return d.map(Double::longValue);
  }

  private static boolean bool(Map<String, Object> m, String name) {
    Object v = m.get(name);
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean b)) {
      throw new SpaceException(name, "'" + name + "' must be true or false");
    }
    return b;
  }

  private static Parameter parameter(Map<String, Object> p) {
    String name = string(p, "name");
    String type = string(p, "type");
    Optional<Condition> when = condition(p);
    return switch (type) {
      case "float" -> {
        allowOnly(p, union("low", "high", "log", "step"), "");
        yield new FloatParameter(name, number(p, "low"), number(p, "high"), bool(p, "log"),
            optNumber(p, "step").map(OptionalDouble::of).orElse(OptionalDouble.empty()), when);
      }
      case "int" -> {
        allowOnly(p, union("low", "high", "log", "step"), "");
        yield new IntParameter(name, optInteger(p, "low").orElseThrow(() -> new SpaceException("low", "'low' is required")),
            optInteger(p, "high").orElseThrow(() -> new SpaceException("high", "'high' is required")), bool(p, "log"),
            optInteger(p, "step").orElse(1L), when);
      }
      case "categorical" -> {
        allowOnly(p, union("choices"), "");
        if (!(p.get("choices") instanceof List<?> choices)) {
          throw new SpaceException("choices", "'choices' must be an array");
        }
        if (choices.size() > MAX_CHOICES) {
          throw new SpaceException("choices", "at most " + MAX_CHOICES + " choices");
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
          values.add(scalar(choices.get(i), "choices[" + i + "]"));
        }
        yield new CategoricalParameter(name, values, when);
      }
      case "fixed" -> {
        allowOnly(p, union("value"), "");
        if (p.get("value") == null) {
          throw new SpaceException("value", "a fixed parameter needs a value");
        }
        yield new FixedParameter(name, scalar(p.get("value"), "value"), when);
      }
      default -> throw new SpaceException("type", "type must be one of float, int, categorical, fixed");
    };
  }

  private static Object scalar(Object v, String field) {
    if (v instanceof Number n && !Double.isFinite(n.doubleValue())) {
      throw new SpaceException(field, "values must be finite");
    }
    if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
      throw new SpaceException(field, "values must be strings, numbers or booleans");
    }
    return Values.normalize(v);
  }

  private static Set<String> union(String... names) {
    Set<String> s = new HashSet<>(COMMON);
    s.addAll(List.of(names));
    return s;
  }

  private static Optional<Condition> condition(Map<String, Object> p) {
    Object w = p.get("when");
    if (w == null) {
      return Optional.empty();
    }
    Map<String, Object> when = object(w, "when");
    Map<String, List<Object>> m = new LinkedHashMap<>();
    for (var e : when.entrySet()) {
      List<Object> values = new ArrayList<>();
      if (e.getValue() instanceof List<?> l) {
        for (Object x : l) {
          values.add(scalar(x, "when." + e.getKey()));
        }
      } else if (e.getValue() != null) {
        values.add(scalar(e.getValue(), "when." + e.getKey()));
      }
      m.put(e.getKey(), values);
    }
    if (m.isEmpty()) {
      throw new SpaceException("when", "'when' must name at least one parent");
    }
    return Optional.of(new Condition(m));
  }

  /** The canonical JSON-shaped form (what the API returns and stores). */
  public static Map<String, Object> render(SearchSpace space) {
    List<Object> out = new ArrayList<>();
    for (Parameter p : space.parameters()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", p.name());
      switch (p) {
        case FloatParameter f -> {
          m.put("type", "float");
          m.put("low", f.low());
          m.put("high", f.high());
          if (f.log()) {
            m.put("log", true);
          }
          f.step().ifPresent(s -> m.put("step", s));
        }
        case IntParameter i -> {
          m.put("type", "int");
          m.put("low", i.low());
          m.put("high", i.high());
          if (i.log()) {
            m.put("log", true);
          }
          if (i.step() != 1) {
            m.put("step", i.step());
          }
        }
        case CategoricalParameter c -> {
          m.put("type", "categorical");
          m.put("choices", c.choices());
        }
        case FixedParameter x -> {
          m.put("type", "fixed");
          m.put("value", x.value());
        }
      }
      p.condition().ifPresent(c -> m.put("when", c.parentValues()));
      out.add(m);
    }
    return Map.of("parameters", out);
  }
}
