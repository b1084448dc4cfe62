package io.sextant.engine.designer;

/**
 * What a designer reads from a study, so the API loads no more than that. {@code window} bounds the number of most
 * recent trials loaded (by number), keeping the cost per suggestion independent of study size where the algorithm
 * allows it.
 */
public record SnapshotNeeds(Reads reads, int window, boolean intermediateValues) {
  /**
   * What to read; with {@code intermediateValues} the API also fills {@link
   * io.sextant.engine.study.TrialView#intermediate()} for the window's trials: each PRUNED trial's last reported
   * value of the first objective, and every finished trial's value at those trials' last steps (at most
   * {@link #MAX_INTERMEDIATE_STEPS} distinct steps, the most common), so the cost stays bounded by the window.
   */
  public SnapshotNeeds(Reads reads, int window) {
    this(reads, window, false);
  }

  /** Bound on the distinct steps whose intermediate values a snapshot carries. */
  public static final int MAX_INTERMEDIATE_STEPS = 32;

  public enum Reads {
    /** Only the count of trials issued so far (random search, quasi-random sequences). */
    COUNT_ONLY,
    /** Finished trials plus pending (WAITING/RUNNING) ones. */
    ALL_TRIALS
  }

  public static final SnapshotNeeds COUNT_ONLY = new SnapshotNeeds(Reads.COUNT_ONLY, 0);

  public static SnapshotNeeds allTrials() {
    return new SnapshotNeeds(Reads.ALL_TRIALS, Integer.MAX_VALUE);
  }
}
