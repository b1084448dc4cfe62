package io.sextant.evaluators.builtin;

import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.Parameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** Test problems: n float parameters x0..x(n-1) on [low, high] and the named objectives (minimized). */
final class Problems {
  private Problems() {}

  static StudyProblem floats(int n, double low, double high, String... metrics) {
    List<Parameter> ps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ps.add(real("x" + i, low, high));
    }
    return problem(ps, metrics);
  }

  static StudyProblem problem(List<Parameter> params, String... metrics) {
    List<Objective> objectives = new ArrayList<>();
    for (String m : metrics) {
      objectives.add(new Objective(m, Direction.MINIMIZE));
    }
    return new StudyProblem(new SearchSpace(params), objectives, List.of());
  }

  static FloatParameter real(String name, double low, double high) {
    return new FloatParameter(name, low, high, false, OptionalDouble.empty(), Optional.empty());
  }

  /** Parameters x0..x(n-1) with the given values. */
  static Map<String, Object> params(double... x) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < x.length; i++) {
      m.put("x" + i, x[i]);
    }
    return m;
  }

  static List<String> metrics(StudyProblem problem) {
    return problem.objectives().stream().map(Objective::metric).toList();
  }
}
