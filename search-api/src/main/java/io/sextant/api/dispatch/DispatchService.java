package io.sextant.api.dispatch;

import io.sextant.api.common.Json;
import io.sextant.api.study.CompiledStudy;
import io.sextant.api.study.StudyDefinitions;
import io.sextant.api.study.StudyEntity;
import io.sextant.api.study.StudyRepository;
import io.sextant.api.study.StudySpec;
import io.sextant.api.study.StudyState;
import io.sextant.api.trial.MeasurementRepository;
import io.sextant.api.trial.TrialEntity;
import io.sextant.api.trial.TrialEvents;
import io.sextant.api.trial.TrialLifecycle;
import io.sextant.api.trial.TrialRepository;
import io.sextant.evaluators.executor.DispatchPort;
import io.sextant.evaluators.executor.ExecutorInfo;
import io.sextant.evaluators.executor.Lease;
import io.sextant.evaluators.executor.LeaseRef;
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
  private final MeasurementRepository measurements;
  private final LeaseRepository leases;
  private final ExecutorRepository executors;
  private final StudyDefinitions definitions;
  private final TrialLifecycle lifecycle;
  private final TrialEvents events;
  private final Json json;
  private final TransactionTemplate tx;
  private final double leaseSeconds;
  private final io.sextant.api.common.Metrics metrics;
  /** What an executor that does not declare its evaluators is assumed to have: the server's own. */
  private final java.util.Set<String> ownEvaluators;
  private final io.sextant.evaluators.spi.Evaluators evaluatorRegistry;
  private final AtomicInteger rotation = new AtomicInteger();

  public DispatchService(StudyRepository studies, TrialRepository trials, MeasurementRepository measurements,
      LeaseRepository leases, ExecutorRepository executors, StudyDefinitions definitions, TrialLifecycle lifecycle,
      TrialEvents events, Json json, TransactionTemplate tx, io.sextant.api.common.Metrics metrics,
      io.sextant.evaluators.spi.Evaluators evaluators,
      @Value("${sextant.dispatch.lease-seconds:30}") double leaseSeconds) {
    this.ownEvaluators = java.util.Set.copyOf(evaluators.all().keySet());
    this.evaluatorRegistry = evaluators;
    this.studies = studies;
    this.trials = trials;
    this.measurements = measurements;
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

  @Override
  public String register(ExecutorInfo info) {
    return tx.execute(s -> {
      ExecutorEntity e = new ExecutorEntity();
      e.id = UUID.randomUUID().toString();
      e.name = info.name();
      e.slots = info.slots();
      e.cpuCores = info.cpuCores();
      e.gpus = json.write(info.gpus());
      e.labels = json.write(info.labels());
      e.evaluators = info.evaluators().isEmpty() ? null : json.write(info.evaluators());
      e.state = "ACTIVE";
      e.registeredAt = e.lastSeenAt = io.sextant.api.common.Times.now();
      executors.save(e);
      return e.id;
    });
  }

  @Override
  public List<Lease> lease(String executorId, int max, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long seen = events.generation();
      List<Lease> got = tryLease(executorId, max);
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
   * One pass over runnable studies (rotating the start for fairness); a study locked by another claimer is skipped,
   * and so is one whose resource needs (GPUs, labels) this executor cannot meet.
   */
  List<Lease> tryLease(String executorId, int max) {
    List<Lease> out = new ArrayList<>();
    ExecutorEntity executor = max <= 0 ? null : executors.findById(executorId).orElse(null);
    if (executor == null) {
      return out;
    }
    // only studies whose evaluator this node declared (undeclared: the server's own), filtered in the query
    java.util.Set<String> runs = executor.evaluators == null ? ownEvaluators
        : new java.util.HashSet<>(json.readList(executor.evaluators).stream().map(String::valueOf).toList());
    List<Long> ids = runs.isEmpty() ? List.of() : studies.findRunnableIds(runs);
    if (ids.isEmpty()) {
      return out;
    }
    tx.executeWithoutResult(s -> executors.touch(executorId));
    List<Integer> gpus = json.readList(executor.gpus).stream()
        .map(g -> ((Number) ((Map<?, ?>) g).get("index")).intValue()).toList();
    Map<String, Object> labels = json.readMap(executor.labels);
    int start = Math.floorMod(rotation.getAndIncrement(), ids.size());
    for (int k = 0; k < ids.size() && out.size() < max; k++) {
      long id = ids.get((start + k) % ids.size());
      List<Lease> got = tx.execute(s -> leaseFrom(id, executorId, max - out.size(), gpus, labels));
      out.addAll(got);
    }
    return out;
  }

  private List<Lease> leaseFrom(long studyId, String executorId, int max, List<Integer> gpus,
      Map<String, Object> labels) {
    Optional<StudyEntity> locked = studies.tryLock(studyId);
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
    List<Lease> out = new ArrayList<>();
    int next = 0;
    for (TrialEntity t : claim(study, c, max, now)) {
      List<Integer> assigned = List.copyOf(free.subList(next, next + needs.gpus()));
      next += needs.gpus();
      t.lease(executorId, expires, assigned.isEmpty() ? null : json.write(assigned));
      out.add(new Lease(new LeaseRef(t.getId(), t.getAttempt()), studyId, t.getNumber(), json.readMap(t.getParams()),
          c.spec().evaluator().orElseThrow(), c.spec().evaluatorConfig(), c.spec().problem(), assigned,
          expires.toInstant()));
    }
    return out;
  }

  /**
   * Claims up to {@code max} trials. When the study's evaluator knows each instance's context in advance (e.g. the
   * {@code sor} instance sequence), trials are proposed one at a time, each with the context of the instance its
   * number will get, as a client would pass it on POST /suggestions.
   */
  private List<TrialEntity> claim(StudyEntity study, CompiledStudy c, int max, OffsetDateTime now) {
    var provider = c.spec().evaluator().flatMap(evaluatorRegistry::find);
    if (provider.isEmpty() || provider.get().contextFor(c.spec().evaluatorConfig(), study.getNextNumber()).isEmpty()) {
      return lifecycle.claim(study, max, Map.of(), now);
    }
    List<TrialEntity> out = new ArrayList<>();
    while (out.size() < max) {
      Map<String, Object> context = provider.get().contextFor(c.spec().evaluatorConfig(), study.getNextNumber())
          .orElseThrow();
      List<TrialEntity> got = lifecycle.claim(study, 1, context, now);
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
      executors.touch(executorId);
      List<LeaseRef> stop = new ArrayList<>();
      for (LeaseRef r : running) {
        if (leases.extend(r.trialId(), r.attempt(), executorId, leaseSeconds) == 0) {
          stop.add(r);
        }
      }
      return stop;
    });
  }

  @Override
  public boolean report(LeaseRef lease, long step, Map<String, Double> metrics) {
    return report(null, lease, step, metrics);
  }

  /** A report from a known executor: refused as stale unless the lease is that executor's current one. */
  public boolean report(String executorId, LeaseRef lease, long step, Map<String, Double> metrics) {
    return tx.execute(s -> {
      TrialEntity t = trials.lockById(lease.trialId()).orElseThrow(() -> stale(lease));
      if (!t.isCurrentLease(lease.attempt()) || (executorId != null && !executorId.equals(t.getExecutorId()))) {
        throw stale(lease);
      }
      StudyEntity study = studies.findById(t.getStudyId()).orElseThrow(() -> stale(lease));
      return lifecycle.measure(study, t, step, metrics, leases.dbNow());
    });
  }

  @Override
  public void complete(LeaseRef lease, Map<String, Double> metrics) {
    complete(null, lease, metrics);
  }

  public void complete(String executorId, LeaseRef lease, Map<String, Double> metrics) {
    tx.executeWithoutResult(s -> {
      TrialEntity t = current(executorId, lease);
      StudyEntity study = studies.findById(t.getStudyId()).orElseThrow(() -> stale(lease));
      List<String> missing = definitions.compile(study).objectiveMetrics().stream()
          .filter(m -> !metrics.containsKey(m)).toList();
      OffsetDateTime now = leases.dbNow();
      if (!missing.isEmpty()) {
        lifecycle.failAttempt(study, t, "the evaluator did not report " + missing, now);
      } else {
        lifecycle.complete(study, t, metrics, now);
      }
    });
  }

  @Override
  public void fail(LeaseRef lease, String reason) {
    fail(null, lease, reason);
  }

  public void fail(String executorId, LeaseRef lease, String reason) {
    tx.executeWithoutResult(s -> {
      TrialEntity t = current(executorId, lease);
      StudyEntity study = studies.findById(t.getStudyId()).orElseThrow(() -> stale(lease));
      String r = reason == null || reason.isBlank() ? "evaluation failed" : reason;
      lifecycle.failAttempt(study, t, r.length() > 10_000 ? r.substring(r.length() - 10_000) : r, leases.dbNow());
    });
  }

  @Override
  public void deregister(String executorId) {
    reap(executorId, "executor " + executorId + " left before finishing");
    tx.executeWithoutResult(s -> executors.deleteById(executorId));
  }

  private TrialEntity current(String executorId, LeaseRef lease) {
    TrialEntity t = trials.lockById(lease.trialId()).orElseThrow(() -> stale(lease));
    if (!t.isCurrentLease(lease.attempt()) || (executorId != null && !executorId.equals(t.getExecutorId()))) {
      throw stale(lease);
    }
    return t;
  }

  private static StaleLeaseException stale(LeaseRef lease) {
    return new StaleLeaseException("lease on trial " + lease.trialId() + " attempt " + lease.attempt()
        + " is no longer current");
  }

  /** Re-queues (or fails, after maxAttempts) trials whose lease expired by the database clock. */
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
          lifecycle.failAttempt(study, t, reason, now);
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
