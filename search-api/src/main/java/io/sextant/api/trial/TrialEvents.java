package io.sextant.api.trial;

import org.springframework.stereotype.Component;

/**
 * Wakes executors that wait in a long poll when work may have appeared (a study created or resumed, a trial
 * enqueued, re-queued or finished). A lost wake-up only costs latency: waiters also re-check on a timeout.
 */
@Component
public class TrialEvents {
  private final Object monitor = new Object();
  private long generation;

  public void workMayBeAvailable() {
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
