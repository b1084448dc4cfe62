package io.sextant.api.study;

import io.sextant.api.auth.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Plain JDBC access to the study row for the ask/tell hot path ({@link StudyRow}): the same row lock and optimistic
 * version as the entity path, without loading the definition columns or dirty-checking them at commit. It runs in
 * the caller's transaction, JPA's (which binds its connection for JDBC too) or the hot path's plain JDBC one
 * ({@link io.sextant.api.config.TransactionConfig#ROWS}).
 */
@Component
public class StudyRows {
  private static final String COLUMNS = "id, state, owner_id, owner_role, next_number, designer_state";
  private final JdbcTemplate jdbc;

  public StudyRows(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The study row locked for update (as {@link StudyRepository#lockById}; serializes trial numbering) for a batch of
   * asks, with whether the study had WAITING trials as of the statement's start (read by the same statement to save
   * the batch a round trip). A trial enqueued while the statement waited for the lock may be missed: that enqueue
   * was concurrent with every ask of the batch (they queued before the statement began), so serving them first is
   * one of the orders they may take; an ask sent after an enqueue was answered is served by a later statement.
   */
  public Optional<Locked> lockForAsks(long id) {
    return one(jdbc.query("select " + COLUMNS + ", exists (select 1 from trial t where t.study_id = study.id"
        + " and t.state = 'WAITING') as any_waiting from study where id = ? for update",
        (rs, i) -> new Locked(row(rs, i), rs.getBoolean("any_waiting")), id));
  }

  /** A study row locked for a batch of asks, and whether the study had WAITING trials (see {@link #lockForAsks}). */
  public record Locked(StudyRow row, boolean anyWaiting) {}

  /** The study row as it is now, not locked (as {@link StudyRepository#findById}). */
  public Optional<StudyRow> find(long id) {
    return one(jdbc.query("select " + COLUMNS + " from study where id = ?", StudyRows::row, id));
  }

  /**
   * Writes back the numbering and designer state of a locked row when they changed, with {@code version + 1} so
   * that an entity loaded before this change fails its optimistic check exactly as after an entity update.
   */
  public void saveIssued(StudyRow s) {
    issuedUpdate(s).ifPresent(u -> jdbc.update(u.sql(), ps -> u.bind(ps, 1)));
  }

  /**
   * The UPDATE of {@link #saveIssued}, for a caller that sends it inside a statement of its own (a data-modifying
   * {@code WITH}, saving a round trip); empty when nothing changed. The row counts as saved from here on.
   */
  public Optional<IssuedUpdate> issuedUpdate(StudyRow s) {
    if (!s.changed()) {
      return Optional.empty();
    }
    long next = s.nextNumber();
    String state = s.designerState();
    long id = s.id();
    s.saved();
    return Optional.of(new IssuedUpdate(next, state, id));
  }

  /** An UPDATE of a study's numbering and designer state: its SQL and its three parameters. */
  public record IssuedUpdate(long nextNumber, String designerState, long id) {
    public String sql() {
      return "update study set next_number = ?, designer_state = cast(? as jsonb), version = version + 1"
          + " where id = ?";
    }

    /** Sets the three parameters from index {@code from} on. */
    public void bind(java.sql.PreparedStatement ps, int from) throws SQLException {
      ps.setLong(from, nextNumber);
      if (designerState == null) {
        ps.setNull(from + 1, Types.VARCHAR);
      } else {
        ps.setString(from + 1, designerState);
      }
      ps.setLong(from + 2, id);
    }
  }

  /**
   * The definition columns of a study as a detached entity (no persistence context), for compiling its definition
   * ({@link StudyDefinitions#compile(long)}) where no JPA session is open.
   */
  Optional<StudyEntity> definition(long id) {
    List<StudyEntity> rows = jdbc.query("select id, name, space, objectives, constraints, algorithm,"
        + " algorithm_options, evaluator, evaluator_config, max_trials, max_parallel, max_attempts, heartbeat_seconds,"
        + " max_failed_trials, early_stopping, resources from study where id = ?", (rs, i) -> {
          StudyEntity e = new StudyEntity();
          e.id = rs.getLong("id");
          e.name = rs.getString("name");
          e.space = rs.getString("space");
          e.objectives = rs.getString("objectives");
          e.constraints = rs.getString("constraints");
          e.algorithm = rs.getString("algorithm");
          e.algorithmOptions = rs.getString("algorithm_options");
          e.evaluator = rs.getString("evaluator");
          e.evaluatorConfig = rs.getString("evaluator_config");
          e.maxTrials = rs.getObject("max_trials", Long.class);
          e.maxParallel = rs.getObject("max_parallel", Integer.class);
          e.maxAttempts = rs.getInt("max_attempts");
          e.heartbeatSeconds = rs.getObject("heartbeat_seconds", Integer.class);
          e.maxFailedTrials = rs.getObject("max_failed_trials", Integer.class);
          e.earlyStopping = rs.getString("early_stopping");
          e.resources = rs.getString("resources");
          return e;
        }, id);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
  }

  /** The state of a study, its row locked for update (as the entity path's refresh with a pessimistic lock). */
  public Optional<StudyState> lockState(long id) {
    List<StudyState> rows = jdbc.query("select state from study where id = ? for update",
        (rs, i) -> StudyState.valueOf(rs.getString(1)), id);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
  }

  /**
   * Ends a study whose row the caller locked (COMPLETED or FAILED with the reason), as {@link StudyEntity#state} and
   * {@link StudyEntity#fail} would, with the optimistic {@code version} bumped.
   */
  public void end(long id, StudyState state, String reason, java.time.OffsetDateTime now) {
    jdbc.update("update study set state = ?, state_reason = ?, updated_at = ?, version = version + 1 where id = ?",
        ps -> {
          ps.setString(1, state.name());
          ps.setString(2, reason);
          ps.setObject(3, now);
          ps.setLong(4, id);
        });
  }

  private static <T> Optional<T> one(List<T> rows) {
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
  }

  private static StudyRow row(ResultSet rs, int i) throws SQLException {
    long owner = rs.getLong("owner_id");
    Long ownerId = rs.wasNull() ? null : owner;
    String role = rs.getString("owner_role");
    return new StudyRow(rs.getLong("id"), StudyState.valueOf(rs.getString("state")), ownerId,
        role == null ? null : Role.valueOf(role), rs.getLong("next_number"), rs.getString("designer_state"));
  }
}
