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

  /**
   * As {@link TrialRepository#lock} for several trials of one study in one statement: the rows of {@code numbers}
   * that exist, by number, locked in ascending number order (the order every path that locks several trial rows
   * keeps).
   */
  java.util.Map<Long, TrialEntity> lockAll(long studyId, java.util.Collection<Long> numbers) {
    java.util.Map<Long, TrialEntity> out = new java.util.HashMap<>();
    jdbc.query(con -> {
      PreparedStatement ps = con.prepareStatement("select " + COLUMNS + " from trial where study_id = ?"
          + " and number = any(?) order by number for update");
      ps.setLong(1, studyId);
      ps.setArray(2, con.createArrayOf("bigint", numbers.toArray(Long[]::new)));
      return ps;
    }, rs -> {
      TrialEntity t = row(rs, 0);
      out.put(t.number, t);
    });
    return out;
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

  /** The columns a new trial's insert writes, and one row of their values with the casts they need. */
  private static final String INSERT_COLUMNS = "insert into trial (study_id, number, state, params, metadata,"
      + " attempt, worker_id, executor_id, lease_expires_at, gpus, created_at, started_at) values ";
  private static final String INSERT_ROW = "(?, ?, ?, cast(? as jsonb), cast(? as jsonb), ?, ?, ?,"
      + " cast(? as timestamptz), cast(? as jsonb), cast(? as timestamptz), cast(? as timestamptz))";

  /**
   * Inserts new trials (one study's, distinct numbers) with every column they have in one statement, setting their
   * ids; with {@code study}, the same statement writes back the study row's numbering and designer state (a
   * data-modifying WITH: one round trip for all of it).
   */
  void insertAll(List<TrialEntity> ts, Optional<io.sextant.api.study.StudyRows.IssuedUpdate> study) {
    if (ts.isEmpty()) {
      throw new IllegalArgumentException("no trials to insert");
    }
    StringBuilder sql = new StringBuilder();
    study.ifPresent(u -> sql.append("with s as (").append(u.sql()).append(") "));
    sql.append(INSERT_COLUMNS);
    for (int k = 0; k < ts.size(); k++) {
      sql.append(k == 0 ? "" : ", ").append(INSERT_ROW);
    }
    sql.append(" returning number, id");
    java.util.Map<Long, Long> ids = jdbc.query(con -> {
      PreparedStatement ps = con.prepareStatement(sql.toString());
      int i = 1;
      if (study.isPresent()) {
        study.get().bind(ps, i);
        i += 3;
      }
      for (TrialEntity t : ts) {
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
        i += 12;
      }
      return ps;
    }, rs -> {
      java.util.Map<Long, Long> m = new java.util.HashMap<>();
      while (rs.next()) {
        m.put(rs.getLong(1), rs.getLong(2));
      }
      return m;
    });
    for (TrialEntity t : ts) {
      t.id = java.util.Objects.requireNonNull(ids.get(t.number), () -> "no id returned for trial " + t.number);
    }
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

  /** The values one finished trial's row takes (see {@link #finishedAll}), with the casts they need. */
  private static final String FINISHED_ROW = "(cast(? as bigint), cast(? as varchar), cast(? as jsonb),"
      + " cast(? as float8[]), cast(? as text), cast(? as timestamptz), cast(? as timestamptz))";

  /**
   * Writes what finishing trials changes (state, results, reason, end, and the cleared deadline), all of them in one
   * statement; answers each trial's measurements by trial id (as {@link #measurements}), read by the same statement
   * to save a round trip. The caller holds the trials' row locks, and a measurement is written only under that
   * lock, so none can be missed.
   */
  java.util.Map<Long, List<TrialDto.MeasurementDto>> finishedAll(List<TrialEntity> ts) {
    if (ts.isEmpty()) {
      return java.util.Map.of();
    }
    StringBuilder sql = new StringBuilder("update trial set state = u.state, metrics = u.metrics,"
        + " objective_values = u.objective_values, failure_reason = u.failure_reason, finished_at = u.finished_at,"
        + " lease_expires_at = u.lease_expires_at from (values ");
    for (int k = 0; k < ts.size(); k++) {
      sql.append(k == 0 ? "" : ", ").append(FINISHED_ROW);
    }
    sql.append(") as u (id, state, metrics, objective_values, failure_reason, finished_at, lease_expires_at)"
        + " where trial.id = u.id returning trial.id, (select json_agg(json_build_array(m.step, m.metrics,"
        + " m.created_at) order by m.step) from measurement m where m.trial_id = trial.id)");
    java.util.Map<Long, List<TrialDto.MeasurementDto>> out = jdbc.query(con -> {
      PreparedStatement ps = con.prepareStatement(sql.toString());
      int i = 1;
      for (TrialEntity t : ts) {
        ps.setLong(i, t.id);
        ps.setString(i + 1, t.state.name());
        ps.setString(i + 2, t.metrics);
        if (t.objectiveValues == null) {
          ps.setNull(i + 3, Types.ARRAY);
        } else {
          Double[] v = new Double[t.objectiveValues.length];
          for (int k = 0; k < v.length; k++) {
            v[k] = t.objectiveValues[k];
          }
          ps.setArray(i + 3, con.createArrayOf("float8", v));
        }
        ps.setString(i + 4, t.failureReason);
        time(ps, i + 5, t.finishedAt);
        time(ps, i + 6, t.leaseExpiresAt);
        i += 7;
      }
      return ps;
    }, rs -> {
      java.util.Map<Long, List<TrialDto.MeasurementDto>> m = new java.util.HashMap<>();
      while (rs.next()) {
        m.put(rs.getLong(1), measurementsJson(rs.getString(2)));
      }
      return m;
    });
    for (TrialEntity t : ts) {
      if (!out.containsKey(t.id)) {
        throw new IllegalStateException("trial " + t.id + " vanished under its row lock");
      }
    }
    return out;
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
