package io.sextant.api.analytics;

import io.sextant.api.common.ApiException;
import io.sextant.api.common.Json;
import io.sextant.api.study.CompiledStudy;
import io.sextant.api.study.StudyDefinitions;
import io.sextant.api.study.StudyService;
import io.sextant.engine.analysis.ParameterImportance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Main-effect importance of each parameter for one objective. */
@Service
public class ImportanceAnalytics {
  /** How many recent completed trials parameter importance looks at. */
  static final int IMPORTANCE_WINDOW = 5000;

  private final StudyService studies;
  private final StudyDefinitions definitions;
  private final JdbcTemplate jdbc;
  private final Json json;

  ImportanceAnalytics(StudyService studies, StudyDefinitions definitions, JdbcTemplate jdbc, Json json) {
    this.studies = studies;
    this.definitions = definitions;
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Main-effect importance of each parameter for one objective, over the most recent completed trials. */
  @Transactional(readOnly = true)
  public AnalyticsBodies.Importance importance(long studyId, String metric) {
    CompiledStudy c = definitions.compile(studies.find(studyId));
    List<String> metrics = c.objectiveMetrics();
    String m = metric == null ? metrics.getFirst() : metric;
    int k = metrics.indexOf(m);
    if (k < 0) {
      throw ApiException.badRequest("objective", "'" + m + "' is not an objective of this study " + metrics);
    }
    List<Map<String, Object>> params = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    // plain rows (params and the one value), not entities: this is polled by the study page
    jdbc.query("""
        select params::text, objective_values[?] from trial
        where study_id = ? and state = 'COMPLETED' and cardinality(objective_values) > ?
        order by number desc limit ?""", rs -> {
      params.add(json.readMap(rs.getString(1)));
      values.add(rs.getDouble(2));
    }, k + 1, studyId, k, IMPORTANCE_WINDOW);
    Map<String, Double> imp = ParameterImportance.mainEffects(c.spec().problem().space(), params,
        values.stream().mapToDouble(Double::doubleValue).toArray(), 10);
    return new AnalyticsBodies.Importance(m, values.size(), imp,
        "first-order variance share over equal-count bins (fANOVA main effects on observed trials)");
  }
}
