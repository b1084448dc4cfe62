package io.sextant.api.trial;

import io.sextant.engine.study.TrialState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Plain JDBC access to trial rows for the ask/tell hot path (POST /suggestions and /complete): the same queries and
 * locks as {@link TrialRepository}, but the rows come back as detached {@link TrialEntity} objects (no persistence
 * context, no dirty checking at commit) and every change is one explicit statement naming only the columns it sets.
 * It runs in the caller's transaction: on the hot path the plain JDBC one
 * ({@link io.sextant.api.config.TransactionConfig#ROWS}), elsewhere JPA's (which binds its connection for JDBC too,
 * so what it writes is seen by the repository queries that follow in the same transaction).
 */
@Component
class TrialRowStore implements TrialLifecycle.IntermediateValues {
  private static final String COLUMNS = "id, study_id, number, state, params, objective_values, metrics, attempt,"
      + " worker_id, executor_id, lease_expires_at, gpus, failure_reason, metadata, created_at, started_at,"
      + " finished_at";
  private final JdbcTemplate jdbc;
  private final io.sextant.api.common.Json json;

  TrialRowStore(JdbcTemplate jdbc, io.sextant.api.common.Json json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** The measurements of one trial by step, as a trial's DTO shows them (as {@link TrialMapper#toDtos} loads them). */
  List<TrialDto.MeasurementDto> measurements(long trialId) {
    return jdbc.query("select step, metrics, created_at from measurement where trial_id = ? order by step",
        (rs, i) -> new TrialDto.MeasurementDto(rs.getLong(1), json.readMap(rs.getString(2)),
            rs.getObject(3, OffsetDateTime.class)), trialId);
  }

  /** As {@link TrialRepository#lock}: the trial row locked for update. */
  Optional<TrialEntity> lock(long studyId, long number) {
    List<TrialEntity> rows = jdbc.query("select " + COLUMNS + " from trial where study_id = ? and number = ?"
        + " for update", TrialRowStore::row, studyId, number);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
  }

  /** As {@link TrialRepository#runningForWorker}. */
  List<TrialEntity> runningForWorker(long studyId, String workerId) {
    return jdbc.query("select " + COLUMNS + " from trial where study_id = ? and state = 'RUNNING' and worker_id = ?"
        + " order by number", TrialRowStore::row, studyId, workerId);
  }

  /** As {@link TrialRepository#claimWaiting}: WAITING trials, locked, skipping those another transaction claims. */
  List<TrialEntity> claimWaiting(long studyId, int n) {
    return jdbc.query("select " + COLUMNS + " from trial where study_id = ? and state = 'WAITING'"
        + " order by number limit ? for update skip locked", TrialRowStore::row, studyId, n);
  }

  /** As {@link TrialRepository#recent}: the most recent trials of a study (highest numbers first). */
  List<TrialEntity> recent(long studyId, int n) {
    return jdbc.query("select " + COLUMNS + " from trial where study_id = ? order by number desc limit ?",
        TrialRowStore::row, studyId, n);
  }

  long countRunning(long studyId) {
    Long n = jdbc.queryForObject("select count(*) from trial where study_id = ? and state = 'RUNNING'", Long.class,
        studyId);
    return n == null ? 0 : n;
  }

  /** As {@link TrialRepository#failedAtLeast}: min(n, the number of FAILED trials). */
  long failedAtLeast(long studyId, long n) {
    Long c = jdbc.queryForObject("select count(*) from (select 1 from trial where study_id = ? and state = 'FAILED'"
        + " limit ?) x", Long.class, studyId, n);
    return c == null ? 0 : c;
  }

  /** As {@link TrialRepository#countPending}: WAITING and RUNNING trials. */
  long countPending(long studyId) {
    Long c = jdbc.queryForObject("select count(*) from trial where study_id = ? and state in ('WAITING', 'RUNNING')",
        Long.class, studyId);
    return c == null ? 0 : c;
  }

  /** As {@link TrialRepository#anyCompleted}. */
  boolean anyCompleted(long studyId) {
    return Boolean.TRUE.equals(jdbc.queryForObject(
        "select exists (select 1 from trial where study_id = ? and state = 'COMPLETED')", Boolean.class, studyId));
  }

  /** As {@link io.sextant.api.study.StudyRepository#trialCountsByState} for one study: (study, state, count). */
  List<Object[]> countsByState(long studyId) {
    return jdbc.query("select study_id, state, count(*) from trial where study_id = ? group by study_id, state "
        + "order by state",
        (rs, i) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getLong(3)}, studyId);
  }

  /** As {@link MeasurementRepository#lastValues}: (trial id, step, value as text). */
  @Override
  public List<Object[]> lastValues(java.util.Collection<Long> trialIds, String metric) {
    return jdbc.query(con -> {
      PreparedStatement ps = con.prepareStatement("select distinct on (m.trial_id) m.trial_id, m.step,"
          + " m.metrics ->> ? from measurement m where m.trial_id = any(?) and m.metrics ->> ? is not null"
          + " order by m.trial_id, m.step desc");
      ps.setString(1, metric);
      ps.setArray(2, con.createArrayOf("bigint", trialIds.toArray()));
      ps.setString(3, metric);
      return ps;
    }, (rs, i) -> new Object[] {rs.getLong(1), rs.getLong(2), rs.getString(3)});
  }

  /** As {@link MeasurementRepository#valuesAt}: (trial id, step, value as text). */
  @Override
  public List<Object[]> valuesAt(java.util.Collection<Long> trialIds, java.util.Collection<Long> steps,
      String metric) {
    return jdbc.query(con -> {
      PreparedStatement ps = con.prepareStatement("select m.trial_id, m.step, m.metrics ->> ? from measurement m"
          + " where m.trial_id = any(?) and m.step = any(?) and m.metrics ->> ? is not null");
      ps.setString(1, metric);
      ps.setArray(2, con.createArrayOf("bigint", trialIds.toArray()));
      ps.setArray(3, con.createArrayOf("bigint", steps.toArray()));
      ps.setString(4, metric);
      return ps;
    }, (rs, i) -> new Object[] {rs.getLong(1), rs.getLong(2), rs.getString(3)});
  }

  /**
   * The database clock (heartbeat deadlines are judged by it), as of this statement, not of the transaction's start:
   * an ask served late in a batch of asks gets its full heartbeat window.
   */
  OffsetDateTime dbNow() {
    return jdbc.queryForObject("select clock_timestamp()", (rs, i) -> rs.getObject(1, OffsetDateTime.class));
  }

  /** Inserts a new trial with every column it has, setting its id. */
  void insert(TrialEntity t) {
    insert(t, Optional.empty());
  }

  /**
   * Inserts a new trial with every column it has, setting its id; with {@code study}, the same statement writes
   * back the study row's numbering and designer state (a data-modifying WITH: one round trip for both).
   */
  void insert(TrialEntity t, Optional<io.sextant.api.study.StudyRows.IssuedUpdate> study) {
    String insert = "insert into trial (study_id, number, state, params, metadata,"
        + " attempt, worker_id, executor_id, lease_expires_at, gpus, created_at, started_at)"
        + " values (?, ?, ?, cast(? as jsonb), cast(? as jsonb), ?, ?, ?, ?, cast(? as jsonb), ?, ?) returning id";
    t.id = jdbc.query(con -> {
      PreparedStatement ps = con.prepareStatement(study.map(u -> "with s as (" + u.sql() + ") ").orElse("") + insert);
      int i = 1;
      if (study.isPresent()) {
        study.get().bind(ps, i);
        i += 3;
      }
      ps.setLong(i, t.studyId);
      ps.setLong(i + 1, t.number);
      ps.setString(i + 2, t.state.name());
      ps.setString(i + 3, t.params);
      ps.setString(i + 4, t.metadata);
      ps.setInt(i + 5, t.attempt);
      ps.setString(i + 6, t.workerId);
      ps.setString(i + 7, t.executorId);
      time(ps, i + 8, t.leaseExpiresAt);
      ps.setString(i + 9, t.gpus);
      time(ps, i + 10, t.createdAt);
      time(ps, i + 11, t.startedAt);
      return ps;
    }, rs -> {
      rs.next();
      return rs.getLong(1);
    });
  }

  /** Writes what handing out a WAITING trial changes: state, start, runner and deadline. */
  void started(TrialEntity t) {
    jdbc.update("update trial set state = ?, started_at = ?, worker_id = ?, executor_id = ?, lease_expires_at = ?,"
        + " gpus = cast(? as jsonb) where id = ?", ps -> {
          ps.setString(1, t.state.name());
          time(ps, 2, t.startedAt);
          ps.setString(3, t.workerId);
          ps.setString(4, t.executorId);
          time(ps, 5, t.leaseExpiresAt);
          ps.setString(6, t.gpus);
          ps.setLong(7, t.id);
        });
  }

  /**
   * Writes what finishing a trial changes: state, results, reason, end, and the cleared deadline; answers the trial's
   * measurements (as {@link #measurements}), read by the same statement to save a round trip. The caller holds the
   * trial's row lock, and a measurement is written only under that lock, so none can be missed.
   */
  List<TrialDto.MeasurementDto> finished(TrialEntity t) {
    return jdbc.query(con -> {
      PreparedStatement ps = con.prepareStatement("update trial set state = ?, metrics = cast(? as jsonb),"
          + " objective_values = ?, failure_reason = ?, finished_at = ?, lease_expires_at = ? where id = ?"
          + " returning (select json_agg(json_build_array(m.step, m.metrics, m.created_at) order by m.step)"
          + " from measurement m where m.trial_id = trial.id)");
      ps.setString(1, t.state.name());
      ps.setString(2, t.metrics);
      if (t.objectiveValues == null) {
        ps.setNull(3, Types.ARRAY);
      } else {
        Double[] v = new Double[t.objectiveValues.length];
        for (int i = 0; i < v.length; i++) {
          v[i] = t.objectiveValues[i];
        }
        ps.setArray(3, con.createArrayOf("float8", v));
      }
      ps.setString(4, t.failureReason);
      time(ps, 5, t.finishedAt);
      time(ps, 6, t.leaseExpiresAt);
      ps.setLong(7, t.id);
      return ps;
    }, rs -> {
      if (!rs.next()) {
        throw new IllegalStateException("trial " + t.id + " vanished under its row lock");
      }
      return measurementsJson(rs.getString(1));
    });
  }

  /** Measurements as {@code [[step, metrics, created_at], ...]} (json_agg; null for none). */
  private List<TrialDto.MeasurementDto> measurementsJson(String text) {
    if (text == null) {
      return List.of();
    }
    List<Object> rows = json.readList(text);
    List<TrialDto.MeasurementDto> out = new java.util.ArrayList<>(rows.size());
    for (Object r : rows) {
      List<?> m = (List<?>) r;
      @SuppressWarnings("unchecked")
      java.util.Map<String, Object> metrics = (java.util.Map<String, Object>) m.get(1);
      // json renders timestamptz in the session's time zone; the JDBC driver reads it as UTC
      out.add(new TrialDto.MeasurementDto(((Number) m.get(0)).longValue(), metrics,
          OffsetDateTime.parse((String) m.get(2)).withOffsetSameInstant(java.time.ZoneOffset.UTC)));
    }
    return out;
  }

  private static void time(PreparedStatement ps, int i, OffsetDateTime t) throws SQLException {
    if (t == null) {
      ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(i, t);
    }
  }

  static TrialEntity row(ResultSet rs, int i) throws SQLException {
    TrialEntity t = new TrialEntity();
    t.id = rs.getLong("id");
    t.studyId = rs.getLong("study_id");
    t.number = rs.getLong("number");
    t.state = TrialState.valueOf(rs.getString("state"));
    t.params = rs.getString("params");
    java.sql.Array values = rs.getArray("objective_values");
    if (values != null) {
      Object[] v = (Object[]) values.getArray();
      t.objectiveValues = new double[v.length];
      for (int k = 0; k < v.length; k++) {
        t.objectiveValues[k] = ((Number) v[k]).doubleValue();
      }
    }
    t.metrics = rs.getString("metrics");
    t.attempt = rs.getInt("attempt");
    t.workerId = rs.getString("worker_id");
    t.executorId = rs.getString("executor_id");
    t.leaseExpiresAt = rs.getObject("lease_expires_at", OffsetDateTime.class);
    t.gpus = rs.getString("gpus");
    t.failureReason = rs.getString("failure_reason");
    t.metadata = rs.getString("metadata");
    t.createdAt = rs.getObject("created_at", OffsetDateTime.class);
    t.startedAt = rs.getObject("started_at", OffsetDateTime.class);
    t.finishedAt = rs.getObject("finished_at", OffsetDateTime.class);
    return t;
  }
}
