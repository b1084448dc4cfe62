package io.sextant.api.trial;

import io.sextant.api.common.Json;
import io.sextant.api.study.CompiledStudy;
import io.sextant.api.study.StudyDefinitions;
import io.sextant.api.study.IssuedStudy;
import io.sextant.api.study.StudyEntity;
import io.sextant.api.study.StudyRepository;
import io.sextant.api.study.StudyRow;
import io.sextant.api.study.StudyRows;
import io.sextant.api.study.StudyState;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.SnapshotNeeds;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import io.sextant.engine.stopping.StoppingRule;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.springframework.stereotype.Component;

/**
 * The state changes of trials, shared by the REST API (ask/tell) and dispatch (executors): issuing new trials
 * through the study's designer, claiming waiting ones, and finishing. Callers hold the transaction.
 */
@Component
public class TrialLifecycle {
  private static final System.Logger LOG = System.getLogger(TrialLifecycle.class.getName());
  private final StudyRepository studies;
  private final TrialRepository trials;
  private final StudyDefinitions definitions;
  private final TrialMapper mapper;
  private final TrialEvents events;
  private final Json json;
  private final MeasurementRepository measurements;
  private final io.sextant.api.common.Metrics metrics;
  private final io.sextant.api.common.MeasurementRateLimiter measurementLimit;
  private final jakarta.persistence.EntityManager entityManager;
  private final TrialRowStore rows;
  private final StudyRows studyRows;

  public TrialLifecycle(StudyRepository studies, TrialRepository trials, StudyDefinitions definitions,
      TrialMapper mapper, TrialEvents events, Json json, MeasurementRepository measurements,
      io.sextant.api.common.Metrics metrics, io.sextant.api.common.MeasurementRateLimiter measurementLimit,
      jakarta.persistence.EntityManager entityManager, TrialRowStore rows, StudyRows studyRows) {
    this.rows = rows;
    this.studyRows = studyRows;
    this.entityManager = entityManager;
    this.measurementLimit = measurementLimit;
    this.metrics = metrics;
    this.measurements = measurements;
    this.studies = studies;
    this.trials = trials;
    this.definitions = definitions;
    this.mapper = mapper;
    this.events = events;
    this.json = json;
  }

  /**
   * Hands out up to {@code count} trials of a study whose row the caller has locked: WAITING trials first (enqueued
   * or re-queued), then new ones from the designer, within maxParallel and maxTrials. The returned trials are
   * RUNNING and saved; {@code assign} sets who runs each one before it is saved (a new trial is then inserted
   * once, with its runner, instead of inserted and updated).
   */
  public List<TrialEntity> claim(StudyEntity study, int count, Map<String, Object> context, OffsetDateTime now,
      java.util.function.Consumer<TrialEntity> assign) {
    CompiledStudy c = definitions.compile(study);
    int want = wanted(c, count, () -> trials.countRunning(study.getId()));
    List<TrialEntity> out = new ArrayList<>();
    if (want <= 0) {
      return out;
    }
    for (TrialEntity t : trials.claimWaiting(study.getId(), want)) {
      start(t, now);
      assign.accept(t);
      out.add(t);
    }
    int fresh = fresh(c, want - out.size(), study.issuedCount());
    if (fresh > 0) {
      // trials.recent is a native query: Hibernate flushes this transaction's changes first
      for (TrialEntity t : issue(study, n -> trials.recent(study.getId(), n), entityMeasurements, c, fresh, context,
          now)) {
        start(t, now);
        assign.accept(t);
        out.add(trials.save(t));
      }
    }
    return out;
  }

