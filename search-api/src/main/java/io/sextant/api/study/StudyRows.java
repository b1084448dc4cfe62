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
 * the caller's transaction (the JPA transaction manager binds its connection for JDBC too).
 */
@Component
public class StudyRows {
  private static final String COLUMNS = "id, state, owner_id, owner_role, next_number, designer_state";
  private final JdbcTemplate jdbc;

  public StudyRows(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** The study row locked for update (as {@link StudyRepository#lockById}): serializes trial numbering. */
  public Optional<StudyRow> lock(long id) {
    return one(jdbc.query("select " + COLUMNS + " from study where id = ? for update", StudyRows::row, id));
  }

  /** The study row as it is now, not locked (as {@link StudyRepository#findById}). */
  public Optional<StudyRow> find(long id) {
    return one(jdbc.query("select " + COLUMNS + " from study where id = ?", StudyRows::row, id));
  }

  /**
   * Writes back the numbering and designer state of a locked row when they changed, with {@code version + 1} so
   * that an entity loaded before this change fails its optimistic check exactly as after an entity update.
   */
  public void saveIssued(StudyRow s) {
    if (!s.changed()) {
      return;
    }
    jdbc.update("update study set next_number = ?, designer_state = cast(? as jsonb), version = version + 1"
        + " where id = ?", ps -> {
          ps.setLong(1, s.nextNumber());
          if (s.designerState() == null) {
            ps.setNull(2, Types.VARCHAR);
          } else {
            ps.setString(2, s.designerState());
          }
          ps.setLong(3, s.id());
        });
    s.saved();
  }

  private static Optional<StudyRow> one(List<StudyRow> rows) {
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
