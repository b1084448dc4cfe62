package io.sextant.api.trial;

import io.sextant.api.common.ApiException;
import io.sextant.api.common.Combiner;
import io.sextant.api.common.Fields;
import io.sextant.api.common.Json;
import io.sextant.api.config.TransactionConfig;
import io.sextant.api.study.CompiledStudy;
import io.sextant.api.study.StudyDefinitions;
import io.sextant.api.study.StudyEntity;
import io.sextant.api.study.StudyRepository;
import io.sextant.api.study.StudyRow;
import io.sextant.api.study.StudyRows;
import io.sextant.api.study.StudyState;
import io.sextant.engine.study.OutcomeConstraint;
import io.sextant.engine.study.TrialState;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ask/tell over REST: suggestions, enqueued trials, results, measurements, and reading trials back. What is computed
 * from many trials (best, Pareto front, importance, arms) is in the analytics package; export and import in transfer.
 */
@Service
public class TrialService {
  public static final int MAX_COUNT = 1000;
  public static final int MAX_PAGE = 1000;
  /** The one limit on failure reasons (a longer one is refused with 400 naming the field). */
  public static final int MAX_REASON = io.sextant.evaluators.executor.FailureReason.MAX_LENGTH;

  private final StudyRepository studies;
  private final TrialRepository trials;
  private final StudyDefinitions definitions;
  private final TrialLifecycle lifecycle;
  private final TrialMapper mapper;
  private final Json json;
  private final io.sextant.engine.designer.Designers designers;

  private final StudyRows studyRows;
  private final TrialRowStore rows;
  private final org.springframework.transaction.support.TransactionTemplate rowsTransaction;
  private final io.sextant.api.common.Metrics metrics;

  public TrialService(StudyRepository studies, TrialRepository trials, StudyDefinitions definitions,
      TrialLifecycle lifecycle, TrialMapper mapper, Json json, io.sextant.engine.designer.Designers designers,
      StudyRows studyRows, TrialRowStore rows,
      @org.springframework.beans.factory.annotation.Qualifier(TransactionConfig.ROWS)
      org.springframework.transaction.PlatformTransactionManager rowTransactions,
      io.sextant.api.common.Metrics metrics) {
    this.metrics = metrics;
    this.rowsTransaction = new org.springframework.transaction.support.TransactionTemplate(rowTransactions);
    this.studyRows = studyRows;
    this.rows = rows;
    this.designers = designers;
    this.studies = studies;
    this.trials = trials;
    this.definitions = definitions;
    this.lifecycle = lifecycle;
    this.mapper = mapper;
    this.json = json;
  }

  /**
   * Ask. Idempotent per worker: the RUNNING trials a worker already holds come back first, then enqueued trials,
   * then new designer proposals, up to {@code count}. The hot path: study and trial rows through plain JDBC
   * ({@link StudyRows}, {@link TrialRowStore}), with the same study row lock as every other writer, in a plain JDBC
   * transaction (no JPA session: nothing here may use a repository).
   *
   * <p>Concurrent asks on one study are combined ({@link Combiner}): they would serialize on the study's row lock
   * anyway, so the asks queued while one batch runs are served together by the next, in arrival order, under one
   * lock and one commit, each exactly as if it ran alone after the one before it. Each is answered only after that
   * commit. When an ask of a batch fails after the batch has written something, the batch is rolled back and each
   * of its asks is served again on its own, so one ask's error never becomes another's.
   */
  public List<TrialDto> suggest(long studyId, Object body) {
    Fields f = Fields.of(body == null ? Map.of() : body, "");
    f.allowOnly(Set.of("count", "workerId", "context"));
    long count = f.optLong("count").orElse(1L);
    if (count < 1 || count > MAX_COUNT) {
      throw ApiException.badRequest("count", "count must be between 1 and " + MAX_COUNT);
    }
    Optional<String> worker = f.optString("workerId");
    Map<String, Object> context = f.optObject("context").map(Fields::map).orElse(Map.of());
    checkContext(context);
    return asks.submit(studyId, new Ask((int) count, worker, context), this::serveAsks);
  }

