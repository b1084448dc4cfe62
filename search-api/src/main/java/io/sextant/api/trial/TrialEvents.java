package io.sextant.api.trial;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes executors that wait in a long poll when work may have appeared (a study created or resumed, a trial
 * enqueued, re-queued or finished). A lost wake-up only costs latency: waiters also re-check on a timeout.
 *
 * <p>Called inside a transaction, the wake-up is sent after it ends: a waiter woken earlier would not see the
 * uncommitted work yet (and would find the study row still locked by the caller, so skip it), then sleep until
 * its next re-check, which made a trial enqueued to idle executors wait about a second.
 */
@Component
public class TrialEvents implements io.sextant.api.study.WorkSignal {
  private final Object monitor = new Object();
  private long generation;

  @Override
  public void workMayBeAvailable() {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCompletion(int status) {
          signal();
        }
      });
    } else {
      signal();
    }
  }

  private void signal() {
    synchronized (monitor) {
      generation++;
      monitor.notifyAll();
    }
  }

  public long generation() {
    synchronized (monitor) {
      return generation;
    }
  }

  /** Waits until the generation moves past {@code seen} or the timeout passes. */
  public void awaitChange(long seen, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    synchronized (monitor) {
      while (generation == seen) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return;
        }
        monitor.wait(left);
      }
    }
  }
}