  /**
   * {@link #claim} for the ask/tell hot path, with plain JDBC: the study row was locked by
   * {@link StudyRows#lockForAsks}, the trials are detached rows, and each change is one statement (claimed WAITING
   * trials updated at once; new trials, with their runner, inserted by {@link #flush} in one statement for the whole
   * batch of asks, together with the study's numbering and designer state). Same rules, same locks, same order as
   * {@link #claim}: every read of trial rows that could see the new trials first inserts what the batch has yet to
   * insert ({@link #flushTrials}), so it sees what it would see had each been inserted at once. New trials have their
   * ids only after that.
   */
  public List<TrialEntity> claimRows(StudyRow study, int count, Map<String, Object> context, OffsetDateTime now,
      java.util.function.Consumer<TrialEntity> assign, AskBatch batch) {
    CompiledStudy c = definitions.compile(study.id());
    int want = wanted(c, count, () -> {
      flushTrials(study, batch);
      return rows.countRunning(study.id());
    });
    List<TrialEntity> out = new ArrayList<>();
    if (want <= 0) {
      return out;
    }
    if (!batch.noneWaiting) { // new trials are RUNNING: this read needs no flush
      for (TrialEntity t : rows.claimWaiting(study.id(), want)) {
        start(t, now);
        assign.accept(t);
        rows.started(t);
        out.add(t);
      }
      batch.noneWaiting = out.size() < want;
    }
    int fresh = fresh(c, want - out.size(), study.issuedCount());
    if (fresh > 0) {
      List<TrialEntity> issued = issue(study, n -> {
        flushTrials(study, batch);
        return rows.recent(study.id(), n);
      }, rows, c, fresh, context, now);
      for (TrialEntity t : issued) {
        start(t, now);
        assign.accept(t);
        batch.toInsert.add(t);
        out.add(t);
      }
    }
    return out;
  }

  /**
   * Writes what a batch of asks has not written yet, at its end: its new trials, in one statement that also carries
   * the study row's numbering and designer state; or, with no new trials, the study row alone when the designer
   * state changed.
   */
  public void flush(StudyRow study, AskBatch batch) {
    if (!flushTrials(study, batch)) {
      studyRows.saveIssued(study);
    }
  }

  /**
   * Before a read of trial rows within a batch of asks: inserts the batch's new trials not yet written (with the
   * study row's numbering and designer state, which rides along for free) so that the read sees them, as it would
   * had each ask been served alone. Whether there were any.
   */
  boolean flushTrials(StudyRow study, AskBatch batch) {
    if (batch.toInsert.isEmpty()) {
      return false;
    }
    rows.insertAll(batch.toInsert, studyRows.issuedUpdate(study));
    batch.toInsert.clear();
    return true;
  }

  /**
   * What one batch of asks, under the study row lock it holds, carries from one ask to the next.
   * <ul>
   *   <li>Its new trials not yet inserted ({@link #flush}).
   *   <li>Whether any WAITING trials are left: none when the statement that locked the study row saw none
   *       ({@link StudyRows#lockForAsks}), or once a claim came back short; the asks then skip the claim (a round
   *       trip each). Nothing that holds the study row lock can enqueue meanwhile; a trial re-queued by a path that
   *       does not take it (an expired lease, a failed attempt) is claimed by the next batch, as if it were
   *       re-queued just after this one.
   * </ul>
   */
  public static final class AskBatch {
    private boolean noneWaiting;
    private final List<TrialEntity> toInsert = new ArrayList<>();

    /** A batch on a study row locked by a statement that saw WAITING trials ({@code anyWaiting}) or none. */
    public AskBatch(boolean anyWaiting) {
      this.noneWaiting = !anyWaiting;
    }
  }

  /** {@code count} limited by maxParallel (counting RUNNING trials only when there is such a limit). */
  private static int wanted(CompiledStudy c, int count, java.util.function.LongSupplier running) {
    if (c.spec().maxParallel().isPresent()) {
      return (int) Math.min(count, Math.max(0, c.spec().maxParallel().getAsInt() - running.getAsLong()));
    }
    return count;
  }

  /** How many new trials the designer may issue: what is still wanted, within maxTrials. */
  private static int fresh(CompiledStudy c, int wanted, long issued) {
    if (c.spec().maxTrials().isPresent()) {
      return (int) Math.min(wanted, Math.max(0, c.spec().maxTrials().getAsLong() - issued));
    }
    return wanted;
  }

  private static void start(TrialEntity t, OffsetDateTime now) {
    t.state = TrialState.RUNNING;
    t.startedAt = now;
  }

