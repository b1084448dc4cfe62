package io.sextant.evaluators.executor;

import java.util.Map;
import java.util.Objects;

/**
 * How an attempt ended, as the executor reports it: completed with its final metrics ({@code values} set,
 * {@code reason} null) or failed with a reason ({@code values} null). Several travel together in
 * {@link DispatchPort#finish(java.util.List)}.
 */
public record Outcome(LeaseRef ref, Map<String, Double> values, String reason) {
  public Outcome {
    Objects.requireNonNull(ref, "ref");
    if ((values == null) == (reason == null)) {
      throw new IllegalArgumentException("an outcome has either values or a failure reason");
    }
    values = values == null ? null : Map.copyOf(values);
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
