package io.sextant.engine.designer;

import java.util.Map;
import java.util.Set;

/** Typed reads of an options map (JSON-shaped), failing with a {@link ConfigException} that names the option. */
public record Options(Map<String, Object> raw) {
  public Options {
    raw = raw == null ? Map.of() : Map.copyOf(raw);
  }

  /** Rejects option names outside {@code known}, so typos are reported instead of silently ignored. */
  public Options allowOnly(Set<String> known) {
    for (String k : raw.keySet()) {
      if (!known.contains(k)) {
        throw new ConfigException(k, "unknown option '" + k + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
    return this;
  }

  public long getLong(String name, long dflt) {
    Object v = raw.get(name);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Double.isFinite(n.doubleValue())) {
      return n.longValue();
    }
    throw new ConfigException(name, "option '" + name + "' must be an integer");
  }

  public int getInt(String name, int dflt, int min, int max) {
    long v = getLong(name, dflt);
    if (v < min || v > max) {
      throw new ConfigException(name, "option '" + name + "' must be between " + min + " and " + max);
    }
    return (int) v;
  }

  public double getDouble(String name, double dflt) {
    Object v = raw.get(name);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
      return n.doubleValue();
    }
    throw new ConfigException(name, "option '" + name + "' must be a finite number");
  }

  public String getString(String name, String dflt, Set<String> allowed) {
    Object v = raw.get(name);
    if (v == null) {
      return dflt;
    }
    if (v instanceof String s && (allowed.isEmpty() || allowed.contains(s))) {
      return s;
    }
    throw new ConfigException(name, "option '" + name + "' must be one of " + allowed);
  }

  public boolean getBoolean(String name, boolean dflt) {
    Object v = raw.get(name);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new ConfigException(name, "option '" + name + "' must be true or false");
  }
}