  /**
   * Where {@link #withIntermediate} reads measurements: the repository in a JPA transaction (its native queries
   * flush the session first), the row store in the hot path's plain JDBC one.
   */
  interface IntermediateValues {
    /** (trial id, step, value as text) of the last measurement of each trial that reports the metric. */
    List<Object[]> lastValues(java.util.Collection<Long> trialIds, String metric);

    /** (trial id, step, value as text) of the trials' measurements at the steps that report the metric. */
    List<Object[]> valuesAt(java.util.Collection<Long> trialIds, java.util.Collection<Long> steps, String metric);
  }

  private final IntermediateValues entityMeasurements = new IntermediateValues() {
    @Override
    public List<Object[]> lastValues(java.util.Collection<Long> trialIds, String metric) {
      return measurements.lastValues(trialIds, metric);
    }

    @Override
    public List<Object[]> valuesAt(java.util.Collection<Long> trialIds, java.util.Collection<Long> steps,
        String metric) {
      return measurements.valuesAt(trialIds, steps, metric);
    }
  };


  /** Runs the designer and allocates the next numbers (gapless: the caller holds the study row lock). */
  List<TrialEntity> issue(IssuedStudy study, IntFunction<List<TrialEntity>> recentTrials,
      IntermediateValues intermediate, CompiledStudy c, int count, Map<String, Object> context, OffsetDateTime now) {
    SnapshotNeeds needs = c.designer().needs();
    List<TrialView> history = List.of();
    if (needs.reads() != SnapshotNeeds.Reads.COUNT_ONLY) {
      int objectives = c.spec().problem().objectives().size();
      int window = (int) Math.min(needs.window(), Integer.MAX_VALUE - 1);
      List<TrialEntity> recent = new ArrayList<>(recentTrials.apply(window));
      Collections.reverse(recent);
      history = recent.stream().map(t -> mapper.toView(t, objectives)).toList();
      if (needs.intermediateValues()) {
        history = withIntermediate(intermediate, recent, history,
            c.spec().problem().objectives().getFirst().metric());
      }
    }
    Optional<Map<String, Object>> state = Optional.ofNullable(study.designerState()).map(json::readMap);
    StudySnapshot snapshot = new StudySnapshot(c.spec().problem(), study.issuedCount(), history, state, context);
    Proposal p;
    try {
      p = c.designer().suggest(snapshot, count, new SplittableRandom(mix(c.seed(), study.issuedCount())));
    } catch (RuntimeException e) {
      if (state.isEmpty()) {
        throw e;
      }
      // designers read their state through DesignerState.read, which turns a state they cannot decode (foreign,
      // other version, corrupt) into a rebuild from the trials; this retry without state is the last guard, so a
      // stored state never stops the study even if a designer's decoding has a bug
      LOG.log(System.Logger.Level.WARNING, "study {0}: designer state unusable ({1}); proposing without it",
          study.studyId(), e.toString());
      p = c.designer().suggest(new StudySnapshot(c.spec().problem(), study.issuedCount(), history, Optional.empty(),
          context), count, new SplittableRandom(mix(c.seed(), study.issuedCount())));
    }
    p.nextState().ifPresent(s -> study.designerState(json.write(s)));
    List<TrialEntity> out = new ArrayList<>();
    for (Suggestion s : p.suggestions()) {
      TrialEntity t = new TrialEntity();
      t.studyId = study.studyId();
      t.number = study.allocateNumber();
      t.state = TrialState.WAITING;
      var space = c.spec().problem().space();
      // an empty space leaves the genome to the designer (program search): its params are taken as they are
      t.params = json.write(space.parameters().isEmpty() ? s.params() : space.validate(s.params()));
      t.metadata = json.write(s.metadata());
      t.createdAt = now;
      out.add(t);
    }
    return out;
  }

  /** A new WAITING trial with user-given parameters (already validated against the space). */
  public TrialEntity enqueue(StudyEntity study, Map<String, Object> params, Map<String, Object> metadata,
      OffsetDateTime now) {
    TrialEntity t = new TrialEntity();
    t.studyId = study.getId();
    t.number = study.allocateNumber();
    t.state = TrialState.WAITING;
    t.params = json.write(params);
    t.metadata = json.write(metadata);
    t.createdAt = now;
    TrialEntity saved = trials.save(t);
    events.workMayBeAvailable();
    return saved;
  }

