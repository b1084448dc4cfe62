package io.sextant.evaluators.sor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.space.CategoricalParameter;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import io.sextant.evaluators.spi.Evaluator;
import io.sextant.evaluators.spi.Evaluators;
import io.sextant.evaluators.testing.TestContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class SorEvaluatorTest {
  static StudyProblem omegaGrid() {
    return new StudyProblem(new SearchSpace(List.of(
        new FloatParameter("omega", 1.0, 1.95, false, OptionalDouble.of(0.05), Optional.empty()))),
        List.of(new Objective("iterations", Direction.MINIMIZE)), List.of());
  }

  @Test
  void registeredAndDocumented() {
    var p = Evaluators.load().find("sor").orElseThrow();
    assertThat(p).isInstanceOf(SorEvaluatorProvider.class);
    assertThat(p.description()).isNotBlank();
    Map<String, Object> defaults = new HashMap<>();
    p.options().forEach(o -> defaults.put(o.name(), o.defaultValue().orElseThrow()));
    p.create(omegaGrid(), defaults);
  }

  @Test
  void reportsTheIterationsOfTheTrialsInstanceUnderTheObjectiveName() throws Exception {
    Evaluator e = new SorEvaluatorProvider().create(omegaGrid(), Map.of("family", "low-variance", "seed", 3));
    SorInstances seq = new SorInstances(SorFamily.LOW_VARIANCE, 10, 3, true);
    for (long t = 1; t <= 5; t++) {
      Map<String, Double> m = e.evaluate(Map.of("omega", 1.5), new TestContext(List.of("iterations"), t));
      SorInstance inst = seq.instance(t);
      assertThat(m.get("iterations")).isEqualTo(Sor.solve(inst.matrix(), inst.rhs(), 1.5, 1e-8, 10_000).iterations());
      assertThat(m.get("optimal_iterations"))
          .isEqualTo(Sor.solve(inst.matrix(), inst.rhs(), inst.omegaStar(), 1e-8, 10_000).iterations());
      assertThat(m.get("shift")).isEqualTo(seq.context(t)).isEqualTo(inst.context());
      assertThat(m.get("omega_star")).isCloseTo(Relaxation.omegaStar(4 * Math.cos(Math.PI / 11) / (4 + inst.context())),
          within(1e-15));
      assertThat(m.get("converged")).isEqualTo(1.0);
      assertThat(m).containsKey("wall_seconds");
      Map<String, Double> again = e.evaluate(Map.of("omega", 1.5), new TestContext(List.of("iterations"), t));
      assertThat(again.get("iterations")).isEqualTo(m.get("iterations"));
    }
  }

  @Test
  void onesRightHandSideReproducesTheReferenceCountAtOmegaStar() throws Exception {
    // With rhs = ones the evaluator solves the reference's test systems: at omega* it needs (by the checked table)
    // 41 iterations at c = 0, 147 at c = -0.15, 23 at c = 0.45; here instance shifts are random, so compare with a
    // direct solve and check omega* beats every grid arm except by at most a few iterations.
    Evaluator e = new SorEvaluatorProvider().create(omegaGrid(), Map.of("rhs", "ones", "seed", 9));
    SorInstances seq = new SorInstances(SorFamily.HIGH_VARIANCE, 10, 9, false);
    for (long t = 1; t <= 3; t++) {
      SorInstance inst = seq.instance(t);
      int best = Integer.MAX_VALUE;
      for (int i = 0; i < 20; i++) {
        best = Math.min(best, (int) (double) e.evaluate(Map.of("omega", 1 + 0.05 * i),
            new TestContext(List.of("iterations"), t)).get("iterations"));
      }
      double opt = e.evaluate(Map.of("omega", 1.0), new TestContext(List.of("iterations"), t)).get("optimal_iterations");
      assertThat(opt).as("instance %d, shift %s", t, inst.context()).isLessThanOrEqualTo(best + 2);
    }
  }

  @Test
  void betaFamiliesHaveTheReferenceMeans() {
    // c = -0.15 + 0.6 Beta(0.5, 1.5): mean -0.15 + 0.6 * 0.25 = 0, sd 0.6 * 0.25 = 0.15; standard error over 20000
    // draws 0.00106, tolerance 0.005 (~5 se). c = 0.6 Beta(2, 6): mean 0.15, sd 0.0866, se 0.0006, tolerance 0.003.
    SorInstances high = new SorInstances(SorFamily.HIGH_VARIANCE, 10, 1, true);
    SorInstances low = new SorInstances(SorFamily.LOW_VARIANCE, 10, 1, true);
    double sh = 0;
    double sl = 0;
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < 20_000; i++) {
      double c = high.context(i);
      sh += c;
      min = Math.min(min, c);
      sl += low.context(i);
      assertThat(c).isBetween(-0.15, 0.45);
      assertThat(low.context(i)).isBetween(0.0, 0.6);
    }
    assertThat(sh / 20_000).isCloseTo(0.0, within(0.005));
    assertThat(sl / 20_000).isCloseTo(0.15, within(0.003));
    assertThat(min).isLessThan(-0.149);
  }

  @Test
  void largerGridsStayPositiveDefiniteAndSolvable() {
    SorInstances seq = new SorInstances(SorFamily.HIGH_VARIANCE, 24, 2, true);
    for (int i = 0; i < 50; i++) {
      assertThat(seq.instance(i).beta()).isLessThan(1.0);
    }
    SorInstance inst = seq.instance(0);
    assertThat(Sor.solve(inst.matrix(), inst.rhs(), inst.omegaStar(), 1e-8, 10_000).converged()).isTrue();
  }

  @Test
  void diffusionFamilyOmegaStarIsNearTheEmpiricalBest() {
    // Young's formula holds for consistently ordered matrices; with a truncated-Gaussian rhs the empirically best
    // omega on a fine grid costs at least a few iterations less only through rhs-dependent transients, so omega*
    // must be within 10% of the best count found on a 0.01-spaced grid.
    SorInstances seq = new SorInstances(SorFamily.DIFFUSION, 12, 5, true);
    for (int t = 0; t < 3; t++) {
      SorInstance inst = seq.instance(t);
      assertThat(inst.omegaStar()).isBetween(1.0, 2.0);
      int atStar = Sor.solve(inst.matrix(), inst.rhs(), inst.omegaStar(), 1e-8, 10_000).iterations();
      int best = Integer.MAX_VALUE;
      for (int i = 0; i <= 95; i++) {
        best = Math.min(best, Sor.solve(inst.matrix(), inst.rhs(), 1 + 0.01 * i, 1e-8, 10_000).iterations());
      }
      assertThat((double) atStar).as("sigma %s", inst.context()).isLessThanOrEqualTo(best * 1.1);
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"rectangle", "variable-coefficient", "poisson-3d"})
  void theMultiFeatureFamiliesReportTheirFeaturesAsContextAndMetricsAndOmegaStarIsNearTheBest(String id) throws Exception {
    SorFamily family = SorFamily.byId(id).orElseThrow();
    Map<String, Object> config = Map.of("family", id, "seed", 4);
    SorEvaluatorProvider p = new SorEvaluatorProvider();
    Evaluator e = p.create(omegaGrid(), config);
    SorInstances seq = SorEvaluatorProvider.parse(config).instances();
    java.util.Set<Map<String, Double>> seen = new java.util.HashSet<>();
    for (int t = 1; t <= 4; t++) {
      SorInstance inst = seq.instance(t);
      assertThat(inst.features().keySet()).containsExactlyElementsOf(family.features());
      seen.add(inst.features());
      // the context a trial is proposed with is its instance's features, and the trial reports them
      assertThat(p.contextFor(config, t)).hasValue(Map.copyOf(inst.features()));
      Map<String, Double> m = e.evaluate(Map.of("omega", 1.5), new TestContext(List.of("iterations"), t));
      inst.features().forEach((k, v) -> assertThat(m.get(k)).isEqualTo(v));
      // Young's formula on consistently ordered matrices: omega* within 10% of the best on a 0.01 grid (as for
      // diffusion above), and the textbook omega (the plain Poisson problem's) is a legal omega
      int atStar = Sor.solve(inst.matrix(), inst.rhs(), inst.omegaStar(), 1e-8, 10_000).iterations();
      int best = Integer.MAX_VALUE;
      for (int i = 0; i <= 95; i++) {
        best = Math.min(best, Sor.solve(inst.matrix(), inst.rhs(), 1 + 0.01 * i, 1e-8, 10_000).iterations());
      }
      assertThat((double) atStar).as("%s", inst.features()).isLessThanOrEqualTo(best * 1.1);
      assertThat(inst.textbookOmega()).isBetween(1.0, 2.0);
    }
    assertThat(seen).as("instances differ").hasSizeGreaterThan(1);
    if (family == SorFamily.VARIABLE_COEFFICIENT) {
      // k spans exactly [1, contrast]: the largest and smallest diagonal couplings differ by about the contrast
      SorInstance inst = seq.instance(1);
      double[] d = inst.matrix().diagonal();
      double lo = java.util.Arrays.stream(d).min().orElseThrow();
      double hi = java.util.Arrays.stream(d).max().orElseThrow();
      assertThat(hi / lo).isGreaterThan(Math.min(inst.features().get("contrast"), 4) * 0.5);
    }
    if (family == SorFamily.RECTANGLE) {
      SorInstance inst = seq.instance(2);
      assertThat(inst.matrix().n()).isEqualTo((int) (inst.features().get("nx") * inst.features().get("ny")));
    }
    if (family == SorFamily.POISSON_3D) {
      SorInstance inst = seq.instance(3);
      int n = (int) (double) inst.features().get("n");
      assertThat(inst.matrix().n()).isEqualTo(n * n * n);
      assertThat(inst.omegaStar()).isEqualTo(inst.textbookOmega());
    }
  }

  @Test
  void refusesBadConfigNamingTheField() {
    var p = new SorEvaluatorProvider();
    record Bad(Map<String, Object> config, String field) {}
    for (Bad b : List.of(new Bad(Map.of("grid", 1), "grid"), new Bad(Map.of("family", "x"), "family"),
        new Bad(Map.of("tolerance", 0), "tolerance"), new Bad(Map.of("maxIterations", 0), "maxIterations"),
        new Bad(Map.of("bogus", 1), "bogus"), new Bad(Map.of("parameter", "w"), "space"),
        new Bad(Map.of("rhs", "zeros"), "rhs"))) {
      assertThatThrownBy(() -> p.create(omegaGrid(), b.config())).as(b.toString())
          .isInstanceOfSatisfying(ConfigException.class, ex -> assertThat(ex.field()).isEqualTo(b.field()));
    }
    StudyProblem wide = new StudyProblem(new SearchSpace(List.of(
        new FloatParameter("omega", 0.5, 2.5, false, OptionalDouble.empty(), Optional.empty()))),
        List.of(new Objective("iterations", Direction.MINIMIZE)), List.of());
    assertThatThrownBy(() -> p.create(wide, Map.of())).isInstanceOfSatisfying(ConfigException.class,
        ex -> assertThat(ex.field()).isEqualTo("space"));
    StudyProblem names = new StudyProblem(new SearchSpace(List.of(
        new CategoricalParameter("omega", List.of("a", "b"), Optional.empty()))),
        List.of(new Objective("iterations", Direction.MINIMIZE)), List.of());
    assertThatThrownBy(() -> p.create(names, Map.of())).isInstanceOf(ConfigException.class);
  }

  @Test
  void badOmegaFailsTheTrial() {
    Evaluator e = new SorEvaluatorProvider().create(omegaGrid(), Map.of());
    assertThatThrownBy(() -> e.evaluate(Map.of("omega", 2.0), new TestContext(List.of("iterations"), 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> e.evaluate(Map.of(), new TestContext(List.of("iterations"), 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
