package io.sextant.api.transfer;

import io.sextant.api.common.ApiException;
import io.sextant.api.common.Fields;
import io.sextant.api.common.Json;
import io.sextant.api.study.CompiledStudy;
import io.sextant.api.study.StudyDefinitions;
import io.sextant.api.study.StudyDto;
import io.sextant.api.study.StudyEntity;
import io.sextant.api.study.StudyService;
import io.sextant.api.study.StudyState;
import io.sextant.api.trial.TrialService;
import io.sextant.engine.space.SpaceException;
import io.sextant.engine.study.TrialState;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates a study from a document written by {@link TrialExporter#json} (format {@value TrialExporter#FORMAT}):
 * the same definition, state, trial counter, designer state, and every trial with its measurements, so that
 * exporting the new study gives the same document up to ids (and the name, when renamed). Everything is validated
 * first and written in one transaction: a refused document creates nothing. Trials and measurements go in as JDBC
 * batches, so a 10,000-trial study imports in seconds.
 */
@Component
public class StudyImporter {
  private static final Set<String> TOP = Set.of("format", "studyId", "study", "state", "stateReason", "nextNumber",
      "designerState", "createdAt", "updatedAt", "trials");
  private static final Set<String> TRIAL = Set.of("id", "studyId", "number", "state", "params", "values", "metrics",
      "attempt", "workerId", "executorId", "gpus", "failureReason", "infeasibleReason", "measurements", "metadata",
      "createdAt", "startedAt", "finishedAt", "leaseExpiresAt", "code");
  private static final Set<String> MEASUREMENT = Set.of("step", "values", "at");
  static final int MAX_TRIALS = 1_000_000;

  private final StudyService studies;
  private final StudyDefinitions definitions;
  private final JdbcTemplate jdbc;
  private final Json json;

  public StudyImporter(StudyService studies, StudyDefinitions definitions, JdbcTemplate jdbc, Json json) {
    this.studies = studies;
    this.definitions = definitions;
    this.jdbc = jdbc;
    this.json = json;
  }

  /** A checked trial, ready to insert. */
  private record Row(long number, TrialState state, String params, double[] values, String metrics, int attempt,
      String workerId, String executorId, String gpus, String reason, String metadata, OffsetDateTime createdAt,
      OffsetDateTime startedAt, OffsetDateTime finishedAt, OffsetDateTime leaseExpiresAt,
      List<Measurement> measurements) {}

  private record Measurement(long step, String metrics, OffsetDateTime at) {}

  /** Imports {@code body}; {@code rename}, when given, replaces the study's name (names are unique). */
  @Transactional
  public StudyDto importStudy(Object body, Optional<String> rename) {
    Fields doc = Fields.of(body, "");
    doc.allowOnly(TOP);
    String format = doc.optString("format").orElseThrow(
        () -> ApiException.badRequest("format", "'format' is required (" + TrialExporter.FORMAT + ")"));
    if (!format.equals(TrialExporter.FORMAT)) {
      throw ApiException.badRequest("format", "unknown format '" + format + "' (expected " + TrialExporter.FORMAT + ")");
    }
    Map<String, Object> definition = new LinkedHashMap<>(doc.optObject("study")
        .orElseThrow(() -> ApiException.badRequest("study", "'study' is required")).map());
    rename.ifPresent(n -> definition.put("name", n));
    StudyState state = enumOf(StudyState.class, doc.optString("state").orElse("ACTIVE"), "state");
    String stateReason = text(doc, "stateReason");
    long nextNumber = doc.optLong("nextNumber").orElse(1L);
    if (nextNumber < 1) {
      throw ApiException.badRequest("nextNumber", "'nextNumber' must be >= 1");
    }
    Object designerState = doc.raw("designerState");
    if (designerState != null && !(designerState instanceof Map)) {
      throw ApiException.badRequest("designerState", "'designerState' must be an object or null");
    }
    OffsetDateTime createdAt = time(doc, "createdAt");
    OffsetDateTime updatedAt = time(doc, "updatedAt");
    List<Object> rawTrials = doc.has("trials") ? doc.list("trials") : List.of();
    if (rawTrials.size() > MAX_TRIALS) {
      throw ApiException.badRequest("trials", "at most " + MAX_TRIALS + " trials");
    }

    StudyEntity study = createStudy(definition, state, stateReason, nextNumber,
        designerState == null ? null : json.write(designerState), createdAt, updatedAt);
    CompiledStudy c = definitions.compile(study);
    List<Row> rows = new ArrayList<>(rawTrials.size());
    Set<Long> numbers = new HashSet<>();
    long maxNumber = 0;
    for (int i = 0; i < rawTrials.size(); i++) {
      Row r = trial(c, Fields.of(rawTrials.get(i), "trials[" + i + "]"));
      if (!numbers.add(r.number())) {
        throw ApiException.badRequest("trials[" + i + "].number", "trial number " + r.number() + " appears twice");
      }
      maxNumber = Math.max(maxNumber, r.number());
      rows.add(r);
    }
    if (maxNumber >= nextNumber) {
      // an export taken while trials were being created may list trials issued after it read the counter
      studies.advanceCounter(study, maxNumber + 1);
    }
    insert(study.getId(), rows);
    return studies.get(study.getId());
  }

  /** The study row; a definition the parser refuses is a 400 naming the field under {@code study.}. */
  private StudyEntity createStudy(Map<String, Object> definition, StudyState state, String stateReason,
      long nextNumber, String designerState, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    try {
      return studies.createImported(definition, state, stateReason, nextNumber, designerState, createdAt, updatedAt);
    } catch (ApiException e) {
      if (e.status().value() != 400) {
        throw e;
      }
      throw ApiException.badRequest("study." + e.field().orElse("body"), e.getMessage());
    } catch (SpaceException e) {
      throw ApiException.badRequest("study." + e.field(), e.getMessage());
    } catch (io.sextant.engine.designer.ConfigException e) {
      throw ApiException.badRequest("study." + e.field(), e.getMessage());
    }
  }

  private Row trial(CompiledStudy c, Fields f) {
    f.allowOnly(TRIAL);
    long number = f.integer("number");
    if (number < 1) {
      throw ApiException.badRequest(f.at("number"), "trial numbers start at 1");
    }
    TrialState state = enumOf(TrialState.class, f.string("state"), f.at("state"));
    Map<String, Object> params = f.optObject("params")
        .orElseThrow(() -> ApiException.badRequest(f.at("params"), "'" + f.at("params") + "' is required")).map();
    if (!c.spec().problem().space().parameters().isEmpty() || !params.isEmpty()) {
      params = definitions.validParams(c, params, f::at);
    }
    List<String> objectives = c.objectiveMetrics();
    double[] values = null;
    if (f.has("values")) {
      Map<String, Double> v = Json.metricValues(f.optObject("values").orElseThrow());
      if (!v.keySet().equals(new HashSet<>(objectives))) {
        throw ApiException.badRequest(f.at("values"), "values must name exactly the objectives " + objectives);
      }
      values = objectives.stream().mapToDouble(v::get).toArray();
    } else if (state == TrialState.COMPLETED) {
      throw ApiException.badRequest(f.at("values"), "a COMPLETED trial needs its objective values");
    }
    String metrics = f.optObject("metrics").map(m -> json.write(Json.encode(Json.metricValues(m)))).orElse(null);
    int attempt = (int) Math.min(Integer.MAX_VALUE, f.optLong("attempt").orElse(1L));
    if (attempt < 1) {
      throw ApiException.badRequest(f.at("attempt"), "'attempt' must be >= 1");
    }
    String reason = text(f, state == TrialState.INFEASIBLE ? "infeasibleReason" : "failureReason");
    Object gpus = f.raw("gpus");
    if (gpus != null && !(gpus instanceof List<?> l && l.stream().allMatch(g -> g instanceof Integer))) {
      throw ApiException.badRequest(f.at("gpus"), "'gpus' must be a list of device numbers");
    }
    Map<String, Object> metadata = f.optObject("metadata").map(Fields::map).orElse(Map.of());
    if (json.write(metadata).length() > 64 * 1024) {
      throw ApiException.badRequest(f.at("metadata"), "metadata must be at most 64 KiB of JSON");
    }
    OffsetDateTime createdAt = time(f, "createdAt");
    List<Measurement> ms = new ArrayList<>();
    if (f.has("measurements")) {
      List<Object> raw = f.list("measurements");
      Set<Long> steps = new HashSet<>();
      for (int i = 0; i < raw.size(); i++) {
        Fields m = Fields.of(raw.get(i), f.at("measurements[" + i + "]"));
        m.allowOnly(MEASUREMENT);
        long step = m.integer("step");
        if (step < 0 || !steps.add(step)) {
          throw ApiException.badRequest(m.at("step"), "steps must be >= 0 and distinct within a trial");
        }
        Fields v = m.optObject("values").orElseThrow(() -> ApiException.badRequest(m.at("values"), "'values' is required"));
        ms.add(new Measurement(step, json.write(Json.encode(Json.metricValues(v))), orNow(time(m, "at"))));
      }
    }
    return new Row(number, state, json.write(params), values, metrics, attempt, f.optString("workerId").orElse(null),
        executorId(f), gpus == null ? null : json.write(gpus), reason, json.write(metadata), orNow(createdAt),
        time(f, "startedAt"), time(f, "finishedAt"), time(f, "leaseExpiresAt"), ms);
  }

  private static String executorId(Fields f) {
    Optional<String> id = f.optString("executorId");
    if (id.isPresent() && id.get().length() > 64) {
      throw ApiException.badRequest(f.at("executorId"), "'executorId' is longer than 64 characters");
    }
    return id.orElse(null);
  }

  private static String text(Fields f, String name) {
    Object v = f.raw(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || s.length() > TrialService.MAX_REASON) {
      throw ApiException.badRequest(f.at(name), "'" + f.at(name) + "' must be a string of at most "
          + TrialService.MAX_REASON + " characters");
    }
    return s;
  }

  private static OffsetDateTime time(Fields f, String name) {
    Object v = f.raw(name);
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse((String) v);
    } catch (ClassCastException | DateTimeParseException e) {
      throw ApiException.badRequest(f.at(name), "'" + f.at(name) + "' must be an ISO-8601 timestamp with offset");
    }
  }

  private static OffsetDateTime orNow(OffsetDateTime t) {
    return t == null ? io.sextant.api.common.Times.now() : t;
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, String value, String field) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(field, "'" + value + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }
  }

  private void insert(long studyId, List<Row> rows) {
    jdbc.batchUpdate("""
        insert into trial (study_id, number, state, params, objective_values, metrics, attempt, worker_id,
            executor_id, gpus, failure_reason, metadata, created_at, started_at, finished_at, lease_expires_at)
        values (?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?, ?)""", rows, 500,
        (PreparedStatement ps, Row r) -> {
          ps.setLong(1, studyId);
          ps.setLong(2, r.number());
          ps.setString(3, r.state().name());
          ps.setString(4, r.params());
          ps.setArray(5, array(ps, r.values()));
          ps.setString(6, r.metrics());
          ps.setInt(7, r.attempt());
          ps.setString(8, r.workerId());
          ps.setString(9, r.executorId());
          ps.setString(10, r.gpus());
          ps.setString(11, r.reason());
          ps.setString(12, r.metadata());
          ps.setObject(13, r.createdAt());
          ps.setObject(14, r.startedAt(), Types.TIMESTAMP_WITH_TIMEZONE);
          ps.setObject(15, r.finishedAt(), Types.TIMESTAMP_WITH_TIMEZONE);
          ps.setObject(16, r.leaseExpiresAt(), Types.TIMESTAMP_WITH_TIMEZONE);
        });
    Map<Long, Long> ids = new HashMap<>();
    jdbc.query("select id, number from trial where study_id = ?", rs -> {
      ids.put(rs.getLong(2), rs.getLong(1));
    }, studyId);
    List<Object[]> ms = new ArrayList<>();
    for (Row r : rows) {
      for (Measurement m : r.measurements()) {
        ms.add(new Object[] {ids.get(r.number()), m.step(), m.metrics(), m.at()});
      }
    }
    jdbc.batchUpdate("insert into measurement (trial_id, step, metrics, created_at) values (?, ?, ?::jsonb, ?)", ms,
        1000, (PreparedStatement ps, Object[] m) -> {
          ps.setLong(1, (Long) m[0]);
          ps.setLong(2, (Long) m[1]);
          ps.setString(3, (String) m[2]);
          ps.setObject(4, m[3]);
        });
  }

  private static Array array(PreparedStatement ps, double[] values) throws SQLException {
    if (values == null) {
      return null;
    }
    Double[] boxed = new Double[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return ps.getConnection().createArrayOf("float8", boxed);
  }
}
