package io.sextant.api.trial;

import io.sextant.api.common.ApiException;
import io.sextant.api.study.StudyDefinitions;
import io.sextant.api.study.StudyEntity;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The compact trial listing behind GET /studies/{id}/trials/compact: one row per trial as a JSON array
 * {@code [number, state, params, values, attempt, startedAt, finishedAt]}, values in objective order. It is what the
 * study page's charts and table need and nothing more, built by PostgreSQL in one query (json_agg over the stored
 * jsonb params; no entity or DTO per trial), so a 10,000-trial study comes in one request instead of ten pages of
 * full trials.
 */
@Component
public class TrialRows {
  public static final int MAX_LIMIT = 100_000;
  public static final List<String> COLUMNS = List.of("number", "state", "params", "values", "attempt", "startedAt",
      "finishedAt");
  private final JdbcTemplate jdbc;
  private final StudyDefinitions definitions;
  private final JsonMapper mapper = JsonMapper.builder().build();

  public TrialRows(JdbcTemplate jdbc, StudyDefinitions definitions) {
    this.jdbc = jdbc;
    this.definitions = definitions;
  }

  /** Refuses a bad cursor or page size (before the response starts streaming). */
  public static void check(long after, int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiException.badRequest("limit", "limit must be between 1 and " + MAX_LIMIT);
    }
    if (after < 0) {
      throw ApiException.badRequest("after", "after must be >= 0");
    }
  }

  /** Writes trials with number > {@code after}, at most {@code limit}, and the cursor of the next page. */
  public void write(StudyEntity study, long after, int limit, OutputStream os) throws IOException {
    check(after, limit);
    List<String> metrics = definitions.metrics(study);
    // PostgreSQL builds the rows (json_agg: non-finite float8 become the strings "Infinity", "-Infinity", "NaN")
    Object[] page = jdbc.queryForObject("""
        select coalesce(json_agg(json_build_array(number, state, params, objective_values, attempt, started_at,
                                                  finished_at) order by number), '[]')::text, count(*), max(number)
        from (select * from trial where study_id = ? and number > ? order by number limit ?) t""",
        (rs, i) -> new Object[] {rs.getString(1), rs.getInt(2), rs.getLong(3)}, study.getId(), after, limit);
    Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
    w.write("{\"columns\":" + mapper.writeValueAsString(COLUMNS) + ",\"metrics\":"
        + mapper.writeValueAsString(metrics) + ",\"trials\":");
    w.write((String) page[0]);
    w.write(",\"next\":" + ((int) page[1] == limit ? Long.toString((long) page[2]) : "null") + "}");
    w.flush();
  }
}
