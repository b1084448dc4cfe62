package io.sextant.api.analytics;

import io.sextant.api.common.Json;
import io.sextant.api.study.CompiledStudy;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Feasible completed trials with values, read as plain rows (one query, only the columns best/Pareto need; no
 * entities), so /best and /pareto of a 10,000-trial study stay cheap enough to poll. Feasibility is the engine's one
 * rule ({@link StudyProblem#isFeasible}).
 */
@Component
class FeasiblePoints {
  /** A feasible completed trial as best/Pareto see it: id, number, finish time, objective values. */
  record Point(long id, long number, OffsetDateTime finishedAt, double[] values) {}

  private final JdbcTemplate jdbc;
  private final Json json;

  FeasiblePoints(JdbcTemplate jdbc, Json json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** In trial-number order. */
  List<Point> of(long studyId, CompiledStudy c) {
    StudyProblem problem = c.spec().problem();
    boolean constrained = !problem.constraints().isEmpty();
    String sql = "select id, number, finished_at, objective_values" + (constrained ? ", metrics::text" : "")
        + " from trial where study_id = ? and state = 'COMPLETED' and objective_values is not null order by number";
    List<Point> out = new ArrayList<>();
    jdbc.query(sql, rs -> {
      Object[] raw = (Object[]) rs.getArray(4).getArray();
      double[] v = new double[raw.length];
      for (int k = 0; k < raw.length; k++) {
        v[k] = raw[k] == null ? Double.NaN : ((Number) raw[k]).doubleValue();
      }
      if (constrained) {
        Map<String, Double> m = Json.decodeMetrics(json.readMap(rs.getString(5)));
        if (!problem.isFeasible(m)) {
          return;
        }
      }
      out.add(new Point(rs.getLong(1), rs.getLong(2), rs.getObject(3, OffsetDateTime.class), v));
    }, studyId);
    return out;
  }

  /** The points' values in minimization form (maximized objectives negated). */
  static double[][] minimizationPoints(CompiledStudy c, List<Point> done) {
    List<Objective> objs = c.spec().problem().objectives();
    double[][] pts = new double[done.size()][objs.size()];
    for (int i = 0; i < done.size(); i++) {
      for (int j = 0; j < objs.size(); j++) {
        pts[i][j] = objs.get(j).direction().toMinimization() * done.get(i).values()[j];
      }
    }
    return pts;
  }
}