  /**
   * The views with the intermediate values designers asked for ({@link SnapshotNeeds#intermediateValues()}): each
   * PRUNED trial's last reported value of the first objective, and the finished trials' values at those last steps
   * (the {@link SnapshotNeeds#MAX_INTERMEDIATE_STEPS} most common ones): two indexed queries bounded by the window.
   */
  private static List<TrialView> withIntermediate(IntermediateValues measurements, List<TrialEntity> recent,
      List<TrialView> views, String metric) {
    List<Long> pruned = recent.stream().filter(t -> t.state == TrialState.PRUNED).map(t -> t.id).toList();
    if (pruned.isEmpty()) {
      return views;
    }
    Map<Long, java.util.SortedMap<Long, Double>> curves = new java.util.HashMap<>();
    Map<Long, Integer> stepCounts = new java.util.HashMap<>();
    for (Object[] r : measurements.lastValues(pruned, metric)) {
      long trial = ((Number) r[0]).longValue();
      long step = ((Number) r[1]).longValue();
      curves.computeIfAbsent(trial, k -> new java.util.TreeMap<>()).put(step, parse((String) r[2]));
      stepCounts.merge(step, 1, Integer::sum);
    }
    List<Long> steps = stepCounts.entrySet().stream()
        .sorted(Map.Entry.<Long, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(SnapshotNeeds.MAX_INTERMEDIATE_STEPS).map(Map.Entry::getKey).toList();
    List<Long> finished = recent.stream().filter(t -> t.state == TrialState.COMPLETED).map(t -> t.id).toList();
    if (!steps.isEmpty() && !finished.isEmpty()) {
      for (Object[] r : measurements.valuesAt(finished, steps, metric)) {
        curves.computeIfAbsent(((Number) r[0]).longValue(), k -> new java.util.TreeMap<>())
            .put(((Number) r[1]).longValue(), parse((String) r[2]));
      }
    }
    List<TrialView> out = new ArrayList<>(views.size());
    for (int i = 0; i < views.size(); i++) {
      java.util.SortedMap<Long, Double> curve = curves.get(recent.get(i).id);
      out.add(curve == null ? views.get(i) : views.get(i).withIntermediate(curve));
    }
    return out;
  }

  /** A measurement value as jsonb text: a number, or "Infinity", "-Infinity", "NaN" (see {@link Json}). */
  private static double parse(String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException | NullPointerException e) {
      return Double.NaN;
    }
  }

  /** How many recent trials (by number) the stopping rules compare against. */
  static final long PEER_WINDOW = 2000;

  /**
   * Records an intermediate measurement of a RUNNING trial (429 when the trial reports faster than the per-trial
   * limit, see {@link io.sextant.api.common.MeasurementRateLimiter}) and applies the study's stopping rule to it:
   * when the rule says stop, the trial becomes PRUNED in this same transaction and the answer is true.
   */
  public boolean measure(StudyEntity study, TrialEntity t, long step, Map<String, Double> values, OffsetDateTime now) {
    measurementLimit.acquire(t.id); // both report paths (ask/tell and executor leases) come through here
    measurements.upsert(t.id, step, json.write(Json.encode(values)));
    CompiledStudy c = definitions.compile(study);
    StoppingRule rule = c.spec().stoppingRule();
    Objective objective = c.spec().problem().objectives().getFirst();
    Double value = values.get(objective.metric());
    if (value == null || !rule.decidesAt(step)) {
      return false;
    }
    List<double[]> history = new ArrayList<>();
    for (MeasurementEntity m : measurements.forTrial(t.id)) {
      Double v = Json.decodeMetrics(json.readMap(m.metrics)).get(objective.metric());
      if (m.step < step && v != null) {
        history.add(new double[] {m.step, v});
      }
    }
    List<Double> peers = new ArrayList<>();
    for (String m : measurements.peersAt(study.getId(), step, t.id, study.issuedCount() - PEER_WINDOW,
        rule.peerStates() == StoppingRule.Peers.ALL)) {
      Double v = Json.decodeMetrics(json.readMap(m)).get(objective.metric());
      if (v != null) {
        peers.add(v);
      }
    }
    long finished = trials.finishedAtLeast(study.getId(), 1000);
    if (!rule.shouldStop(objective.direction(), step, value, history, peers, finished)) {
      return false;
    }
    t.state = TrialState.PRUNED;
    t.metrics = json.write(Json.encode(values));
    t.failureReason = "stopped early at step " + step + " by the " + c.spec().earlyStopping().get("rule") + " rule";
    finish(study, t, now);
    return true;
  }

