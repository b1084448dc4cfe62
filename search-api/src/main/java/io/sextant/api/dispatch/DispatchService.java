package io.sextant.api.dispatch;

import io.sextant.api.common.Json;
import io.sextant.api.study.CompiledStudy;
import io.sextant.api.study.StudyDefinitions;
import io.sextant.api.study.StudyEntity;
import io.sextant.api.study.StudyRepository;
import io.sextant.api.study.StudySpec;
import io.sextant.api.study.StudyState;
import io.sextant.api.trial.TrialEntity;
import io.sextant.api.trial.TrialEvents;
import io.sextant.api.trial.TrialLifecycle;
import io.sextant.api.trial.TrialRepository;
import io.sextant.evaluators.executor.DispatchPort;
import io.sextant.evaluators.executor.ExecutorInfo;
import io.sextant.evaluators.executor.Lease;
import io.sextant.evaluators.executor.LeaseRef;
import io.sextant.evaluators.executor.Outcome;
import io.sextant.evaluators.executor.UnknownExecutorException;
import io.sextant.evaluators.executor.StaleLeaseException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The server side of the dispatch protocol ({@link DispatchPort}): executors pull leases on trials of studies that
 * have an evaluator; leases expire by the database clock unless heartbeats extend them; expired leases are reaped
 * (re-queued with attempt + 1, or FAILED after maxAttempts). The in-process executor calls this directly; remote
 * executors reach the same methods over REST.
 */
@Service
public class DispatchService implements DispatchPort {
  private static final System.Logger LOG = System.getLogger(DispatchService.class.getName());
  private final StudyRepository studies;
  private final TrialRepository trials;
  private final LeaseRepository leases;
  private final ExecutorRepository executors;
  private final StudyDefinitions definitions;
  private final TrialLifecycle lifecycle;
  private final TrialEvents events;
  private final Json json;
  private final TransactionTemplate tx;
  private final double leaseSeconds;
  private final io.sextant.api.common.Metrics metrics;
  /** What an executor that does not declare its evaluators is assumed to have: the server's own, no programs. */
  private final java.util.Set<String> ownEvaluators;
  /** Evaluators that run a study's programs: leased only while the study's owner holds the command capability. */
  private final List<String> programEvaluators;
  private final io.sextant.evaluators.spi.Evaluators evaluatorRegistry;
  private final AtomicInteger rotation = new AtomicInteger();
  /** How long a lease request waits for a study row another claimer holds, when no other study has work. */
  static final int BUSY_WAIT_MS = 250;

  public DispatchService(StudyRepository studies, TrialRepository trials,
      LeaseRepository leases, ExecutorRepository executors, StudyDefinitions definitions, TrialLifecycle lifecycle,
      TrialEvents events, Json json, TransactionTemplate tx, io.sextant.api.common.Metrics metrics,
      io.sextant.evaluators.spi.Evaluators evaluators,
      @Value("${sextant.dispatch.lease-seconds:30}") double leaseSeconds) {
    this.ownEvaluators = java.util.Set.copyOf(evaluators.withoutPrograms().all().keySet());
    this.programEvaluators = evaluators.all().entrySet().stream().filter(e -> e.getValue().runsPrograms())
        .map(Map.Entry::getKey).toList();
    this.evaluatorRegistry = evaluators;
    this.studies = studies;
    this.trials = trials;
    this.leases = leases;
    this.executors = executors;
    this.definitions = definitions;
    this.lifecycle = lifecycle;
    this.events = events;
    this.json = json;
    this.tx = tx;
    this.leaseSeconds = leaseSeconds;
    this.metrics = metrics;
  }

  public double leaseSeconds() {
    return leaseSeconds;
  }

  /**
   * Registers an executor of this server (no token: only the server itself acts for it), leasing every study of its
   * pool.
   */
  @Override
  public String register(ExecutorInfo info) {
    return register(info, null, null);
  }

