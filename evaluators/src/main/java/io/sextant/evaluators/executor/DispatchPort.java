package io.sextant.evaluators.executor;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The executor's side of the dispatch protocol. The in-process executor of search-api calls the dispatch service
 * directly through this interface; a remote executor node implements it over REST ({@link RestDispatchPort}, whose
 * messages {@link ExecutorWire} writes and the server reads with the same code). Same protocol, same code path.
 *
 * <p>Every call after {@link #register} names the executor it is made for, and every report also names its lease
 * ({@link LeaseRef}: trial id + attempt). A report for a lease that is no longer current (expired and re-queued,
 * cancelled, already finished), or that is not the named executor's (another executor holds it, or the executor is
 * not registered), throws {@link StaleLeaseException} and changes nothing. There is no anonymous caller: the
 * in-process executor is held to this exactly as a remote one is. Lease requests and heartbeats of an executor the
 * server does not know throw {@link UnknownExecutorException}. {@code DispatchPortContract} in search-api's tests
 * runs one suite against both implementations.
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
  boolean report(String executorId, LeaseRef lease, long step, Map<String, Double> metrics);

  /** Final metrics of a successful attempt. */
  void complete(String executorId, LeaseRef lease, Map<String, Double> metrics);

  /**
   * A failed attempt; the server re-queues it while attempts remain. The reason is fitted to
   * {@link FailureReason#MAX_LENGTH} as every {@link Outcome}'s is.
   */
  void fail(String executorId, LeaseRef lease, String reason);

  /**
   * Several outcomes at once (the node sends what finished while its previous report was on the way). Each is
   * judged on its own: the answer lists the leases that were no longer current (those changed nothing); the others
   * are recorded exactly as {@link #complete} or {@link #fail} would record them. This default sends them one by
   * one; the server's implementations record a batch in one transaction and one request.
   */
  default List<LeaseRef> finish(String executorId, List<Outcome> outcomes) {
    List<LeaseRef> stale = new java.util.ArrayList<>();
    for (Outcome o : outcomes) {
      try {
        if (o.isCompleted()) {
          complete(executorId, o.ref(), o.values());
        } else {
          fail(executorId, o.ref(), o.reason());
        }
      } catch (StaleLeaseException e) {
        stale.add(o.ref());
      }
    }
    return stale;
  }

  /** What {@link #finishAndLease} answers: the stale leases of the batch and the new leases granted. */
  record Exchange(List<LeaseRef> stale, List<Lease> leases) {
    public Exchange {
      stale = List.copyOf(stale);
      leases = List.copyOf(leases);
    }
  }

  /**
   * {@link #finish} and, in the same round trip, up to {@code max} new leases for the slots the batch frees (no
   * waiting: none when nothing is runnable now). This default makes the two calls.
   */
  default Exchange finishAndLease(String executorId, List<Outcome> outcomes, int max) {
    List<LeaseRef> stale = finish(executorId, outcomes);
    return new Exchange(stale, max > 0 ? lease(executorId, max, Duration.ZERO) : List.of());
  }

  /**
   * The executor is leaving; its unfinished leases are handed back (re-queued). Reports that arrive later for those
   * leases are stale.
   */
  void deregister(String executorId);
}
