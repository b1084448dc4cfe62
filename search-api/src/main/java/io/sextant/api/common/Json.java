package io.sextant.api.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON documents stored in jsonb columns. Non-finite doubles are written as the strings "Infinity", "-Infinity" and
 * "NaN" (JSON has no such numbers) and read back by {@link #number(Object)}.
 */
@Component
public class Json {
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
  private static final TypeReference<List<Object>> LIST = new TypeReference<>() {};
  private final JsonMapper mapper = JsonMapper.builder().build();

  public String write(Object value) {
    return mapper.writeValueAsString(value);
  }

  public Map<String, Object> readMap(String json) {
    return json == null ? new LinkedHashMap<>() : mapper.readValue(json, MAP);
  }

  public List<Object> readList(String json) {
    return json == null ? List.of() : mapper.readValue(json, LIST);
  }

  public JsonNode readTree(String json) {
    return mapper.readTree(json);
  }

  public Map<String, Object> toMap(JsonNode node) {
    return mapper.convertValue(node, MAP);
  }

  public Object toJava(JsonNode node) {
    return mapper.convertValue(node, Object.class);
  }

  /** A double as a JSON-safe value (the wire format executors use too): non-finite ones become strings. */
  public static Object encode(double v) {
    return io.sextant.evaluators.json.Json.encode(v);
  }

  public static Map<String, Object> encode(Map<String, Double> metrics) {
    return io.sextant.evaluators.json.Json.encodeValues(metrics);
  }

  /**
   * Metric values from a request body (numbers, or "NaN"/"Infinity"/"-Infinity"), refusing anything else with a 400
   * naming {@code values.<metric>}.
   */
  public static Map<String, Double> metricValues(Fields values) {
    if (values.map().size() > 1000) {
      throw ApiException.badRequest(values.path(), "at most 1000 metrics");
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (var e : values.map().entrySet()) {
      if (e.getKey().isBlank() || e.getKey().length() > Fields.MAX_NAME) {
        throw ApiException.badRequest(values.path(), "metric names must be 1 to " + Fields.MAX_NAME + " characters");
      }
      Double d = e.getValue() instanceof Boolean ? null : number(e.getValue());
      if (d == null) {
        throw ApiException.badRequest(values.at(e.getKey()),
            "'" + e.getKey() + "' must be a number (or \"NaN\", \"Infinity\", \"-Infinity\")");
      }
      out.put(e.getKey(), d);
    }
    return out;
  }

  /** Reads a number written by {@link #encode(double)} or given by a client (number, or a non-finite string). */
  public static Double number(Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "nan" -> Double.NaN;
        case "infinity", "+infinity", "inf", "+inf" -> Double.POSITIVE_INFINITY;
        case "-infinity", "-inf" -> Double.NEGATIVE_INFINITY;
        default -> null;
      };
    }
    return null;
  }

  public static Map<String, Double> decodeMetrics(Map<String, Object> raw) {
    Map<String, Double> out = new LinkedHashMap<>();
    raw.forEach((k, v) -> {
      Double d = number(v);
      if (d != null) {
        out.put(k, d);
      }
    });
    return out;
  }
}