  /**
   * Registers an executor that belongs to the token {@code tokenId} (null: the server's own, which no REST caller
   * but an ADMIN may act for) and leases only the studies of {@code leaseOwnerId} (null: every study), of its pool.
   */
  public String register(ExecutorInfo info, Long tokenId, Long leaseOwnerId) {
    return tx.execute(s -> {
      ExecutorEntity e = new ExecutorEntity();
      e.id = UUID.randomUUID().toString();
      e.name = info.name();
      e.slots = info.slots();
      e.cpuCores = info.cpuCores();
      e.gpus = json.write(info.gpus());
      e.labels = json.write(info.labels());
      e.evaluators = info.evaluators().isEmpty() ? null : json.write(info.evaluators());
      e.pool = info.pool().orElse(null);
      e.state = "ACTIVE";
      e.tokenId = tokenId;
      e.leaseOwnerId = leaseOwnerId;
      e.registeredAt = e.lastSeenAt = io.sextant.api.common.Times.now();
      executors.save(e);
      return e.id;
    });
  }

  @Override
  public List<Lease> lease(String executorId, int max, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    Node node = node(executorId);
    while (true) {
      long seen = events.generation();
      List<Lease> got = tryLease(node, max);
      long left = deadline - System.nanoTime();
      if (!got.isEmpty() || left <= 0) {
        return got;
      }
      try {
        events.awaitChange(seen, Math.min(Duration.ofNanos(left).toMillis() + 1, 1000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      }
    }
  }

  /**
   * What a lease request needs to know of its executor (fixed at registration; a new registration is a new id);
   * {@code pool} is "" for the default pool.
   */
  record Node(String id, java.util.Set<String> evaluators, List<Integer> gpus, Map<String, Object> labels,
      long leaseOwner, String pool) {}

  private final Map<String, Node> nodes = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Marks the executor seen (one statement) and returns what it declared at registration (read once per executor,
   * then kept: registrations never change). Throws {@link UnknownExecutorException} when it is not registered.
   */
  private Node node(String executorId) {
    if (tx.execute(s -> executors.touch(executorId)) == 0) {
      nodes.remove(executorId);
      throw unknown(executorId);
    }
    Node cached = nodes.get(executorId);
    if (cached != null) {
      return cached;
    }
    ExecutorEntity e = executors.findById(executorId).orElseThrow(() -> unknown(executorId));
    // only studies whose evaluator this node declared (undeclared: the server's own), filtered in the query
    java.util.Set<String> runs = e.evaluators == null ? ownEvaluators
        : java.util.Set.copyOf(json.readList(e.evaluators).stream().map(String::valueOf).toList());
    List<Integer> gpus = json.readList(e.gpus).stream()
        .map(g -> ((Number) ((Map<?, ?>) g).get("index")).intValue()).toList();
    Node n = new Node(executorId, runs, gpus, json.readMap(e.labels), e.leaseOwnerId == null ? -1 : e.leaseOwnerId,
        e.pool == null ? "" : e.pool);
    if (nodes.size() > 10_000) {
      nodes.clear();
    }
    nodes.put(executorId, n);
    return n;
  }

  /**
   * One pass over runnable studies of the executor's pool (rotating the start for fairness); a study locked by
   * another claimer is skipped, and so is one whose resource needs (GPUs, labels) this executor cannot meet.
   */
  List<Lease> tryLease(Node node, int max) {
    List<Lease> out = new ArrayList<>();
    List<Long> ids = max <= 0 || node.evaluators().isEmpty() ? List.of()
        : studies.findRunnableIds(node.evaluators(), node.leaseOwner(),
            programEvaluators.isEmpty() ? List.of("") : programEvaluators, node.pool());
    if (ids.isEmpty()) {
      return out;
    }
    int start = Math.floorMod(rotation.getAndIncrement(), ids.size());
    List<Long> busy = new ArrayList<>();
    for (int k = 0; k < ids.size() && out.size() < max; k++) {
      long id = ids.get((start + k) % ids.size());
      List<Lease> got = tx.execute(s -> leaseFrom(id, node.id(), max - out.size(), node.gpus(), node.labels(), false));
      if (got == null) {
        busy.add(id);
      } else {
        out.addAll(got);
      }
    }
    // Nothing elsewhere, but some study was being claimed from by another executor: wait for its lock rather than
    // for the next work signal (which may be a second away); with many executors on one study this is the norm.
    // A claimer that holds it long (a designer fitting a model) only costs the wait of BUSY_WAIT_MS.
    for (int k = 0; k < busy.size() && out.isEmpty(); k++) {
      long id = busy.get(k);
      try {
        out.addAll(tx.execute(s -> {
          leases.lockTimeout(BUSY_WAIT_MS);
          return leaseFrom(id, node.id(), max, node.gpus(), node.labels(), true);
        }));
      } catch (org.springframework.dao.DataAccessException e) {
        LOG.log(System.Logger.Level.DEBUG, "study {0} stayed locked: {1}", id, e.getMessage());
      }
    }
    return out;
  }

  /**
   * Leases from one study in the caller's transaction. Without {@code wait}, a study whose row another claimer
   * holds is skipped (null); with it, the lock is waited for (claims hold it for milliseconds).
   */
  private List<Lease> leaseFrom(long studyId, String executorId, int max, List<Integer> gpus,
      Map<String, Object> labels, boolean wait) {
    Optional<StudyEntity> locked = wait ? studies.lockById(studyId) : studies.tryLock(studyId);
    if (locked.isEmpty() && !wait) {
      return null;
    }
    if (locked.isEmpty() || locked.get().getState() != StudyState.ACTIVE) {
      return List.of();
    }
    StudyEntity study = locked.get();
    CompiledStudy c = definitions.compile(study);
    StudySpec.Resources needs = c.spec().resources();
    for (var e : needs.labels().entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return List.of();
      }
    }
    List<Integer> free = new ArrayList<>();
    if (needs.gpus() > 0) {
      java.util.Set<Integer> used = new java.util.HashSet<>();
      for (String g : leases.gpusInUse(executorId)) {
        json.readList(g).forEach(x -> used.add(((Number) x).intValue()));
      }
      gpus.stream().filter(g -> !used.contains(g)).forEach(free::add);
      max = Math.min(max, free.size() / needs.gpus());
      if (max <= 0) {
        return List.of();
      }
    }
    OffsetDateTime now = leases.dbNow();
    OffsetDateTime expires = now.plusNanos((long) (leaseSeconds * 1e9));
    Map<TrialEntity, List<Integer>> assigned = new java.util.IdentityHashMap<>();
    int gpusEach = needs.gpus();
    List<TrialEntity> claimed = claim(study, c, max, now, t -> {
      int from = assigned.size() * gpusEach;
      List<Integer> mine = List.copyOf(free.subList(from, from + gpusEach));
      assigned.put(t, mine);
      t.lease(executorId, expires, mine.isEmpty() ? null : json.write(mine));
    });
    List<Lease> out = new ArrayList<>();
    for (TrialEntity t : claimed) {
      out.add(new Lease(new LeaseRef(t.getId(), t.getAttempt()), studyId, t.getNumber(), json.readMap(t.getParams()),
          c.spec().evaluator().orElseThrow(), c.spec().evaluatorConfig(), c.spec().problem(), assigned.get(t),
          expires.toInstant()));
    }
    return out;
  }

  /**
   * Claims up to {@code max} trials. When the study's evaluator knows each instance's context in advance (e.g. the
   * {@code sor} instance sequence), trials are proposed one at a time, each with the context of the instance its
   * number will get, as a client would pass it on POST /suggestions.
   */
  private List<TrialEntity> claim(StudyEntity study, CompiledStudy c, int max, OffsetDateTime now,
      java.util.function.Consumer<TrialEntity> assign) {
    var provider = c.spec().evaluator().flatMap(evaluatorRegistry::find);
    if (provider.isEmpty() || provider.get().contextFor(c.spec().evaluatorConfig(), study.getNextNumber()).isEmpty()) {
      return lifecycle.claim(study, max, Map.of(), now, assign);
    }
    List<TrialEntity> out = new ArrayList<>();
    while (out.size() < max) {
      Map<String, Object> context = provider.get().contextFor(c.spec().evaluatorConfig(), study.getNextNumber())
          .orElseThrow();
      List<TrialEntity> got = lifecycle.claim(study, 1, context, now, assign);
      if (got.isEmpty()) {
        break;
      }
      out.addAll(got);
    }
    return out;
  }

  @Override
  public List<LeaseRef> heartbeat(String executorId, List<LeaseRef> running) {
    return tx.execute(s -> {
      if (executors.touch(executorId) == 0) {
        throw unknown(executorId);
      }
      List<LeaseRef> stop = new ArrayList<>();
      // in trial id order, as outcome batches lock them: two transactions of one executor never deadlock
      for (LeaseRef r : running.stream().sorted(java.util.Comparator.comparingLong(LeaseRef::trialId)).toList()) {
        if (leases.extend(r.trialId(), r.attempt(), executorId, leaseSeconds) == 0) {
          stop.add(r);
        }
      }
      return stop;
    });
  }

  /**
   * A measurement from the executor {@code executorId}: refused as stale unless the lease is that executor's current
   * one (or when the executor is not registered). The in-process executor is judged exactly like a remote one.
   */
  @Override
  public boolean report(String executorId, LeaseRef lease, long step, Map<String, Double> metrics) {
    java.util.Objects.requireNonNull(executorId, "executorId");
    return tx.execute(s -> {
      TrialEntity t = current(executorId, lease);
      StudyEntity study = studies.findById(t.getStudyId()).orElseThrow(() -> stale(lease));
      return lifecycle.measure(study, t, step, metrics, leases.dbNow());
    });
  }

  @Override
  public void complete(String executorId, LeaseRef lease, Map<String, Double> metrics) {
    finishOne(executorId, Outcome.completed(lease, metrics));
  }

  @Override
  public void fail(String executorId, LeaseRef lease, String reason) {
    finishOne(executorId, Outcome.failed(lease, reason == null ? "" : reason)); // fitted, blank: "evaluation failed"
  }

  private void finishOne(String executorId, Outcome outcome) {
    if (!finish(executorId, List.of(outcome)).isEmpty()) {
      throw stale(outcome.ref());
    }
  }

  /**
   * Records a batch of outcomes in one transaction: the trials are locked together (in id order), each outcome is
   * judged on its own; the leases that were not current, or not this executor's (an executor that is not registered
   * holds none), are returned and change nothing. A completion missing an objective metric is a failed attempt.
   * Reasons arrive fitted to {@link io.sextant.evaluators.executor.FailureReason#MAX_LENGTH} (every
   * {@link Outcome} is).
   */
  @Override
  public List<LeaseRef> finish(String executorId, List<Outcome> outcomes) {
    java.util.Objects.requireNonNull(executorId, "executorId");
    if (outcomes.isEmpty()) {
      return List.of();
    }
    long[] counts = new long[2]; // accepted: completed, failed
    List<LeaseRef> stale = tx.execute(s -> {
      counts[0] = counts[1] = 0;
      Map<Long, TrialEntity> locked = new java.util.HashMap<>();
      for (TrialEntity t : trials.lockAllById(outcomes.stream().map(o -> o.ref().trialId()).distinct().toList())) {
        locked.put(t.getId(), t);
      }
      OffsetDateTime now = leases.dbNow();
      List<LeaseRef> refused = new ArrayList<>();
      for (Outcome o : outcomes) {
        TrialEntity t = locked.get(o.ref().trialId());
        if (t == null || !t.isCurrentLease(o.ref().attempt()) || !executorId.equals(t.getExecutorId())) {
          refused.add(o.ref());
          continue;
        }
        StudyEntity study = studies.findById(t.getStudyId()).orElse(null);
        if (study == null) {
          refused.add(o.ref());
          continue;
        }
        if (!o.isCompleted()) {
          lifecycle.failAttempt(study, t, o.reason(), now);
          counts[1]++;
          continue;
        }
        List<String> missing = definitions.compile(study).objectiveMetrics().stream()
            .filter(m -> !o.values().containsKey(m)).toList();
        if (!missing.isEmpty()) {
          lifecycle.failAttempt(study, t, "the evaluator did not report " + missing, now);
          counts[1]++;
        } else {
          lifecycle.complete(study, t, o.values(), now);
          counts[0]++;
        }
      }
      return refused;
    });
    if (counts[0] + counts[1] > 0) {
      // its own transaction, after the trials' locks are gone: heartbeats lock the executor row before trials
      // (advisory numbers: a failure here must not make the executor resend outcomes that were recorded)
      try {
        tx.executeWithoutResult(s -> executors.countOutcomes(executorId, counts[0], counts[1]));
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "could not count the outcomes of executor {0}: {1}", executorId,
            e.getMessage());
      }
    }
    return stale;
  }

