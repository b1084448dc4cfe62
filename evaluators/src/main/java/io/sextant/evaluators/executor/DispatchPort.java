package io.sextant.evaluators.executor;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The executor's side of the dispatch protocol. The in-process executor of search-api calls the dispatch service
 * directly through this interface; a remote executor node implements it over REST. Same protocol, same code path.
 *
 * <p>Every report names its lease ({@link LeaseRef}: trial id + attempt). A report for a lease that is no longer
 * current (expired and re-queued, cancelled, already finished) throws {@link StaleLeaseException} and changes nothing.
 */
public interface DispatchPort {
  /** Registers (or re-registers) an executor; returns its id. */
  String register(ExecutorInfo info);

  /**
   * Leases up to {@code max} runnable trials to the executor, waiting up to {@code wait} when none is available
   * (long poll). Returns an empty list when nothing came up in time.
   */
  List<Lease> lease(String executorId, int max, Duration wait);

  /**
   * Extends the given leases; returns the subset that must stop now (cancelled, study paused or deleted, lease lost).
   * The executor sends nothing more for a lease returned here: the server ends it itself.
   */
  List<LeaseRef> heartbeat(String executorId, List<LeaseRef> running);

  /**
   * Intermediate measurement; returns true when the trial should stop (pruned or cancelled). After answering true the
   * executor sends nothing more for that lease (no complete, no fail): the server records the outcome itself.
   */
  boolean report(LeaseRef lease, long step, Map<String, Double> metrics);

  /** Final metrics of a successful attempt. */
  void complete(LeaseRef lease, Map<String, Double> metrics);

  /** A failed attempt; the server re-queues it while attempts remain. */
  void fail(LeaseRef lease, String reason);

  /**
   * The executor is leaving; its unfinished leases are handed back (re-queued). Reports that arrive later for those
   * leases are stale.
   */
  void deregister(String executorId);
}
