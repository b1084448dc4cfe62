package io.sextant.evaluators.executor;

import java.util.Map;
import java.util.Objects;

/**
 * How an attempt ended, as the executor reports it: completed with its final metrics ({@code values} set,
 * {@code reason} null) or failed with a reason ({@code values} null). Several travel together in
 * {@link DispatchPort#finish}.
 *
 * <p>Every executor outcome is made here, in-process or remote, so this is where a failure reason is fitted to the
 * one limit ({@link FailureReason#fit}: blank made "evaluation failed", NUL replaced, an over-long reason cut in the
 * middle with a marker): the server refuses an over-long reason, and one refused outcome would hold up its batch.
 */
public record Outcome(LeaseRef ref, Map<String, Double> values, String reason) {
  public Outcome {
    Objects.requireNonNull(ref, "ref");
    if ((values == null) == (reason == null)) {
      throw new IllegalArgumentException("an outcome has either values or a failure reason");
    }
    values = values == null ? null : storable(values);
    reason = reason == null ? null : FailureReason.fit(reason);
  }

  /**
   * The server refuses the NUL character (PostgreSQL text cannot hold it), and one refused outcome would hold up the
   * batch it rides in; a process's stderr tail or an evaluator's metric name can contain one, so it is replaced by
   * U+FFFD here, where every outcome is made.
   */
  static String storable(String s) {
    return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
  }

  private static Map<String, Double> storable(Map<String, Double> values) {
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    values.forEach((k, v) -> out.put(storable(k), v));
    return Map.copyOf(out);
  }

  public static Outcome completed(LeaseRef ref, Map<String, Double> values) {
    return new Outcome(ref, Objects.requireNonNull(values, "values"), null);
  }

  public static Outcome failed(LeaseRef ref, String reason) {
    return new Outcome(ref, null, Objects.requireNonNull(reason, "reason"));
  }

  public boolean isCompleted() {
    return values != null;
  }
}