  /** An ask, checked: how many trials, for which worker, in which context. */
  record Ask(int count, Optional<String> worker, Map<String, Object> context) {}

  /** The most trials one batch of asks may ask for in all (a larger single ask is served alone). */
  static final int MAX_BATCH_TRIALS = 256;

  private final Combiner<Ask, List<TrialDto>> asks = new Combiner<>(MAX_BATCH_TRIALS, Ask::count);

  /** One batch of asks, one transaction: answered after its commit (a failed batch is re-served ask by ask). */
  private void serveAsks(long studyId, List<Combiner.Pending<Ask, List<TrialDto>>> batch) {
    metrics.batch("ask", batch.size());
    answerTheRest(batch, inBatchTransaction(() -> askAll(studyId, batch)));
  }

  /** After a batch's commit: each request not refused inside the batch gets its answer (same order). */
  private static <Q, R> void answerTheRest(List<Combiner.Pending<Q, R>> batch, List<R> answers) {
    for (int i = 0; i < batch.size(); i++) {
      if (!batch.get(i).answered()) {
        batch.get(i).answer(answers.get(i));
      }
    }
  }

  /**
   * Runs a batch's work in one plain JDBC transaction. When the work succeeded but the commit failed, whether the
   * batch took effect is unknown: every request of it fails with that error ({@link Combiner.Failed}), as a single
   * request's failed commit did, rather than being served again (an ask without a worker id could then get two
   * trials). Any other failure rolls back, and the combiner serves the batch's requests one by one.
   */
  private <T> T inBatchTransaction(java.util.function.Supplier<T> work) {
    boolean[] worked = {false};
    try {
      return rowsTransaction.execute(status -> {
        T out = work.get();
        worked[0] = true;
        return out;
      });
    } catch (RuntimeException e) {
      throw worked[0] ? new Combiner.Failed(e) : e;
    } catch (Error e) {
      if (worked[0]) {
        throw new Combiner.Failed(new IllegalStateException(e.toString(), e));
      }
      throw e;
    }
  }

  /**
   * Serves a batch of asks in the current transaction: one study row lock, then each ask in order with its own
   * caller. An ask its caller may not make, or one on a study that is not ACTIVE, is answered with its error at once
   * (it wrote nothing); any other error aborts the batch. The batch's new trials are inserted together
   * ({@link TrialLifecycle#flush}) before the answers, which show their ids, are made.
   */
  private List<List<TrialDto>> askAll(long studyId, List<Combiner.Pending<Ask, List<TrialDto>>> batch) {
    StudyRows.Locked locked = studyRows.lockForAsks(studyId)
        .orElseThrow(() -> ApiException.notFound("study " + studyId + " does not exist"));
    StudyRow study = locked.row();
    CompiledStudy c = definitions.compile(studyId);
    TrialLifecycle.AskBatch asked = new TrialLifecycle.AskBatch(locked.anyWaiting());
    List<List<TrialEntity>> trials = new ArrayList<>(batch.size());
    for (var p : batch) {
      trials.add(p.within(() -> {
        try {
          study.requireWriteAccess();
          if (study.state() != StudyState.ACTIVE) {
            throw ApiException.conflict("state", "study " + studyId + " is " + study.state() + "; no suggestions");
          }
        } catch (ApiException e) {
          p.fail(e);
          return null;
        }
        return ask(study, c, p.request(), asked);
      }));
    }
    lifecycle.flush(study, asked);
    List<List<TrialDto>> out = new ArrayList<>(batch.size());
    for (List<TrialEntity> ts : trials) {
      out.add(ts == null ? null : mapper.toDtos(ts, c.objectiveMetrics(), false));
    }
    return out;
  }

