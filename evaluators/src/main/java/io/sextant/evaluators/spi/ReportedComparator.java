package io.sextant.evaluators.spi;

/**
 * A metric an evaluator reports next to the objective so that results can be compared against it, declared by
 * {@link EvaluatorProvider#comparators()} (shown at {@code GET /api/v1/evaluators}). The API uses it instead of
 * knowing evaluators by name: e.g. {@code /arms} compares a bandit study's costs with the metric of the study's
 * evaluator's {@link Kind#INSTANCE_OPTIMAL} comparator when the caller names none.
 *
 * @param metric the metric name in each trial's metrics
 * @param kind what the metric means
 * @param description for people
 */
public record ReportedComparator(String metric, Kind kind, String description) {
  public enum Kind {
    /** The best cost achievable on the trial's own instance (e.g. sor's iterations at the optimal omega). */
    INSTANCE_OPTIMAL("instance-optimal");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** The name clients see. */
    public String label() {
      return label;
    }
  }

  /** A comparator with the best cost achievable on each trial's own instance. */
  public static ReportedComparator instanceOptimal(String metric, String description) {
    return new ReportedComparator(metric, Kind.INSTANCE_OPTIMAL, description);
  }
}
