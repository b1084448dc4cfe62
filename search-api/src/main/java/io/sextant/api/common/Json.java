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

  /** A double as a JSON-safe value: finite numbers stay, non-finite ones become strings. */
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

  public static Map<String, Object> encode(Map<String, Double> metrics) {
    Map<String, Object> out = new LinkedHashMap<>();
    metrics.forEach((k, v) -> out.put(k, encode(v)));
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