  /** One ask under the study row lock: held trials first, then enqueued ones, then new proposals (ids after flush). */
  private List<TrialEntity> ask(StudyRow study, CompiledStudy c, Ask ask, TrialLifecycle.AskBatch asked) {
    long studyId = study.id();
    List<TrialEntity> out = new ArrayList<>();
    if (ask.worker().isPresent()) {
      lifecycle.flushTrials(study, asked); // an earlier ask of the batch with this worker id may hold new trials
      List<TrialEntity> held = rows.runningForWorker(studyId, ask.worker().get());
      out.addAll(held.subList(0, Math.min(ask.count(), held.size())));
    }
    if (out.size() < ask.count()) {
      OffsetDateTime now = io.sextant.api.common.Times.now();
      String by = ask.worker().orElse(null);
      java.util.OptionalInt heartbeat = c.spec().heartbeatSeconds();
      // null: no heartbeat required; else the database clock plus limits.heartbeatSeconds (see heartbeatDeadline)
      OffsetDateTime deadline = heartbeat.isEmpty() ? null : rows.dbNow().plusSeconds(heartbeat.getAsInt());
      out.addAll(lifecycle.claimRows(study, ask.count() - out.size(), ask.context(), now, t -> {
        t.workerId = by;
        t.leaseExpiresAt = deadline;
      }, asked));
    }
    return out;
  }

  @Transactional
  public TrialDto enqueue(long studyId, Object body) {
    Fields f = Fields.of(body, "");
    f.allowOnly(Set.of("params", "metadata"));
    Map<String, Object> params = f.optObject("params").map(Fields::map)
        .orElseThrow(() -> ApiException.badRequest("params", "'params' is required"));
    Map<String, Object> metadata = f.optObject("metadata").map(Fields::map).orElse(Map.of());
    checkMetadata(metadata);
    StudyEntity study = studies.lockById(studyId)
        .orElseThrow(() -> ApiException.notFound("study " + studyId + " does not exist"));
    study.requireWriteAccess();
    CompiledStudy c = definitions.compile(study);
    Map<String, Object> valid = definitions.validParams(c, params, field -> field); // a 400 whatever the state
    if (study.isFinished()) {
      throw ApiException.conflict("state", "study " + studyId + " is " + study.getState());
    }
    return mapper.toDto(lifecycle.enqueue(study, valid, metadata, io.sextant.api.common.Times.now()), c.objectiveMetrics());
  }

  /**
   * A request's context is stored with each trial it yields and read by contextual designers: a flat object of
   * numbers (finite: see Fields), strings and booleans (no null, no nesting), at most 64 entries, names and strings at most
   * {@link Fields#MAX_NAME} characters.
   */
  private void checkContext(Map<String, Object> context) {
    if (context.size() > 64) {
      throw ApiException.badRequest("context", "context must have at most 64 entries");
    }
    for (Map.Entry<String, Object> e : context.entrySet()) {
      Object v = e.getValue();
      if (!(v instanceof Number || v instanceof String || v instanceof Boolean)) {
        throw ApiException.badRequest("context." + e.getKey(),
            "context." + e.getKey() + " must be a number, a string or a boolean, not " + (v == null ? "null" : "an "
                + (v instanceof List<?> ? "array" : "object")));
      }
      if (e.getKey().length() > Fields.MAX_NAME) {
        throw ApiException.badRequest("context", "context names must be at most " + Fields.MAX_NAME + " characters");
      }
      if (v instanceof String str && str.length() > Fields.MAX_NAME) {
        throw ApiException.badRequest("context." + e.getKey(),
            "context." + e.getKey() + " must be at most " + Fields.MAX_NAME + " characters");
      }
    }
  }

  private void checkMetadata(Map<String, Object> metadata) {
    if (json.write(metadata).length() > 64 * 1024) {
      throw ApiException.badRequest("metadata", "metadata must be at most 64 KiB of JSON");
    }
  }

  /**
   * Tell: final values, or infeasible with a reason. Telling a trial again exactly what it was told (a client
   * retrying after a lost response) answers the trial unchanged; anything else about a finished trial is a 409.
   * The hot path: study and trial rows through plain JDBC, the trial row locked as by {@link TrialRepository#lock},
   * in a plain JDBC transaction (no JPA session: nothing here may use a repository). Concurrent tells on one study
   * are combined like asks, one transaction and one commit per batch (see {@link #tellAll}).
   */
  public TrialDto complete(long studyId, long number, Object body) {
    Fields f = Fields.of(body, "");
    f.allowOnly(Set.of("values", "infeasible", "attempt"));
    Optional<Integer> attempt = attempt(f);
    return tells.submit(studyId, new Tell(number, f, attempt), this::serveTells);
  }