  static long mix(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Finishes a trial with final metrics: COMPLETED, or FAILED when an objective is NaN (never stored silently).
   * Metrics were validated by the caller (every objective present).
   */
  public void complete(StudyEntity study, TrialEntity t, Map<String, Double> metrics, OffsetDateTime now) {
    told(definitions.compile(study), t, metrics);
    finish(study, t, now);
  }

  /**
   * {@link #complete} on the ask/tell hot path: the trial is a detached row locked by
   * {@link TrialRowStore#lockAll}; this sets what finishing changes, and the caller writes it
   * ({@link TrialRowStore#finishedAll}, one UPDATE for a batch of tells), then runs {@link #afterFinishedRows}.
   */
  void completeRow(TrialEntity t, Map<String, Double> metrics, OffsetDateTime now) {
    told(definitions.compile(t.studyId), t, metrics);
    finishRow(t, now);
  }

  /** {@link #infeasible} on the ask/tell hot path (see {@link #completeRow}). */
  void infeasibleRow(TrialEntity t, String reason, OffsetDateTime now) {
    t.state = TrialState.INFEASIBLE;
    t.failureReason = reason;
    finishRow(t, now);
  }

  /** Sets the final metrics of a tell: COMPLETED with the objective values, or FAILED when an objective is NaN. */
  private void told(CompiledStudy c, TrialEntity t, Map<String, Double> metrics) {
    List<Objective> objectives = c.spec().problem().objectives();
    double[] v = new double[objectives.size()];
    String nan = null;
    for (int i = 0; i < v.length; i++) {
      v[i] = metrics.get(objectives.get(i).metric());
      if (Double.isNaN(v[i]) && nan == null) {
        nan = objectives.get(i).metric();
      }
    }
    t.metrics = json.write(Json.encode(metrics));
    if (nan != null) {
      t.state = TrialState.FAILED;
      t.failureReason = "objective '" + nan + "' is NaN";
    } else {
      t.state = TrialState.COMPLETED;
      t.objectiveValues = v;
      t.failureReason = null;
    }
  }

  public void infeasible(StudyEntity study, TrialEntity t, String reason, OffsetDateTime now) {
    t.state = TrialState.INFEASIBLE;
    t.failureReason = reason;
    finish(study, t, now);
  }

  /** A RUNNING trial its client stopped early (the stopping rule's own stops happen in {@link #measure}). */
  public void prune(StudyEntity study, TrialEntity t, String reason, OffsetDateTime now) {
    t.state = TrialState.PRUNED;
    t.failureReason = reason;
    finish(study, t, now);
  }

  public void fail(StudyEntity study, TrialEntity t, String reason, OffsetDateTime now) {
    t.state = TrialState.FAILED;
    t.failureReason = reason;
    finish(study, t, now);
  }

  /**
   * The deadline of a RUNNING trial handed out by /suggestions: the database clock plus the study's
   * limits.heartbeatSeconds (empty when the study has no heartbeat requirement). Stored as the trial's
   * {@code leaseExpiresAt}, so the lease reaper gives the attempt up when it passes (see {@link #expire}).
   */
  public Optional<OffsetDateTime> heartbeatDeadline(StudyEntity study) {
    java.util.OptionalInt seconds = definitions.compile(study).spec().heartbeatSeconds();
    if (seconds.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(trials.dbNow().plusSeconds(seconds.getAsInt()));
  }

  /**
   * A RUNNING trial whose deadline ({@code leaseExpiresAt}) passed by the database clock, locked by the reaper: a
   * failed attempt (see {@link #failAttempt}). An executor's lease gives {@code leaseReason}; a trial handed out by
   * /suggestions (no executor) gives "no heartbeat for N s".
   */
  public void expire(StudyEntity study, TrialEntity t, String leaseReason, OffsetDateTime now) {
    String reason = leaseReason;
    if (t.executorId == null) {
      java.util.OptionalInt seconds = definitions.compile(study).spec().heartbeatSeconds();
      reason = seconds.isPresent() ? "no heartbeat for " + seconds.getAsInt() + " s"
          : "no heartbeat before " + t.leaseExpiresAt;
    }
    failAttempt(study, t, reason, now);
  }

  /**
   * A failed attempt of a leased (or heartbeat-watched) trial: back to WAITING with attempt + 1 while attempts
   * remain, else FAILED.
   */
  public void failAttempt(StudyEntity study, TrialEntity t, String reason, OffsetDateTime now) {
    int maxAttempts = definitions.compile(study).spec().maxAttempts();
    if (t.attempt < maxAttempts) {
      t.state = TrialState.WAITING;
      t.attempt++;
      t.failureReason = reason;
      t.executorId = null;
      t.workerId = null;
      t.leaseExpiresAt = null;
      t.startedAt = null;
      t.gpus = null;
      events.workMayBeAvailable();
    } else {
      t.leaseExpiresAt = null;
      // fitted again: the suffix must not take a reason at the limit past it (an export of it would not import)
      fail(study, t, io.sextant.evaluators.executor.FailureReason.fit(
          reason + " (attempt " + t.attempt + " of " + maxAttempts + ")"), now);
    }
  }

  private void finish(StudyEntity study, TrialEntity t, OffsetDateTime now) {
    metrics.finished(t.state.name());
    t.finishedAt = now;
    t.leaseExpiresAt = null;
    trials.save(t);
    events.workMayBeAvailable();
    if (t.state == TrialState.FAILED) {
      failStudyIfTooManyFailed(study.getId(), t);
    }
    completeStudyIfDone(study.getId());
  }

  /**
   * {@link #finish} for a detached trial row: sets the columns finishing sets, which the caller writes
   * ({@link TrialRowStore#finishedAll}). The study-level rules that follow are not run here: the caller runs
   * {@link #afterFinishedRows} once after every trial row of its transaction is written.
   */
  private void finishRow(TrialEntity t, OffsetDateTime now) {
    metrics.finished(t.state.name());
    t.finishedAt = now;
    t.leaseExpiresAt = null;
    events.workMayBeAvailable();
  }

  /**
   * The study-level rules after trials finished on the hot path (maxFailedTrials, the end of a study with
   * maxTrials), for the trials {@code finished} (in order) of the caller's transaction, after all their rows were
   * written: they run only when the study's definition has such a limit, with plain JDBC (the hot path's transaction
   * has no JPA session), with the same rules, counts and row lock as {@link #failStudyIfTooManyFailed} and
   * {@link #completeStudyIfDone}. The rules depend only on the counts after the last trial, so running them once for
   * many trials ends the study exactly as running them after each would.
   */
  void afterFinishedRows(StudyRow study, List<TrialEntity> finished) {
    var spec = definitions.compile(study.id()).spec();
    List<TrialEntity> failed = finished.stream().filter(t -> t.state == TrialState.FAILED).toList();
    if (!failed.isEmpty() && spec.maxFailedTrials().isPresent()) {
      int limit = spec.maxFailedTrials().getAsInt();
      long count = rows.failedAtLeast(study.id(), limit + failed.size()); // exact up to the limit plus this batch
      if (count >= limit && studyRows.lockState(study.id()).filter(s -> !isFinished(s)).isPresent()) {
        // quote the trial that reached the limit, as the rule run after each trial would have
        long before = count - failed.size();
        int reached = (int) Math.max(0, Math.min(failed.size() - 1, limit - before - 1));
        studyRows.end(study.id(), StudyState.FAILED, tooManyFailed(limit, failed.get(reached)),
            io.sextant.api.common.Times.now());
      }
    }
    if (spec.maxTrials().isPresent()) {
      long maxTrials = spec.maxTrials().getAsLong();
      // as completeStudyIfDone: the unlocked row first (cheap), then everything again under the lock
      if (studyRows.find(study.id()).filter(s -> s.state() == StudyState.ACTIVE && s.issuedCount() >= maxTrials)
          .isPresent() && studyRows.lockState(study.id()).filter(s -> s == StudyState.ACTIVE).isPresent()
          && rows.countPending(study.id()) == 0) {
        if (rows.anyCompleted(study.id())) {
          studyRows.end(study.id(), StudyState.COMPLETED, null, io.sextant.api.common.Times.now());
        } else {
          studyRows.end(study.id(), StudyState.FAILED, noneCompleted(rows.countsByState(study.id())),
              io.sextant.api.common.Times.now());
        }
      }
    }
  }

  private static boolean isFinished(StudyState s) {
    return s == StudyState.COMPLETED || s == StudyState.FAILED;
  }

  /** How much of a trial's failure reason a study's stateReason quotes. */
  static final int QUOTED_REASON = 500;

  /**
   * Marks an ACTIVE or PAUSED study FAILED once limits.maxFailedTrials of its trials ended FAILED (failed attempts
   * that were queued again do not count), quoting the last one's reason. Counting stops at the limit, so the cost
   * does not grow with the study. The study row is locked as in {@link #completeStudyIfDone}.
   */
  void failStudyIfTooManyFailed(long studyId, TrialEntity last) {
    StudyEntity s = studies.findById(studyId).orElse(null);
    if (s == null || s.maxFailedTrials() == null || s.isFinished()) {
      return;
    }
    int limit = s.maxFailedTrials();
    trials.flush();
    if (trials.failedAtLeast(studyId, limit) < limit) {
      return;
    }
    entityManager.refresh(s, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    if (!s.isFinished()) {
      s.fail(tooManyFailed(limit, last), io.sextant.api.common.Times.now());
    }
  }

  /** The stateReason of a study that reached limits.maxFailedTrials, quoting the last failed trial's reason. */
  private static String tooManyFailed(int limit, TrialEntity last) {
    String why = last.failureReason == null ? "" : last.failureReason;
    if (why.length() > QUOTED_REASON) {
      why = why.substring(0, QUOTED_REASON) + "...";
    }
    return limit + " trial" + (limit == 1 ? "" : "s") + " failed (limits.maxFailedTrials = " + limit
        + "); the last, trial " + last.number + ": " + why;
  }

  /**
   * Marks the study COMPLETED once maxTrials were issued and none is pending (FAILED, with the reason, when none of
   * its trials completed). The study row is locked by refreshing
   * the entity this transaction already holds: another request may have changed the row meanwhile (POST /trials
   * numbering a trial holds it), and a locking query would return a newer version than the one held, which
   * Hibernate refuses (StaleObjectStateException); refresh takes the newer state instead.
   */
  public void completeStudyIfDone(long studyId) {
    StudyEntity s = studies.findById(studyId).orElse(null);
    if (s == null || s.getState() != StudyState.ACTIVE || s.maxTrials() == null || s.issuedCount() < s.maxTrials()) {
      return;
    }
    trials.flush(); // the whole persistence context: nothing of this transaction is lost by the refresh
    entityManager.refresh(s, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    if (s.getState() == StudyState.ACTIVE && trials.countPending(studyId) == 0) {
      if (trials.anyCompleted(studyId)) {
        s.state(StudyState.COMPLETED, io.sextant.api.common.Times.now());
      } else {
        s.fail(noneCompleted(studies.trialCountsByState(List.of(studyId))), io.sextant.api.common.Times.now());
      }
    }
  }

  /** Why a study that issued all its trials without completing one failed: how its trials ended. */
  private static String noneCompleted(List<Object[]> countsByState) {
    StringBuilder how = new StringBuilder();
    long total = 0;
    for (Object[] row : countsByState) {
      long n = ((Number) row[2]).longValue();
      total += n;
      how.append(how.isEmpty() ? "" : ", ").append(n).append(' ').append(row[1]);
    }
    return "no trial completed: all " + total + " trial" + (total == 1 ? "" : "s") + " ended without a result ("
        + how + ")";
  }
}
