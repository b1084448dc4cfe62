package io.sextant.evaluators.executor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

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
 * @param idleExit when present, the node stops leasing and completes {@link ExecutorNode#idle()} once it has run
 *     nothing and its lease requests have found no work for this long (failed requests count as finding none)
 */
public record ExecutorSettings(
    Duration leaseDuration, Path workRoot, Duration pollWait, Duration drainGrace, Duration trialTimeout,
    Optional<Duration> idleExit) {
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
    Objects.requireNonNull(idleExit, "idleExit");
    idleExit.ifPresent(d -> requirePositive(d, "idleExit"));
  }

  /** Settings without an idle exit. */
  public ExecutorSettings(
      Duration leaseDuration, Path workRoot, Duration pollWait, Duration drainGrace, Duration trialTimeout) {
    this(leaseDuration, workRoot, pollWait, drainGrace, trialTimeout, Optional.empty());
  }

  /** Settings with the defaults: poll wait 2 s, drain grace 30 s, trial timeout 24 h. */
  public static ExecutorSettings of(Duration leaseDuration, Path workRoot) {
    return new ExecutorSettings(leaseDuration, workRoot, DEFAULT_POLL_WAIT, DEFAULT_DRAIN_GRACE,
        DEFAULT_TRIAL_TIMEOUT);
  }

  public ExecutorSettings withPollWait(Duration pollWait) {
    return new ExecutorSettings(leaseDuration, workRoot, pollWait, drainGrace, trialTimeout, idleExit);
  }

  public ExecutorSettings withDrainGrace(Duration drainGrace) {
    return new ExecutorSettings(leaseDuration, workRoot, pollWait, drainGrace, trialTimeout, idleExit);
  }

  public ExecutorSettings withTrialTimeout(Duration trialTimeout) {
    return new ExecutorSettings(leaseDuration, workRoot, pollWait, drainGrace, trialTimeout, idleExit);
  }

  public ExecutorSettings withIdleExit(Duration idleExit) {
    return new ExecutorSettings(leaseDuration, workRoot, pollWait, drainGrace, trialTimeout, Optional.of(idleExit));
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
