package io.sextant.evaluators.executor;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Strict reads from one JSON object of a request (as parsed into plain maps and lists), failing with a
 * {@link WireFormatException} that names the field path, in the server's words ({@code 'max' must be an integer}).
 */
record WireNode(Map<String, Object> map, String path) {
  /** The longest name or string field (an executor's name, a GPU's name, a metric name). */
  static final int MAX_NAME = 200;

  @SuppressWarnings("unchecked")
  static WireNode of(Object value, String path) {
    if (!(value instanceof Map<?, ?> m)) {
      throw new WireFormatException(path.isEmpty() ? "body" : path,
          (path.isEmpty() ? "the body" : "'" + path + "'") + " must be an object");
    }
    return new WireNode((Map<String, Object>) m, path);
  }

  String at(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  void allowOnly(Set<String> names) {
    for (String k : map.keySet()) {
      if (!names.contains(k)) {
        throw new WireFormatException(at(k), "unknown field '" + k + "'");
      }
    }
  }

  boolean has(String name) {
    return map.get(name) != null;
  }

  Object raw(String name) {
    return map.get(name);
  }

  private WireFormatException required(String name) {
    return new WireFormatException(at(name), "'" + at(name) + "' is required");
  }

  String string(String name) {
    return optString(name).orElseThrow(() -> required(name));
  }

  Optional<String> optString(String name) {
    Object v = map.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw new WireFormatException(at(name), "'" + at(name) + "' must be a string");
    }
    if (s.isBlank()) {
      throw new WireFormatException(at(name), "'" + at(name) + "' must not be blank");
    }
    if (s.length() > MAX_NAME) {
      throw new WireFormatException(at(name), "'" + at(name) + "' is longer than " + MAX_NAME + " characters");
    }
    return Optional.of(s);
  }

  Optional<Double> optDouble(String name) {
    Object v = map.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw new WireFormatException(at(name), "'" + at(name) + "' must be a finite number");
    }
    return Optional.of(n.doubleValue());
  }

  Optional<Long> optLong(String name) {
    Object v = map.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) < 0x1p62) {
      return Optional.of(n.longValue());
    }
    throw new WireFormatException(at(name), "'" + at(name) + "' must be an integer");
  }

  long integer(String name) {
    return optLong(name).orElseThrow(() -> required(name));
  }

  /** A required integer in [low, high], else a refusal naming the field. */
  long integer(String name, long low, long high) {
    long v = integer(name);
    if (v < low || v > high) {
      throw new WireFormatException(at(name), name + " must be between " + low + " and " + high);
    }
    return v;
  }

  Optional<WireNode> optObject(String name) {
    Object v = map.get(name);
    return v == null ? Optional.empty() : Optional.of(of(v, at(name)));
  }

  @SuppressWarnings("unchecked")
  List<Object> list(String name) {
    Object v = map.get(name);
    if (v == null) {
      throw required(name);
    }
    if (!(v instanceof List<?> l)) {
      throw new WireFormatException(at(name), "'" + at(name) + "' must be an array");
    }
    return (List<Object>) l;
  }
}
