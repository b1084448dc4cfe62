package io.sextant.engine.designer;

/**
 * What a designer reads from a study, so the API loads no more than that. {@code window} bounds the number of most
 * recent trials loaded (by number), keeping the cost per suggestion independent of study size where the algorithm
 * allows it.
 */
public record SnapshotNeeds(Reads reads, int window) {
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