  /** A tell whose body passed the checks that need no study: the trial's number, the body, the attempt. */
  record Tell(long number, Fields body, Optional<Integer> attempt) {}

  /** Tells are combined per study like asks ({@link #suggest}): one transaction and one commit per batch. */
  private final Combiner<Tell, TrialDto> tells = new Combiner<>(MAX_BATCH_TRIALS, t -> 1);

  /** One batch of tells, one transaction: answered after its commit (a failed batch is re-served tell by tell). */
  private void serveTells(long studyId, List<Combiner.Pending<Tell, TrialDto>> batch) {
    metrics.batch("tell", batch.size());
    List<Combiner.Pending<Tell, TrialDto>> byNumber = new ArrayList<>(batch);
    byNumber.sort(java.util.Comparator.comparingLong(p -> p.request().number()));
    answerTheRest(byNumber, inBatchTransaction(() -> tellAll(studyId, byNumber)));
  }

  /**
   * Serves a batch of tells in the current transaction, in the order of their trial numbers: the batch's trial rows
   * are locked in one statement (in number order, so that transactions that lock several trial rows lock them in one
   * order), each tell is checked and applied to its row in memory, then every finished row is written in one
   * statement. A tell refused before it writes (404, 403, 400, 409, or a repeat answered unchanged) is answered at
   * once; any error while writing aborts the batch. The study-level rules that follow a finished trial (the end of a
   * study with maxTrials), which lock the study row, run once after every trial row of the batch is written, so that
   * the batch, like every other path, locks trial rows before the study row (taking it between two trial rows could
   * close a deadlock cycle with a path holding the second).
   */
  private List<TrialDto> tellAll(long studyId, List<Combiner.Pending<Tell, TrialDto>> byNumber) {
    StudyRow study = studyRows.find(studyId)
        .orElseThrow(() -> ApiException.notFound("study " + studyId + " does not exist"));
    Map<Long, TrialEntity> locked = rows.lockAll(studyId,
        byNumber.stream().map(p -> p.request().number()).collect(java.util.stream.Collectors.toCollection(
            java.util.TreeSet::new)));
    List<java.util.function.Function<Map<Long, List<TrialDto.MeasurementDto>>, TrialDto>> answers =
        new ArrayList<>(byNumber.size());
    List<TrialEntity> finished = new ArrayList<>();
    for (var p : byNumber) {
      answers.add(p.within(() -> tell(study, p, locked, finished)));
    }
    Map<Long, List<TrialDto.MeasurementDto>> measured = rows.finishedAll(finished);
    if (!finished.isEmpty()) {
      lifecycle.afterFinishedRows(study, finished);
    }
    List<TrialDto> out = new ArrayList<>(answers.size());
    for (var a : answers) {
      out.add(a == null ? null : a.apply(measured));
    }
    return out;
  }

  /**
   * One tell, applied to its locked row (a later tell of the same trial in the batch sees it finished): its answer
   * given the measurements of the batch's finished trials, or null when it was refused
   * ({@link Combiner.Pending#fail}) before it wrote anything.
   */
  private java.util.function.Function<Map<Long, List<TrialDto.MeasurementDto>>, TrialDto> tell(StudyRow study,
      Combiner.Pending<Tell, TrialDto> p, Map<Long, TrialEntity> locked, List<TrialEntity> finished) {
    long studyId = study.id();
    Tell tell = p.request();
    Fields f = tell.body();
    CompiledStudy c;
    Map<String, Double> metrics;
    Optional<String> infeasible;
    TrialEntity t;
    try {
      study.requireWriteAccess();
      c = definitions.compile(studyId);
      boolean hasValues = f.has("values");
      infeasible = reason(f, "infeasible");
      if (hasValues == infeasible.isPresent()) {
        throw ApiException.badRequest("values", "give exactly one of 'values' or 'infeasible'");
      }
      metrics = hasValues ? metrics(c, f.optObject("values").orElseThrow(), true) : Map.of();
      TrialEntity row = Optional.ofNullable(locked.get(tell.number()))
          .orElseThrow(() -> trialNotFound(studyId, tell.number()));
      if (isRepeat(row, tell.attempt(), hasValues ? TrialState.COMPLETED : TrialState.INFEASIBLE, metrics,
          infeasible.orElse(null))) {
        // a trial finished earlier in this batch has its row written with the batch's other finished rows; its
        // measurements are read all the same (none can be added meanwhile under its row lock)
        TrialDto same = mapper.toDto(row, c.objectiveMetrics(), rows.measurements(row.id));
        return measured -> same;
      }
      t = openTrial(row, tell.attempt());
    } catch (ApiException e) {
      p.fail(e);
      return null;
    }
    OffsetDateTime now = io.sextant.api.common.Times.now();
    if (infeasible.isPresent()) {
      lifecycle.infeasibleRow(t, infeasible.get(), now);
    } else {
      lifecycle.completeRow(t, metrics, now);
    }
    finished.add(t);
    List<String> objectiveMetrics = c.objectiveMetrics();
    return measured -> mapper.toDto(t, objectiveMetrics, measured.get(t.id));
  }

