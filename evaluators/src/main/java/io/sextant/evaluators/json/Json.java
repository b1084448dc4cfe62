package io.sextant.evaluators.json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON as plain Java values: objects are {@code Map<String, Object>} (insertion ordered), arrays {@code List<Object>},
 * numbers {@code Integer}/{@code Long}/{@code BigInteger}/{@code Double}, plus {@code String}, {@code Boolean} and
 * {@code null}.
 *
 * <p>Metric values may be non-finite. On the wire they are the strings {@code "Infinity"}, {@code "-Infinity"} and
 * {@code "NaN"} ({@link #encode(double)}); when reading, those strings and the bare tokens {@code NaN},
 * {@code Infinity} and {@code -Infinity} (what Python's {@code json.dumps} writes) are both accepted
 * ({@link #number(Object, String)}). Thread-safe.
 */
public final class Json {
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  private Json() {}

  /**
   * Parses one JSON document into plain values.
   *
   * @throws IllegalArgumentException when the text is not JSON
   */
  public static Object parse(String text) {
    try {
      return MAPPER.readValue(text, Object.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Writes plain values (maps, lists, strings, numbers, booleans, null) as compact JSON. */
  public static String write(Object value) {
    return MAPPER.writeValueAsString(value);
  }

  /** A double for the wire: itself when finite, else {@code "Infinity"}, {@code "-Infinity"} or {@code "NaN"}. */
  public static Object encode(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (v == Double.POSITIVE_INFINITY) {
      return "Infinity";
    }
    if (v == Double.NEGATIVE_INFINITY) {
      return "-Infinity";
    }
    return v;
  }

  /** Metric values for the wire, order kept, non-finite values encoded by {@link #encode(double)}. */
  public static Map<String, Object> encodeValues(Map<String, Double> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, encode(v)));
    return out;
  }

  /**
   * A number from the wire: any JSON number, or one of the strings {@code "Infinity"}, {@code "+Infinity"},
   * {@code "-Infinity"}, {@code "NaN"}.
   *
   * @throws IllegalArgumentException naming {@code field} otherwise
   */
  public static double number(Object v, String field) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      switch (s) {
        case "Infinity", "+Infinity" -> {
          return Double.POSITIVE_INFINITY;
        }
        case "-Infinity" -> {
          return Double.NEGATIVE_INFINITY;
        }
        case "NaN" -> {
          return Double.NaN;
        }
        default -> { }
      }
    }
    throw new IllegalArgumentException(field + " must be a number or \"Infinity\", \"-Infinity\" or \"NaN\" (got "
        + describe(v) + ")");
  }

  /**
   * Metric values from the wire: an object of numbers ({@link #number(Object, String)}), order kept.
   *
   * @throws IllegalArgumentException naming {@code field} (e.g. {@code values.loss}) when it is not one
   */
  public static Map<String, Double> values(Object v, String field) {
    Map<String, Object> m = object(v, field);
    Map<String, Double> out = new LinkedHashMap<>();
    m.forEach((k, x) -> out.put(k, number(x, field + "." + k)));
    return out;
  }

  /**
   * A JSON object as a map.
   *
   * @throws IllegalArgumentException naming {@code field} when it is not an object
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(Object v, String field) {
    if (v instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new IllegalArgumentException(field + " must be an object (got " + describe(v) + ")");
  }

  /**
   * A JSON array as a list.
   *
   * @throws IllegalArgumentException naming {@code field} when it is not an array
   */
  @SuppressWarnings("unchecked")
  public static List<Object> array(Object v, String field) {
    if (v instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw new IllegalArgumentException(field + " must be an array (got " + describe(v) + ")");
  }

  /**
   * A JSON string.
   *
   * @throws IllegalArgumentException naming {@code field} when it is not a string
   */
  public static String string(Object v, String field) {
    if (v instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException(field + " must be a string (got " + describe(v) + ")");
  }

  /**
   * An integral JSON number (1 or 1.0) within the range of {@code long}.
   *
   * @throws IllegalArgumentException naming {@code field} otherwise
   */
  public static long integer(Object v, String field) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
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
    throw new IllegalArgumentException(field + " must be an integer (got " + describe(v) + ")");
  }

  /** A short description of a value for error messages: its JSON type, and the value itself when it is short. */
  static String describe(Object v) {
    return switch (v) {
      case null -> "null";
      case Map<?, ?> m -> "an object";
      case List<?> l -> "an array";
      case String s -> s.length() <= 40 ? "\"" + s + "\"" : "a string";
      default -> String.valueOf(v);
    };
  }
}
