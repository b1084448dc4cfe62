package io.sextant.evaluators.executor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link ExecutorNode} runs.
 *
 * @param leaseDuration how long a lease lasts without heartbeat (the server's setting); the node heartbeats every
 *     third of it
 * @param workRoot directory under which each attempt gets its scratch directory (created on demand, deleted after)
 * @param pollWait how long one lease request may wait for work (long poll)
 * @param drainGrace how long {@link ExecutorNode#close()} lets running trials finish before stopping them
 * @param trialTimeout how long one attempt may run before the node stops it and reports it failed; also the
 *     attempt's {@link io.sextant.evaluators.spi.EvaluationContext#deadline()}
 */
public record ExecutorSettings(
    Duration leaseDuration, Path workRoot, Duration pollWait, Duration drainGrace, Duration trialTimeout) {
  public static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_DRAIN_GRACE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_TRIAL_TIMEOUT = Duration.ofHours(24);

  public ExecutorSettings {
    Objects.requireNonNull(workRoot, "workRoot");
    requirePositive(leaseDuration, "leaseDuration");
    requirePositive(pollWait, "pollWait");
    requirePositive(trialTimeout, "trialTimeout");
    Objects.requireNonNull(drainGrace, "drainGrace");
    if (drainGrace.isNegative()) {
      throw new IllegalArgumentException("drainGrace must not be negative");
    }
  }

  /** Settings with the defaults: poll wait 2 s, drain grace 30 s, trial timeout 24 h. */
  public static ExecutorSettings of(Duration leaseDuration, Path workRoot) {
    return new ExecutorSettings(leaseDuration, workRoot, DEFAULT_POLL_WAIT, DEFAULT_DRAIN_GRACE,
        DEFAULT_TRIAL_TIMEOUT);
  }

  public ExecutorSettings withPollWait(Duration pollWait) {
    return new ExecutorSettings(leaseDuration, workRoot, pollWait, drainGrace, trialTimeout);
  }

  public ExecutorSettings withDrainGrace(Duration drainGrace) {
    return new ExecutorSettings(leaseDuration, workRoot, pollWait, drainGrace, trialTimeout);
  }

  public ExecutorSettings withTrialTimeout(Duration trialTimeout) {
    return new ExecutorSettings(leaseDuration, workRoot, pollWait, drainGrace, trialTimeout);
  }

  /** Interval between heartbeats: a third of the lease duration, at least 1 ms. */
  public Duration heartbeatInterval() {
    Duration d = leaseDuration.dividedBy(3);
    return d.isZero() ? Duration.ofMillis(1) : d;
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