  /** A client gives up a trial with a reason (repeating the same fail answers the trial unchanged). */
  @Transactional
  public TrialDto fail(long studyId, long number, Object body) {
    Fields f = Fields.of(body, "");
    f.allowOnly(Set.of("reason", "attempt"));
    Optional<Integer> attempt = attempt(f);
    String reason = reason(f, "reason").orElseThrow(() -> ApiException.badRequest("reason", "'reason' is required"));
    StudyEntity study = studyOr404(studyId);
    study.requireWriteAccess();
    TrialEntity locked = lockTrial(studyId, number);
    if (isRepeat(locked, attempt, TrialState.FAILED, null, reason)) {
      return mapper.toDto(locked, definitions.compile(study).objectiveMetrics());
    }
    TrialEntity t = openTrial(locked, attempt);
    lifecycle.fail(study, t, reason, io.sextant.api.common.Times.now());
    return mapper.toDto(t, definitions.compile(study).objectiveMetrics());
  }

  /**
   * A client's sign of life for a RUNNING trial it got from /suggestions: moves the trial's heartbeat deadline to
   * the database clock plus limits.heartbeatSeconds (nothing to move when the study has none). 409 when the trial is
   * no longer RUNNING at that attempt (e.g. its attempt was given up for a missed heartbeat).
   */
  @Transactional
  public Map<String, Object> heartbeat(long studyId, long number, Object body) {
    Fields f = Fields.of(body == null ? Map.of() : body, "");
    f.allowOnly(Set.of("attempt"));
    Optional<Integer> attempt = attempt(f);
    StudyEntity study = studyOr404(studyId);
    study.requireWriteAccess();
    TrialEntity t = running(lockTrial(studyId, number), attempt);
    lifecycle.heartbeatDeadline(study).ifPresent(d -> t.leaseExpiresAt = d);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("number", t.number);
    out.put("attempt", t.attempt);
    out.put("state", t.state.name());
    if (t.leaseExpiresAt != null) {
      out.put("leaseExpiresAt", t.leaseExpiresAt);
    }
    return out;
  }

  /**
   * The client's own decision to stop a RUNNING trial early (Optuna's TrialPruned, a client-side pruner): the trial
   * becomes PRUNED, as when the study's stopping rule stops it, with the reason (default "pruned by the client").
   */
  @Transactional
  public TrialDto prune(long studyId, long number, Object body) {
    Fields f = Fields.of(body == null ? Map.of() : body, "");
    f.allowOnly(Set.of("reason", "attempt"));
    String reason = reason(f, "reason").orElse("pruned by the client");
    Optional<Integer> attempt = attempt(f);
    StudyEntity study = studyOr404(studyId);
    study.requireWriteAccess();
    TrialEntity t = openTrial(lockTrial(studyId, number), attempt);
    if (t.state != TrialState.RUNNING) {
      throw ApiException.conflict("state", "trial " + number + " is " + t.state + ", not RUNNING");
    }
    lifecycle.prune(study, t, reason, io.sextant.api.common.Times.now());
    return mapper.toDto(t, definitions.compile(study).objectiveMetrics());
  }

