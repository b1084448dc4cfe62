package io.sextant.evaluators.executor;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Delivers an executor node's outcomes (complete / fail) in batches: one sender thread takes whatever finished
 * while its previous report was on the way and sends it as one {@link DispatchPort#finish} call. A node with one
 * busy slot pays nothing for this (each batch holds one outcome); a node with many slots finishing no-op trials
 * sends one request and one transaction for many.
 *
 * <p>A batch that fails for any reason other than stale leases is re-sent one outcome at a time, each retried a
 * few times ({@link #deliver}); a stale lease is dropped with a log line (the server has ended it already).
 *
 * <p>After each batch, {@code delivered} gets all of its leases at once (the node frees their slots together, so
 * its next lease request asks for all of them and the next batch is as large).
 */
final class OutcomeReporter implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(OutcomeReporter.class.getName());
  static final int MAX_BATCH = 256;
  static final int SEND_ATTEMPTS = 3;

  private final DispatchPort port;
  private final java.util.function.Supplier<String> executorId;
  private final java.util.function.Consumer<List<LeaseRef>> delivered;
  private final LinkedBlockingQueue<Outcome> queue = new LinkedBlockingQueue<>();
  private final Thread sender;
  private volatile boolean closed;

  /**
   * How long a batch waits for more outcomes while other attempts of the node are still unreported: slots that
   * started together (one lease answer) finish together, and one request then carries all of them.
   */
  static final long LINGER_NANOS = 2_000_000;

  private final java.util.function.IntSupplier unreported;
  private final java.util.function.Function<List<Outcome>, List<LeaseRef>> sendBatch;

  /**
   * @param executorId the node's current registration, named by the outcomes sent one by one
   * @param unreported how many attempts of the node have not been delivered yet (running or queued here)
   * @param sendBatch sends one batch (e.g. {@link DispatchPort#finish}), returning the stale leases
   * @param delivered called with each batch's leases once the batch was delivered (or given up), on the sender
   *     thread, after {@code sendBatch}
   */
  OutcomeReporter(DispatchPort port, java.util.function.Supplier<String> executorId, String threadName,
      java.util.function.IntSupplier unreported,
      java.util.function.Function<List<Outcome>, List<LeaseRef>> sendBatch,
      java.util.function.Consumer<List<LeaseRef>> delivered) {
    this.unreported = unreported;
    this.sendBatch = sendBatch;
    this.port = port;
    this.executorId = executorId;
    this.delivered = delivered;
    this.sender = Thread.ofPlatform().name(threadName).daemon().unstarted(this::loop);
  }

  void start() {
    sender.start();
  }

  /** Queues the outcome; it is delivered (or refused as stale, or given up) in the background. */
  void report(Outcome outcome) {
    queue.add(outcome);
  }

  private void loop() {
    List<Outcome> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Outcome first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
      } catch (InterruptedException e) {
        continue;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      linger(batch);
      try {
        deliver(List.copyOf(batch));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "reporting {0} outcome(s) failed: {1}", batch.size(), ExecutorNode.reasonOf(e));
      } finally {
        List<LeaseRef> refs = batch.stream().map(Outcome::ref).toList();
        batch.clear();
        delivered.accept(refs);
      }
    }
  }

  /** Waits up to {@link #LINGER_NANOS} for the outcomes of the node's other unreported attempts. */
  private void linger(List<Outcome> batch) {
    long until = System.nanoTime() + LINGER_NANOS;
    while (batch.size() < MAX_BATCH && batch.size() < unreported.getAsInt()) {
      long left = until - System.nanoTime();
      Outcome more = null;
      try {
        more = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (more == null) {
        return;
      }
      batch.add(more);
      queue.drainTo(batch, MAX_BATCH - batch.size());
    }
  }

  /** One batch call; if it fails, each outcome on its own with retries. */
  private void deliver(List<Outcome> outcomes) {
    try {
      for (LeaseRef ref : sendBatch.apply(outcomes)) {
        LOG.log(Level.INFO, "outcome for {0} refused, lease no longer current", ref);
      }
      return;
    } catch (RuntimeException e) {
      if (outcomes.size() == 1) {
        LOG.log(Level.WARNING, "outcome for {0} failed, retrying: {1}", outcomes.getFirst().ref(),
            ExecutorNode.reasonOf(e));
      } else {
        LOG.log(Level.WARNING, "batch of {0} outcomes failed, sending them one by one: {1}", outcomes.size(),
            ExecutorNode.reasonOf(e));
      }
    }
    String id = executorId.get();
    for (Outcome o : outcomes) {
      String what = o.isCompleted() ? "complete" : "fail";
      send(what, o.ref(), () -> {
        if (o.isCompleted()) {
          port.complete(id, o.ref(), o.values());
        } else {
          port.fail(id, o.ref(), o.reason());
        }
      });
    }
  }

  /** Sends one report; a stale lease is dropped, other failures retried a few times, then dropped with a warning. */
  static void send(String what, LeaseRef ref, Runnable call) {
    for (int i = 1; ; i++) {
      try {
        call.run();
        return;
      } catch (StaleLeaseException e) {
        LOG.log(Level.INFO, "{0} for {1} refused, lease no longer current: {2}", what, ref, e.getMessage());
        return;
      } catch (RuntimeException e) {
        if (i >= SEND_ATTEMPTS) {
          LOG.log(Level.WARNING, "{0} for {1} failed, giving up (the lease will expire): {2}", what, ref,
              ExecutorNode.reasonOf(e));
          return;
        }
        LOG.log(Level.WARNING, "{0} for {1} failed, retrying: {2}", what, ref, ExecutorNode.reasonOf(e));
        try {
          Thread.sleep(500L * i);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * Delivers what is queued (waiting up to {@code wait}), then stops the sender. Returns false when it was still
   * busy when the wait ran out.
   */
  boolean close(java.time.Duration wait) {
    closed = true;
    try {
      sender.join(Math.max(1, wait.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !sender.isAlive();
  }

  @Override
  public void close() {
    close(java.time.Duration.ofSeconds(5));
  }
}
