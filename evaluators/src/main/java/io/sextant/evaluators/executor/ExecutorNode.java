package io.sextant.evaluators.executor;

import io.sextant.engine.study.Objective;
import io.sextant.evaluators.spi.Evaluator;
import io.sextant.evaluators.spi.Evaluators;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An executor: registers with a {@link DispatchPort}, leases trials and evaluates them, at most
 * {@link ExecutorInfo#slots()} at a time. The same class runs in-process inside search-api and as a stand-alone node
 * speaking REST; only the port differs.
 *
 * <p>Life cycle: {@link #start()} registers and starts a lease loop (long-polling for as many leases as there are
 * free slots), a worker pool of {@code slots} threads and a heartbeat thread (every third of the lease duration).
 * {@link #close()} (or {@link #drain(Duration)}) stops leasing, lets running trials finish within the grace time,
 * then asks the rest to stop and deregisters, which hands their leases back. Closing is idempotent.
 *
 * <p>Per attempt: the evaluator is created through its provider (cached per evaluator name, config and problem),
 * given a context whose {@code report} goes to the port, whose stop flag is set by a report answering stop, a
 * heartbeat listing the lease, the node shutting down, or the trial timeout passing, and whose scratch directory is
 * created under the work root on first use and deleted afterwards. Then:
 * <ul>
 *   <li>the evaluator returned every objective metric and no stop was requested: {@code complete(ref, metrics)};
 *   <li>it threw, returned nothing or missed an objective metric: {@code fail(ref, reason)}, the reason being the
 *       exception's message (its class's simple name when the message is empty), never a stack trace;
 *   <li>the trial timeout passed: {@code fail(ref, "... time limit ...")};
 *   <li>the server or the shutdown asked it to stop: nothing is sent. The server has ended that lease already
 *       (pruned, cancelled, lost) or gets it back through {@code deregister}.
 * </ul>
 * Outcomes go through an {@link OutcomeReporter}: batched ({@link DispatchPort#finishAndLease}, asking for as many
 * new leases as the batch frees slots), with the slot held, and the lease heartbeated, until its outcome was
 * delivered; a refused batch is re-sent one outcome at a time with {@code complete} / {@code fail}.
 *
 * <p>GPUs. A lease whose {@code gpus} is non-empty runs on exactly those devices (the server decided). Otherwise,
 * when the study's evaluator config has {@code "gpus": k} with k &gt; 0, the node takes k of its own free devices
 * ({@link ExecutorInfo#gpus()}), waiting while fewer are free (the attempt keeps its slot and lease meanwhile, and
 * stops waiting on a stop request), and holds them until the attempt ends; devices the server named are held too.
 * So two attempts never share a device the node chose, and the evaluator's
 * {@link io.sextant.evaluators.spi.EvaluationContext#gpus()} (the command evaluator's CUDA_VISIBLE_DEVICES) is
 * exact. A trial asking for more GPUs than the node has fails with a reason saying so. The {@code gpus} key is
 * read from every evaluator's config; an evaluator that runs on GPUs lists it among its options so the config
 * validates.
 *
 * <p>Idle exit ({@link ExecutorSettings#idleExit()}): once the node has run nothing (no attempt running or waiting for
 * its outcome to be delivered) and taken no lease for that long, the lease loop ends and {@link #idle()} completes;
 * the owner then drains the node (the stand-alone executor exits). Idleness is judged at each turn of the lease
 * loop, so it is noticed within one long poll.
 *
 * <p>A lease request failing with {@link UnknownExecutorException} (the server forgot this executor) makes the node
 * register again and go on with the new id. A {@link StaleLeaseException} from the port is logged and dropped; other port failures are logged, and outcome
 * reports are retried a few times. No failure of the port stops the loop.
 *
 * <p>Thread-safe. Uses platform daemon threads; callers that must keep the JVM alive wait on their own.
 */
public final class ExecutorNode implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ExecutorNode.class.getName());
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);
  private static final long SLOT_POLL_MS = 100;

  private final DispatchPort port;
  private final ExecutorInfo info;
  private final ExecutorSettings settings;
  private final EvaluatorCache cache;
  private final Semaphore freeSlots;
  private final Map<LeaseRef, AttemptContext> running = new ConcurrentHashMap<>();
  private final ExecutorService workers;
  private final ScheduledExecutorService heartbeats;
  private final GpuPool gpus;
  private final OutcomeReporter outcomes;
  private final java.util.concurrent.CompletableFuture<Void> idle = new java.util.concurrent.CompletableFuture<>();
  /** System.nanoTime() of the last sign of work: start, a lease taken, an attempt running. */
  private volatile long lastWork = System.nanoTime();

  private volatile String executorId;
  private volatile boolean closing;
  private boolean started;
  private boolean closed;
  private boolean drainedCleanly;
  private Thread loop;

  /** A node with default settings (see {@link ExecutorSettings#of(Duration, Path)}). */
  public ExecutorNode(
      DispatchPort port, ExecutorInfo info, Evaluators evaluators, Duration leaseDuration, Path workRoot) {
    this(port, info, evaluators, ExecutorSettings.of(leaseDuration, workRoot));
  }

  public ExecutorNode(DispatchPort port, ExecutorInfo info, Evaluators evaluators, ExecutorSettings settings) {
    this.port = Objects.requireNonNull(port, "port");
    // the node declares what it can run, so the server leases it only trials of those evaluators
    this.info = Objects.requireNonNull(info, "info").evaluators().isEmpty()
        ? info.withEvaluators(evaluators.all().keySet()) : info;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.cache = new EvaluatorCache(Objects.requireNonNull(evaluators, "evaluators"));
    if (info.slots() < 1) {
      throw new IllegalArgumentException("an executor needs at least 1 slot (got " + info.slots() + ")");
    }
    this.freeSlots = new Semaphore(info.slots());
    this.gpus = new GpuPool(info.gpus().stream().map(ExecutorInfo.Gpu::index).toList());
    this.workers = Executors.newFixedThreadPool(info.slots(),
        Thread.ofPlatform().name("sextant-executor-worker-", 0).daemon().factory());
    // A batch's report asks for as many new leases as it frees slots (one round trip); what comes back runs on
    // those slots, the rest are freed together (its leases stay in `running`, heartbeated, until delivered).
    this.outcomes = new OutcomeReporter(port, () -> executorId, "sextant-executor-outcomes", running::size,
        this::sendBatch, this::batchDelivered);
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("sextant-executor-heartbeat").daemon().factory());
  }

  /**
   * Creates the work root, registers with the port and starts leasing. Returns the executor id.
   *
   * @throws IllegalStateException when already started or closed
   * @throws UncheckedIOException when the work root cannot be created
   * @throws RuntimeException whatever {@link DispatchPort#register} throws (nothing is started then)
   */
  public synchronized String start() {
    if (closed || closing) {
      throw new IllegalStateException("executor node is closed");
    }
    if (started) {
      throw new IllegalStateException("executor node already started");
    }
    try {
      Files.createDirectories(settings.workRoot());
    } catch (IOException e) {
      throw new UncheckedIOException("could not create work root " + settings.workRoot() + ": " + e.getMessage(), e);
    }
    String id = port.register(info);
    if (id == null || id.isBlank()) {
      throw new IllegalStateException("register returned no executor id");
    }
    executorId = id;
    started = true;
    lastWork = System.nanoTime();
    outcomes.start();
    long every = settings.heartbeatInterval().toMillis();
    heartbeats.scheduleWithFixedDelay(this::heartbeat, every, Math.max(1, every), TimeUnit.MILLISECONDS);
    loop = Thread.ofPlatform().name("sextant-executor-lease").daemon().start(this::leaseLoop);
    LOG.log(Level.INFO, "executor {0} ({1}) started with {2} slot(s)", id, info.name(), info.slots());
    return id;
  }

  /** The id the port gave at registration; empty before {@link #start()}. */
  public Optional<String> executorId() {
    return Optional.ofNullable(executorId);
  }

  /** What this node offers. */
  public ExecutorInfo info() {
    return info;
  }

  /**
   * Completes when the node went idle for {@link ExecutorSettings#idleExit()} and stopped leasing; never without an
   * idle exit. The node keeps its registration until it is drained.
   */
  public java.util.concurrent.CompletableFuture<Void> idle() {
    return idle.copy();
  }

  /** The leases being evaluated right now. */
  public List<LeaseRef> running() {
    return List.copyOf(running.keySet());
  }

  /** {@link #drain(Duration)} with the configured grace ({@link ExecutorSettings#drainGrace()}). */
  @Override
  public void close() {
    drain(settings.drainGrace());
  }

  /**
   * Stops leasing, waits up to {@code grace} for running trials to finish (their results are reported), then asks
   * the remaining ones to stop (stop flag and thread interrupt), deregisters so the server re-queues their leases,
   * and waits a few seconds more for them to clean up. Idempotent: later calls return the first call's result.
   *
   * @return true when every running trial finished within the grace time
   */
  public synchronized boolean drain(Duration grace) {
    if (closed) {
      return drainedCleanly;
    }
    closing = true;
    boolean interrupted = false;
    try {
      if (loop != null) {
        loop.join(settings.pollWait().plusSeconds(2));
        if (loop.isAlive()) {
          loop.interrupt();
          loop.join(STOP_WAIT);
        }
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    workers.shutdown();
    boolean clean = false;
    if (!interrupted) {
      try {
        clean = workers.awaitTermination(Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (!clean) {
      for (AttemptContext a : running.values()) {
        if (a.signal(StopReason.SHUTDOWN)) {
          LOG.log(Level.INFO, "stopping {0}: executor is shutting down", a.ref());
        }
        a.interrupt();
      }
    }
    // what finished is reported before the leases are handed back (heartbeats keep them alive meanwhile)
    if (!outcomes.close(STOP_WAIT)) {
      LOG.log(Level.WARNING, "outcomes still being reported after {0}; the rest are handed back", STOP_WAIT);
    }
    heartbeats.shutdownNow();
    if (executorId != null) {
      try {
        port.deregister(executorId);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "deregister of executor {0} failed: {1}", executorId, reasonOf(e));
      }
    }
    if (!clean && !interrupted) {
      try {
        if (!workers.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.log(Level.WARNING, "{0} evaluation(s) ignored the stop request", running.size());
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    closed = true;
    drainedCleanly = clean;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    LOG.log(Level.INFO, "executor {0} ({1}) closed{2}", executorId().orElse("unregistered"), info.name(),
        clean ? "" : " (running trials were stopped)");
    return clean;
  }

  private void leaseLoop() {
    long backoffMs = 0;
    while (!closing) {
      if (idleTooLong()) {
        LOG.log(Level.INFO, "executor {0} ({1}) found no work for {2}: it stops leasing (idle exit)", executorId,
            info.name(), settings.idleExit().orElseThrow());
        idle.complete(null);
        return;
      }
      try {
        // Bounded waits, so a close is noticed even while every slot is busy.
        if (!freeSlots.tryAcquire(SLOT_POLL_MS, TimeUnit.MILLISECONDS)) {
          continue;
        }
      } catch (InterruptedException e) {
        continue;
      }
      if (closing) {
        freeSlots.release();
        break;
      }
      int want = 1 + freeSlots.drainPermits();
      long t0 = System.nanoTime();
      List<Lease> got;
      String id = executorId; // the leases are this registration's: their reports name it
      try {
        got = port.lease(id, want, settings.pollWait());
        backoffMs = 0;
      } catch (UnknownExecutorException e) {
        freeSlots.release(want);
        if (closing) {
          break;
        }
        backoffMs = reregister(backoffMs, e);
        continue;
      } catch (RuntimeException e) {
        freeSlots.release(want);
        if (closing) {
          break;
        }
        backoffMs = backoffMs == 0 ? 500 : Math.min(30_000, backoffMs * 2);
        LOG.log(Level.WARNING, "lease request failed, retrying in {0} ms: {1}", backoffMs, reasonOf(e));
        pause(backoffMs);
        continue;
      }
      if (got == null) {
        got = List.of();
      }
      if (closing) {
        // Not started: deregister hands these leases back.
        freeSlots.release(want);
        break;
      }
      int used = 0;
      for (Lease lease : got) {
        if (used < want) {
          launch(lease, id);
          used++;
        } else {
          LOG.log(Level.WARNING, "got more leases than asked for ({0}), failing {1}", want, lease.ref());
          OutcomeReporter.send("fail", lease.ref(),
              () -> port.fail(id, lease.ref(), "executor received more leases than it asked for"));
        }
      }
      freeSlots.release(want - used);
      if (got.isEmpty() && System.nanoTime() - t0 < 10_000_000L) {
        pause(100); // the port answered at once instead of long-polling: do not spin
      }
    }
  }

  /** Whether the idle exit is due: nothing running and no lease taken for {@link ExecutorSettings#idleExit()}. */
  private boolean idleTooLong() {
    if (settings.idleExit().isEmpty()) {
      return false;
    }
    long now = System.nanoTime();
    if (!running.isEmpty()) {
      lastWork = now;
      return false;
    }
    return now - lastWork >= settings.idleExit().get().toNanos();
  }

  /** Registers again after the server forgot this executor; returns the next backoff. */
  private long reregister(long backoffMs, UnknownExecutorException why) {
    LOG.log(Level.WARNING, "the server does not know executor {0} ({1}): registering again", executorId,
        why.getMessage());
    try {
      String id = port.register(info);
      if (id == null || id.isBlank()) {
        throw new IllegalStateException("register returned no executor id");
      }
      executorId = id;
      LOG.log(Level.INFO, "registered again as executor {0}", id);
      return 0;
    } catch (RuntimeException e) {
      long next = backoffMs == 0 ? 500 : Math.min(30_000, backoffMs * 2);
      LOG.log(Level.WARNING, "registering again failed, retrying in {0} ms: {1}", next, reasonOf(e));
      pause(next);
      return next;
    }
  }

  /** Runs a lease granted to the registration {@code executorId} (its reports name that id). */
  private void launch(Lease lease, String executorId) {
    AttemptContext attempt = new AttemptContext(lease, port, executorId, settings.workRoot(),
        Instant.now().plus(settings.trialTimeout()));
    running.put(lease.ref(), attempt);
    lastWork = System.nanoTime();
    try {
      workers.execute(() -> run(attempt));
    } catch (RejectedExecutionException e) {
      running.remove(lease.ref());
      freeSlots.release();
    }
  }

  private void run(AttemptContext attempt) {
    Lease lease = attempt.lease();
    LeaseRef ref = lease.ref();
    boolean reported = false;
    try {
      Map<String, Double> result = null;
      Throwable error = null;
      try {
        Evaluator evaluator = cache.get(lease);
        attempt.begin();
        List<Integer> held = List.of();
        try {
          held = takeGpus(attempt);
          if (!attempt.stopRequested()) {
            result = evaluator.evaluate(lease.params() == null ? Map.of() : lease.params(), attempt);
          }
        } finally {
          gpus.release(held);
          attempt.end();
        }
        checkResult(lease, result);
      } catch (Throwable t) {
        error = t;
      } finally {
        attempt.deleteWorkDirectory();
      }
      Optional<StopReason> stop = attempt.stopReason();
      if (stop.isPresent() && stop.get() == StopReason.DEADLINE) {
        outcomes.report(Outcome.failed(ref, "trial exceeded the executor's time limit of " + settings.trialTimeout()));
        reported = true;
      } else if (stop.isPresent()) {
        LOG.log(Level.DEBUG, "{0} stopped ({1}): its outcome is not reported", ref, stop.get());
      } else if (error == null) {
        outcomes.report(Outcome.completed(ref, result));
        reported = true;
      } else {
        String reason = reasonOf(error);
        LOG.log(Level.INFO, "{0} failed: {1}", ref, reason);
        outcomes.report(Outcome.failed(ref, reason));
        reported = true;
      }
    } finally {
      if (!reported) { // else the reporter frees the slot once the outcome is delivered
        running.remove(ref);
        freeSlots.release();
      }
    }
  }

  /** Leases that came back with the last outcome batch; touched only by the outcome sender thread. */
  private List<Lease> handedOver = List.of();
  /** The registration {@link #handedOver} was granted to. */
  private String handedOverTo;

  private List<LeaseRef> sendBatch(List<Outcome> batch) {
    String id = executorId;
    DispatchPort.Exchange answer = port.finishAndLease(id, batch, closing || id == null ? 0 : batch.size());
    handedOver = answer.leases();
    handedOverTo = id;
    return answer.stale();
  }

  private void batchDelivered(List<LeaseRef> refs) {
    List<Lease> next = handedOver;
    String id = handedOverTo;
    handedOver = List.of();
    refs.forEach(running::remove);
    int used = 0;
    for (Lease lease : next) {
      if (used < refs.size() && !closing) {
        launch(lease, id); // takes over one of the batch's slots
        used++;
      } else if (!closing) {
        LOG.log(Level.WARNING, "got more leases than asked for ({0}), failing {1}", refs.size(), lease.ref());
        OutcomeReporter.send("fail", lease.ref(),
            () -> port.fail(id, lease.ref(), "executor received more leases than it asked for"));
      } // closing: not started; deregister hands it back
    }
    freeSlots.release(refs.size() - used);
  }

  /**
   * Takes the attempt's GPUs (see the class comment) and sets them on its context; returns what must be released.
   * Returns no devices when the attempt was asked to stop while waiting.
   */
  private List<Integer> takeGpus(AttemptContext attempt) throws InterruptedException {
    Lease lease = attempt.lease();
    if (lease.gpus() != null && !lease.gpus().isEmpty()) {
      List<Integer> named = List.copyOf(lease.gpus());
      gpus.hold(named);
      return named;
    }
    int want = requestedGpus(lease.evaluatorConfig());
    if (want == 0) {
      return List.of();
    }
    if (want > gpus.size()) {
      throw new IllegalStateException("trial asks for " + want + " GPU(s) (evaluatorConfig.gpus) but executor '"
          + info.name() + "' has " + gpus.size());
    }
    Optional<List<Integer>> got = gpus.acquire(want, attempt::stopRequested);
    got.ifPresent(attempt::assignGpus);
    return got.orElse(List.of());
  }

  /**
   * The number of GPUs an evaluator config asks for: its {@code gpus} entry (a whole number, 0 to 1024), 0 when
   * absent.
   *
   * @throws IllegalArgumentException when the entry is not such a number
   */
  static int requestedGpus(Map<String, Object> evaluatorConfig) {
    Object v = evaluatorConfig == null ? null : evaluatorConfig.get("gpus");
    if (v == null) {
      return 0;
    }
    if (v instanceof Number n && !(v instanceof java.math.BigDecimal) && !(v instanceof java.math.BigInteger)) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && d >= 0 && d <= 1024) {
        return (int) d;
      }
    }
    throw new IllegalArgumentException("evaluatorConfig.gpus must be a whole number of GPUs from 0 to 1024 (got "
        + v + ")");
  }

  private static void checkResult(Lease lease, Map<String, Double> result) {
    if (result == null) {
      throw new IllegalStateException("evaluator '" + lease.evaluator() + "' returned no metrics");
    }
    for (var e : result.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalStateException("evaluator '" + lease.evaluator() + "' returned a null metric name or value");
      }
    }
    for (Objective o : lease.problem().objectives()) {
      if (!result.containsKey(o.metric())) {
        throw new IllegalStateException("evaluator '" + lease.evaluator() + "' returned no value for objective metric '"
            + o.metric() + "'");
      }
    }
  }

  private void heartbeat() {
    try {
      Instant now = Instant.now();
      List<LeaseRef> refs = new ArrayList<>();
      for (AttemptContext a : running.values()) {
        if (now.isAfter(a.deadline()) && a.signal(StopReason.DEADLINE)) {
          LOG.log(Level.INFO, "stopping {0}: time limit of {1} exceeded", a.ref(), settings.trialTimeout());
          a.interrupt();
        }
        StopReason reason = a.stopReason().orElse(null);
        if (reason == null || reason == StopReason.DEADLINE) {
          refs.add(a.ref());
        }
      }
      if (refs.isEmpty() || executorId == null) {
        return;
      }
      List<LeaseRef> stop = port.heartbeat(executorId, List.copyOf(refs));
      for (LeaseRef ref : stop == null ? List.<LeaseRef>of() : stop) {
        AttemptContext a = running.get(ref);
        if (a != null && a.signal(StopReason.SERVER)) {
          LOG.log(Level.INFO, "stopping {0}: the server asked to", ref);
        }
      }
    } catch (Throwable t) {
      LOG.log(Level.WARNING, "heartbeat failed: {0}", reasonOf(t));
    }
  }

  /** Sleeps; false when interrupted (the interrupt is kept). */
  private static boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The failure reason reported for an exception: its message, or its class's simple name when the message is
   * empty; never a stack trace. Fitted to the one limit ({@link FailureReason#fit}).
   */
  static String reasonOf(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      String simple = t.getClass().getSimpleName();
      m = simple.isEmpty() ? t.getClass().getName() : simple;
    }
    m = m.strip();
    return FailureReason.fit(m);
  }
}