  /** Intermediate measurement; answers whether the trial should stop. */
  @Transactional
  public boolean measure(long studyId, long number, Object body) {
    Fields f = Fields.of(body, "");
    f.allowOnly(Set.of("step", "values", "attempt"));
    Optional<Integer> attempt = attempt(f);
    long step = f.integer("step");
    if (step < 0) {
      throw ApiException.badRequest("step", "step must be >= 0");
    }
    StudyEntity study = studyOr404(studyId);
    study.requireWriteAccess();
    Map<String, Double> values = metrics(definitions.compile(study),
        f.optObject("values").orElseThrow(() -> ApiException.badRequest("values", "'values' is required")), false);
    TrialEntity t = running(lockTrial(studyId, number), attempt);
    lifecycle.heartbeatDeadline(study).ifPresent(d -> t.leaseExpiresAt = d); // a measurement is a heartbeat too
    return lifecycle.measure(study, t, step, values, io.sextant.api.common.Times.now());
  }

  /** The optional {@code attempt} of a client's report: the attempt it was handed (the trial's {@code attempt}). */
  private static Optional<Integer> attempt(Fields f) {
    Optional<Long> a = f.optLong("attempt");
    if (a.isPresent() && (a.get() < 1 || a.get() > 1000)) {
      throw ApiException.badRequest("attempt", "'attempt' must be between 1 and 1000");
    }
    return a.map(Long::intValue);
  }

  /** A RUNNING trial a client reports on (measurement, heartbeat): not an executor's, at the client's attempt. */
  private static TrialEntity running(TrialEntity t, Optional<Integer> attempt) {
    requireAttempt(t, attempt);
    if (t.state != TrialState.RUNNING) {
      throw notRunning(t);
    }
    requireNoExecutor(t);
    return t;
  }

  private static ApiException notRunning(TrialEntity t) {
    if (t.state == TrialState.WAITING && t.attempt > 1) {
      return ApiException.conflict("state", "trial " + t.number + "'s attempt " + (t.attempt - 1) + " was given up ("
          + t.failureReason + "); it is queued again as attempt " + t.attempt);
    }
    String why = t.state == TrialState.FAILED && t.failureReason != null ? " (" + t.failureReason + ")" : "";
    return ApiException.conflict("state", "trial " + t.number + " is " + t.state + why + ", not RUNNING");
  }

  private static void requireAttempt(TrialEntity t, Optional<Integer> attempt) {
    if (attempt.isPresent() && attempt.get() != t.attempt) {
      throw ApiException.conflict("attempt", "trial " + t.number + " is at attempt " + t.attempt + " (" + t.state
          + "), not " + attempt.get() + (attempt.get() < t.attempt ? "; attempt " + attempt.get() + " was given up"
          : ""));
    }
  }

  private static void requireNoExecutor(TrialEntity t) {
    if (t.executorId != null) {
      throw ApiException.conflict("state", "trial " + t.number + " is leased to executor " + t.executorId
          + "; it reports through the dispatch API");
    }
  }

  private static Optional<String> reason(Fields f, String name) {
    Object v = f.raw(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw ApiException.badRequest(name, "'" + name + "' must be a non-empty string");
    }
    if (s.length() > MAX_REASON) {
      throw ApiException.badRequest(name, "'" + name + "' is longer than " + MAX_REASON + " characters");
    }
    return Optional.of(s);
  }

  /**
   * Reads metric values (numbers, or the strings NaN/Infinity/-Infinity). Final values must name every objective
   * and every constraint metric, and nothing else; measurements may carry any metric names.
   */
  private static Map<String, Double> metrics(CompiledStudy c, Fields values, boolean isFinal) {
    Map<String, Double> out = Json.metricValues(values);
    if (isFinal) {
      List<String> known = new ArrayList<>(c.objectiveMetrics());
      c.spec().problem().constraints().stream().map(OutcomeConstraint::metric).forEach(known::add);
      for (String k : out.keySet()) {
        if (!known.contains(k)) {
          throw ApiException.badRequest("values." + k, "'" + k + "' is not an objective or constraint metric "
              + "of this study (expected " + known + ")");
        }
      }
      for (String k : known) {
        if (!out.containsKey(k)) {
          throw ApiException.badRequest("values." + k, "missing value for '" + k + "' (expected " + known + ")");
        }
      }
    }
    return out;
  }

