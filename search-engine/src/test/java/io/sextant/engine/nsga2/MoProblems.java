package io.sextant.engine.nsga2;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerContractTest;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.pareto.Hypervolume;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.Parameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.function.Function;

/** Multi-objective test problems (ZDT1/2/3, DTLZ2) and an in-process ask/tell loop, shared by tests and benchmarks. */
public final class MoProblems {
  private MoProblems() {}

  /** A test problem: n variables x0..x{n-1} in [0, 1], m minimized objectives, and the reference point 1.1. */
  public record Problem(String name, int n, int m, Function<double[], double[]> f, double maxHypervolume) {
    public StudyProblem study() {
      List<Parameter> ps = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ps.add(new FloatParameter("x" + i, 0.0, 1.0, false, OptionalDouble.empty(), Optional.empty()));
      }
      List<Objective> objs = new ArrayList<>();
      for (int j = 0; j < m; j++) {
        objs.add(new Objective("f" + (j + 1), Direction.MINIMIZE));
      }
      return new StudyProblem(new SearchSpace(ps), objs, List.of());
    }

    public double[] ref() {
      double[] r = new double[m];
      java.util.Arrays.fill(r, 1.1);
      return r;
    }

    public double[] evaluate(Map<String, Object> params) {
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = ((Number) params.get("x" + i)).doubleValue();
      }
      return f.apply(x);
    }
  }

  private static double g(double[] x) {
    double s = 0;
    for (int i = 1; i < x.length; i++) {
      s += x[i];
    }
    return 1 + 9 * s / (x.length - 1);
  }

  public static Problem zdt1(int n) {
    return new Problem("ZDT1", n, 2, x -> {
      double g = g(x);
      return new double[] {x[0], g * (1 - Math.sqrt(x[0] / g))};
    }, 1.21 - 1.0 / 3);
  }

  public static Problem zdt2(int n) {
    return new Problem("ZDT2", n, 2, x -> {
      double g = g(x);
      return new double[] {x[0], g * (1 - (x[0] / g) * (x[0] / g))};
    }, 1.21 - 2.0 / 3);
  }

  public static Problem zdt3(int n) {
    return new Problem("ZDT3", n, 2, x -> {
      double g = g(x);
      double h = 1 - Math.sqrt(x[0] / g) - (x[0] / g) * Math.sin(10 * Math.PI * x[0]);
      return new double[] {x[0], g * h};
    }, 1.331762);
  }

  /** DTLZ2 with m objectives and n variables (k = n - m + 1). */
  public static Problem dtlz2(int n, int m) {
    double max = m == 2 ? 1.21 - Math.PI / 4 : m == 3 ? 1.331 - Math.PI / 6 : Double.NaN;
    return new Problem("DTLZ2", n, m, x -> {
      double g = 0;
      for (int i = m - 1; i < n; i++) {
        g += (x[i] - 0.5) * (x[i] - 0.5);
      }
      double[] f = new double[m];
      for (int j = 0; j < m; j++) {
        double v = 1 + g;
        for (int i = 0; i < m - 1 - j; i++) {
          v *= Math.cos(x[i] * Math.PI / 2);
        }
        if (j > 0) {
          v *= Math.sin(x[m - 1 - j] * Math.PI / 2);
        }
        f[j] = v;
      }
      return f;
    }, max);
  }

  /**
   * Runs the ask/tell loop as the API would: each ask builds the designer's snapshot (window per needs()), passes a
   * generator seeded with {@code seed + issuedCount}, and the trials are evaluated and told at once (sequential
   * batches of {@code batch}). Returns the completed trials in number order.
   */
  public static List<TrialView> run(Designer d, Problem p, int evaluations, int batch, long seed) {
    StudyProblem sp = p.study();
    List<TrialView> history = new ArrayList<>();
    while (history.size() < evaluations) {
      int count = Math.min(batch, evaluations - history.size());
      var snap = DesignerContractTest.snapshotFor(d, sp, history);
      List<Suggestion> s = d.suggest(snap, count, new SplittableRandom(seed + history.size())).suggestions();
      for (Suggestion sug : s) {
        double[] f = p.evaluate(sug.params());
        Map<String, Double> metrics = new HashMap<>();
        for (int j = 0; j < f.length; j++) {
          metrics.put("f" + (j + 1), f[j]);
        }
        history.add(new TrialView(history.size() + 1, TrialState.COMPLETED, sug.params(), f, metrics,
            sug.metadata()));
      }
    }
    return history;
  }

  /** Hypervolume of all completed trials' values (minimization) with the problem's reference point. */
  public static double hypervolume(Problem p, List<TrialView> trials) {
    double[][] pts = trials.stream().map(TrialView::values).toArray(double[][]::new);
    return Hypervolume.of(pts, p.ref());
  }
}
