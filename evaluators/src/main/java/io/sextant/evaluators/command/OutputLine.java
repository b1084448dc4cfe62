package io.sextant.evaluators.command;

import io.sextant.evaluators.json.Json;
import java.util.Map;

/**
 * One line of a command's standard output, as the command evaluator reads it. A line that is a JSON object with a
 * {@code "values"} member is a metrics line: with {@code "step"} an intermediate measurement, without it the final
 * metrics. These are the bodies of the dispatch protocol's {@code measurements} and {@code complete} requests.
 * Every other line is free text.
 */
sealed interface OutputLine {
  /** {@code {"step": n, "values": {...}}}. */
  record Intermediate(long step, Map<String, Double> values) implements OutputLine {}

  /** {@code {"values": {...}}}. */
  record Final(Map<String, Double> values) implements OutputLine {}

  /** Anything else: kept in the output tail. */
  record Text(String line) implements OutputLine {}

  /** A metrics line that breaks the protocol (e.g. a value that is not a number); fails the run. */
  record Invalid(String problem) implements OutputLine {}

  static OutputLine parse(String line) {
    String s = line.strip();
    if (!s.startsWith("{") || !s.endsWith("}")) {
      return new Text(line);
    }
    Object parsed;
    try {
      parsed = Json.parse(s);
    } catch (IllegalArgumentException e) {
      return new Text(line);
    }
    if (!(parsed instanceof Map<?, ?> m) || !m.containsKey("values")) {
      return new Text(line);
    }
    try {
      for (Object k : m.keySet()) {
        if (!k.equals("values") && !k.equals("step")) {
          throw new IllegalArgumentException("unknown member '" + k + "' (a metrics line has only step and values)");
        }
      }
      Map<String, Double> values = Json.values(m.get("values"), "values");
      if (m.containsKey("step")) {
        long step = Json.integer(m.get("step"), "step");
        if (step < 0) {
          throw new IllegalArgumentException("step must not be negative");
        }
        return new Intermediate(step, values);
      }
      return new Final(values);
    } catch (IllegalArgumentException e) {
      return new Invalid("bad metrics line " + abbreviate(s) + ": " + e.getMessage());
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 197) + "...";
  }
}