  /**
   * The outcomes, then up to {@code max} new leases without waiting (the slots the batch frees). An executor that is
   * not registered gets every lease of the batch back as stale and none new, as over REST.
   */
  @Override
  public Exchange finishAndLease(String executorId, List<Outcome> outcomes, int max) {
    List<LeaseRef> stale = finish(executorId, outcomes);
    if (max <= 0) {
      return new Exchange(stale, List.of());
    }
    try {
      return new Exchange(stale, tryLease(node(executorId), max));
    } catch (UnknownExecutorException e) {
      return new Exchange(outcomes.stream().map(Outcome::ref).toList(), List.of());
    }
  }

  static UnknownExecutorException unknown(String executorId) {
    return new UnknownExecutorException("executor " + executorId, "executor " + executorId + " is not registered");
  }

  @Override
  public void deregister(String executorId) {
    reap(executorId, "executor " + executorId + " left before finishing");
    tx.executeWithoutResult(s -> executors.deleteById(executorId));
  }

  /** The trial of the executor's current lease, locked; stale else (an executor that is not registered holds none). */
  private TrialEntity current(String executorId, LeaseRef lease) {
    TrialEntity t = trials.lockById(lease.trialId()).orElse(null);
    if (t == null || !t.isCurrentLease(lease.attempt()) || !executorId.equals(t.getExecutorId())) {
      throw stale(lease);
    }
    return t;
  }

  private static StaleLeaseException stale(LeaseRef lease) {
    return new StaleLeaseException("lease on trial " + lease.trialId() + " attempt " + lease.attempt()
        + " is no longer current");
  }

  /**
   * Re-queues (or fails, after maxAttempts) trials whose lease expired by the database clock: executor leases, and
   * ask/tell trials of studies with limits.heartbeatSeconds whose client stopped heartbeating.
   */
  @Scheduled(fixedDelayString = "${sextant.dispatch.reap-interval-ms:1000}")
  public void reapExpired() {
    try {
      metrics.reaped(reap(null, "lease expired: the executor stopped heartbeating"));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "lease reaper failed: " + e.getMessage());
    }
  }

  int reap(String executorId, String reason) {
    int total = 0;
    while (true) {
      Integer n = tx.execute(s -> {
        List<TrialEntity> expired = leases.expired(executorId, 200);
        OffsetDateTime now = leases.dbNow();
        for (TrialEntity t : expired) {
          StudyEntity study = studies.findById(t.getStudyId()).orElseThrow();
          lifecycle.expire(study, t, reason, now); // ask/tell trials: "no heartbeat for N s"
        }
        return expired.size();
      });
      total += n;
      if (n < 200) {
        return total;
      }
    }
  }
}
