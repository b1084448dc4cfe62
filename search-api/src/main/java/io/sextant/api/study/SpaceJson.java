package io.sextant.api.study;

import io.sextant.api.common.ApiException;
import io.sextant.api.common.Fields;
import io.sextant.engine.space.CategoricalParameter;
import io.sextant.engine.space.Condition;
import io.sextant.engine.space.FixedParameter;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.IntParameter;
import io.sextant.engine.space.Parameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.space.SpaceException;
import io.sextant.engine.space.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/** Search spaces to and from their JSON/YAML form ({@code {"parameters": [...]}}), with field-precise errors. */
public final class SpaceJson {
  /** Limits that keep a hostile space from costing the server. */
  public static final int MAX_PARAMETERS = 1000;

  public static final int MAX_CHOICES = 10_000;

  private static final Set<String> COMMON = Set.of("name", "type", "when");

  private SpaceJson() {}

  public static SearchSpace parse(Object node, String path) {
    Fields f = Fields.of(node, path);
    f.allowOnly(Set.of("parameters"));
    List<Object> raw = f.list("parameters");
    if (raw.size() > MAX_PARAMETERS) {
      throw ApiException.badRequest(f.at("parameters"), "at most " + MAX_PARAMETERS + " parameters");
    }
    List<Parameter> params = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String at = f.at("parameters") + "[" + i + "]";
      try {
        params.add(parameter(Fields.of(raw.get(i), at)));
      } catch (SpaceException e) {
        throw e.within(at);
      }
    }
    try {
      return new SearchSpace(params);
    } catch (SpaceException e) {
      throw e.within(path);
    }
  }

  private static Parameter parameter(Fields p) {
    String name = p.string("name");
    String type = p.string("type");
    Optional<Condition> when = condition(p);
    try {
      return switch (type) {
        case "float" -> {
          p.allowOnly(union("low", "high", "log", "step"));
          Optional<Double> step = p.optDouble("step");
          yield new FloatParameter(name, p.number("low"), p.number("high"), p.bool("log", false),
              step.map(OptionalDouble::of).orElse(OptionalDouble.empty()), when);
        }
        case "int" -> {
          p.allowOnly(union("low", "high", "log", "step"));
          yield new IntParameter(name, p.integer("low"), p.integer("high"), p.bool("log", false),
              p.optLong("step").orElse(1L), when);
        }
        case "categorical" -> {
          p.allowOnly(union("choices"));
          List<Object> choices = p.list("choices");
          if (choices.size() > MAX_CHOICES) {
            throw new SpaceException("choices", "at most " + MAX_CHOICES + " choices");
          }
          for (int i = 0; i < choices.size(); i++) {
            scalar(choices.get(i), "choices[" + i + "]");
          }
          yield new CategoricalParameter(name, choices, when);
        }
        case "fixed" -> {
          p.allowOnly(union("value"));
          Object v = p.raw("value");
          if (v == null) {
            throw new SpaceException("value", "a fixed parameter needs a value");
          }
          yield new FixedParameter(name, scalar(v, "value"), when);
        }
        default -> throw new SpaceException("type", "type must be one of float, int, categorical, fixed");
      };
    } catch (SpaceException e) {
      throw e;
    }
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
    Set<String> s = new java.util.HashSet<>(COMMON);
    s.addAll(List.of(names));
    return s;
  }

  private static Optional<Condition> condition(Fields p) {
    Optional<Fields> w = p.optObject("when");
    if (w.isEmpty()) {
      return Optional.empty();
    }
    Map<String, List<Object>> m = new LinkedHashMap<>();
    for (var e : w.get().map().entrySet()) {
      Object v = e.getValue();
      List<Object> values = new ArrayList<>();
      if (v instanceof List<?> l) {
        for (Object x : l) {
          values.add(scalar(x, "when." + e.getKey()));
        }
      } else if (v != null) {
        values.add(scalar(v, "when." + e.getKey()));
      }
      m.put(e.getKey(), values);
    }
    if (m.isEmpty()) {
      throw new SpaceException("when", "'when' must name at least one parent");
    }
    return Optional.of(new Condition(m));
  }

  /** The canonical JSON form (what GET returns and what is stored). */
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