  private TrialEntity lockTrial(long studyId, long number) {
    return trials.lock(studyId, number).orElseThrow(() -> trialNotFound(studyId, number));
  }

  /**
   * A trial a client may finish: RUNNING, or WAITING and never handed out (a client may tell the result of a trial
   * it enqueued); not an executor's; at the client's attempt when it names one. A trial whose attempt was given up
   * (queued again, or FAILED after maxAttempts) is a 409: its late result changes nothing.
   */
  private static TrialEntity openTrial(TrialEntity t, Optional<Integer> attempt) {
    requireAttempt(t, attempt);
    if (t.state.isFinished()) {
      String why = t.state == TrialState.FAILED && t.failureReason != null ? " (" + t.failureReason + ")" : "";
      throw ApiException.conflict("state", "trial " + t.number + " is already " + t.state + why);
    }
    requireNoExecutor(t);
    if (t.state == TrialState.WAITING && t.attempt > 1) {
      throw notRunning(t);
    }
    return t;
  }

  /**
   * Whether a tell repeats what finished the trial (same state, same values or reason, a client's trial, the same
   * attempt when named): a retry after a lost response, answered with the trial unchanged. A trial completed with a
   * NaN objective is FAILED with the metrics it was told, so repeating that tell is a repeat too.
   */
  private boolean isRepeat(TrialEntity t, Optional<Integer> attempt, TrialState told, Map<String, Double> metrics,
      String reason) {
    if (!t.state.isFinished() || t.executorId != null || (attempt.isPresent() && attempt.get() != t.attempt)) {
      return false;
    }
    if (told == TrialState.COMPLETED) {
      return (t.state == TrialState.COMPLETED || t.state == TrialState.FAILED) && t.metrics != null
          && Json.decodeMetrics(json.readMap(t.metrics)).equals(metrics);
    }
    return t.state == told && reason.equals(t.failureReason);
  }

  private StudyEntity studyOr404(long studyId) {
    return studies.findById(studyId).orElseThrow(() -> ApiException.notFound("study " + studyId + " does not exist"));
  }

  private static ApiException trialNotFound(long studyId, long number) {
    return ApiException.notFound("trial " + number + " of study " + studyId + " does not exist");
  }

  @Transactional(readOnly = true)
  public TrialDto get(long studyId, long number) {
    StudyEntity study = studyOr404(studyId);
    TrialEntity t = trials.find(studyId, number).orElseThrow(() -> trialNotFound(studyId, number));
    CompiledStudy c = definitions.compile(study);
    TrialDto dto = mapper.toDto(t, c.objectiveMetrics());
    return designers.find(c.spec().algorithm()).flatMap(p -> p.render(dto.params())).map(dto::withCode).orElse(dto);
  }

  /** A page of trials ordered by number after the cursor. */
  @io.swagger.v3.oas.annotations.media.Schema(name = "TrialPage")
  public record Page(List<TrialDto> trials,
      @io.swagger.v3.oas.annotations.media.Schema(types = {"integer", "null"}, format = "int64",
          description = "the cursor of the next page (?after=next); null: the last page") Long next) {}

  @Transactional(readOnly = true)
  public Page list(long studyId, String state, long after, int limit, boolean withMeasurements) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw ApiException.badRequest("limit", "limit must be between 1 and " + MAX_PAGE);
    }
    if (state != null) {
      try {
        TrialState.valueOf(state);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("state", "state must be one of " + List.of(TrialState.values()));
      }
    }
    StudyEntity study = studyOr404(studyId);
    List<TrialEntity> rows = trials.page(studyId, state, after, limit + 1);
    boolean more = rows.size() > limit;
    List<TrialEntity> page = more ? rows.subList(0, limit) : rows;
    return new Page(mapper.toDtos(page, definitions.compile(study).objectiveMetrics(), withMeasurements),
        more ? page.getLast().number : null);
  }
}
