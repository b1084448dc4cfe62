package io.sextant.engine.designer;

import java.util.Map;
import java.util.Set;

/**
 * Typed reads of an options map (JSON-shaped), failing with a {@link ConfigException} that names the option. An
 * explicit JSON {@code null} value is rejected (leave the option out to get its default).
 */
public record Options(Map<String, Object> raw) {
  public Options {
    if (raw == null) {
      raw = Map.of();
    }
    for (var e : raw.entrySet()) {
      if (e.getKey() == null) {
        throw new ConfigException("", "option names must not be null");
      }
      if (e.getValue() == null) {
        throw new ConfigException(e.getKey(), "option '" + e.getKey() + "' must not be null (omit it for the default)");
      }
    }
    raw = Map.copyOf(raw);
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

  /** An integral number (1, 1L or 1.0) within the range of {@code long}. */
  public long getLong(String name, long dflt) {
    Object v = raw.get(name);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof java.math.BigInteger bi && bi.bitLength() < 64) {
      return bi.longValue();
    }
    if (v instanceof Number n && !(v instanceof java.math.BigInteger)) {
      double d = n.doubleValue();
      if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 0x1p63) {
        return (long) d;
      }
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

  /**
   * An array of exactly {@code size} finite numbers, e.g. a reference point with one number per objective; empty
   * when the option is absent.
   *
   * @param each what one entry stands for, for the message (e.g. "objective")
   */
  public java.util.Optional<java.util.List<Double>> getFiniteNumbers(String name, int size, String each) {
    Object v = raw.get(name);
    if (v == null) {
      return java.util.Optional.empty();
    }
    if (!(v instanceof java.util.List<?> list) || list.size() != size) {
      throw new ConfigException(name, name + " must be an array of " + size + " numbers (one per " + each + ")");
    }
    java.util.List<Double> values = new java.util.ArrayList<>();
    for (Object x : list) {
      if (!(x instanceof Number num) || !Double.isFinite(num.doubleValue())) {
        throw new ConfigException(name, name + " must hold finite numbers only");
      }
      values.add(num.doubleValue());
    }
    return java.util.Optional.of(java.util.List.copyOf(values));
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
