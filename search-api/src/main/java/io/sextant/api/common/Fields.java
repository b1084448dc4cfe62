package io.sextant.api.common;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Typed reads from a JSON-shaped map (as bound from JSON or YAML), failing with a 400 that names the field path.
 */
public record Fields(Map<String, Object> map, String path) {
  public static final int MAX_NAME = 200;

  public static Fields of(Object node, String path) {
    if (!(node instanceof Map<?, ?> m)) {
      throw ApiException.badRequest(path.isEmpty() ? "body" : path, (path.isEmpty() ? "the body" : "'" + path + "'") + " must be an object");
    }
    if (path.isEmpty()) {
      requireStorable(node, new java.util.ArrayDeque<>());
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> cast = (Map<String, Object>) m;
    return new Fields(cast, path);
  }

  /**
   * A request body is checked once as a whole (path ""), with a 400 naming the path, for what the database cannot
   * store faithfully: a number too large for a double (JSON has no infinity; 1e400 parses to one and would be stored
   * as "Infinity") and the NUL character in a string or name (PostgreSQL text cannot hold it). The path is kept as
   * segments and turned into a string only for an error (imports are large).
   */
  private static void requireStorable(Object node, java.util.Deque<Object> path) {
    if (node instanceof Number n && !Double.isFinite(n.doubleValue())) {
      String where = render(path);
      throw ApiException.badRequest(where, "'" + where + "' is out of the range of a double (" + n + ")");
    }
    if (node instanceof String str && str.indexOf('\0') >= 0) {
      String where = render(path);
      throw ApiException.badRequest(where, "'" + where + "' must not contain the NUL character");
    }
    if (node instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (key.indexOf('\0') >= 0) {
          String where = render(path);
          throw ApiException.badRequest(where, "names in '" + where + "' must not contain the NUL character");
        }
        path.addLast(key);
        requireStorable(e.getValue(), path);
        path.removeLast();
      }
    } else if (node instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        path.addLast(i);
        requireStorable(l.get(i), path);
        path.removeLast();
      }
    }
  }

  /** Segments as a field path: names joined by '.', list indexes as [i]; "body" for the root. */
  private static String render(java.util.Deque<Object> path) {
    StringBuilder b = new StringBuilder();
    for (Object seg : path) {
      if (seg instanceof Integer i) {
        b.append('[').append(i).append(']');
      } else {
        b.append(b.isEmpty() ? "" : ".").append(seg);
      }
    }
    return b.isEmpty() ? "body" : b.toString();
  }

  public String at(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  public void allowOnly(Set<String> names) {
    for (String k : map.keySet()) {
      if (!names.contains(k)) {
        throw ApiException.badRequest(at(k), "unknown field '" + k + "'");
      }
    }
  }

  public boolean has(String name) {
    return map.get(name) != null;
  }

  public Object raw(String name) {
    return map.get(name);
  }

  public String string(String name) {
    return optString(name).orElseThrow(() -> ApiException.badRequest(at(name), "'" + at(name) + "' is required"));
  }

  public Optional<String> optString(String name) {
    Object v = map.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw ApiException.badRequest(at(name), "'" + at(name) + "' must be a string");
    }
    if (s.isBlank()) {
      throw ApiException.badRequest(at(name), "'" + at(name) + "' must not be blank");
    }
    if (s.length() > MAX_NAME) {
      throw ApiException.badRequest(at(name), "'" + at(name) + "' is longer than " + MAX_NAME + " characters");
    }
    return Optional.of(s);
  }

  public Optional<Double> optDouble(String name) {
    Object v = map.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw ApiException.badRequest(at(name), "'" + at(name) + "' must be a finite number");
    }
    return Optional.of(n.doubleValue());
  }

  public double number(String name) {
    return optDouble(name).orElseThrow(() -> ApiException.badRequest(at(name), "'" + at(name) + "' is required"));
  }

  public Optional<Long> optLong(String name) {
    Object v = map.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) < 0x1p62) {
      return Optional.of(n.longValue());
    }
    throw ApiException.badRequest(at(name), "'" + at(name) + "' must be an integer");
  }

  public long integer(String name) {
    return optLong(name).orElseThrow(() -> ApiException.badRequest(at(name), "'" + at(name) + "' is required"));
  }

  public boolean bool(String name, boolean dflt) {
    Object v = map.get(name);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Boolean b)) {
      throw ApiException.badRequest(at(name), "'" + at(name) + "' must be true or false");
    }
    return b;
  }

  public Optional<Boolean> optBoolean(String name) {
    return has(name) ? Optional.of(bool(name, false)) : Optional.empty();
  }

  public Optional<Fields> optObject(String name) {
    Object v = map.get(name);
    return v == null ? Optional.empty() : Optional.of(of(v, at(name)));
  }

  public List<Object> list(String name) {
    Object v = map.get(name);
    if (v == null) {
      throw ApiException.badRequest(at(name), "'" + at(name) + "' is required");
    }
    if (!(v instanceof List<?> l)) {
      throw ApiException.badRequest(at(name), "'" + at(name) + "' must be an array");
    }
    @SuppressWarnings("unchecked")
    List<Object> cast = (List<Object>) l;
    return cast;
  }
}
