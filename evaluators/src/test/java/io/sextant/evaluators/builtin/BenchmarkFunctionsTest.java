package io.sextant.evaluators.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sextant.engine.space.CategoricalParameter;
import io.sextant.engine.space.FixedParameter;
import io.sextant.engine.space.IntParameter;
import io.sextant.engine.space.Parameter;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Known values of the benchmark functions. Reference numbers: optima from the literature and
 * shared/reference/bayesian-optimization.md; other Branin, Hartmann6 and Ackley values computed with the
 * independent Python definitions in shared/peers/optuna_bench.py; ZDT/DTLZ values derived by hand from
 * shared/reference/multi-objective.md.
 */
class BenchmarkFunctionsTest {
  private static double f(BenchmarkProvider p, double... x) {
    return p.value(x, 1)[0];
  }

  @Test
  void braninHasItsThreeGlobalMinimaAndKnownValues() {
    Branin b = new Branin();
    assertThat(f(b, Math.PI, 2.275)).isCloseTo(0.397887, within(1e-6));
    assertThat(f(b, -Math.PI, 12.275)).isCloseTo(0.397887, within(1e-6));
    assertThat(f(b, 9.42478, 2.475)).isCloseTo(0.397887, within(1e-6));
    assertThat(f(b, 0, 0)).isCloseTo(55.602112642270264, within(1e-9));
    assertThat(f(b, 10, 15)).isCloseTo(145.87219087939556, within(1e-9));
  }

  @Test
  void braninMinimumIsGlobalOnItsDomain() {
    Branin b = new Branin();
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < 10_000; i++) {
      assertThat(f(b, -5 + 15 * rng.nextDouble(), 15 * rng.nextDouble())).isGreaterThanOrEqualTo(0.397887);
    }
  }

  @Test
  void hartmann6HasItsGlobalMinimumAndKnownValues() {
    Hartmann6 h = new Hartmann6();
    assertThat(f(h, 0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573)).isCloseTo(-3.32237, within(1e-5));
    assertThat(f(h, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5)).isCloseTo(-0.5053149917022333, within(1e-12));
    assertThat(f(h, 0, 0, 0, 0, 0, 0)).isCloseTo(-0.00508911288366444, within(1e-12));
    assertThat(f(h, 1, 1, 1, 1, 1, 1)).isCloseTo(-3.408539273427753e-05, within(1e-15));
    SplittableRandom rng = new SplittableRandom(2);
    for (int i = 0; i < 10_000; i++) {
      double[] x = new double[6];
      for (int j = 0; j < 6; j++) {
        x[j] = rng.nextDouble();
      }
      assertThat(f(h, x)).isGreaterThan(-3.32237 - 1e-5);
    }
  }

  @Test
  void ackleyIsZeroAtTheOriginInAnyDimension() {
    Ackley a = new Ackley();
    assertThat(f(a, 0)).isCloseTo(0, within(1e-12));
    assertThat(f(a, 0, 0, 0, 0, 0)).isCloseTo(0, within(1e-12));
    // At (1, 1): -20 exp(-0.2) - exp(1) + 20 + e = 20 (1 - exp(-0.2)).
    assertThat(f(a, 1, 1)).isCloseTo(20 * (1 - Math.exp(-0.2)), within(1e-12));
    assertThat(f(a, 0.5, -2, 3)).isCloseTo(8.185902495877848, within(1e-12));
  }

  @Test
  void rosenbrockIsZeroAtOnesAndMatchesHandValues() {
    Rosenbrock r = new Rosenbrock();
    assertThat(f(r, 1, 1)).isZero();
    assertThat(f(r, 1, 1, 1, 1, 1)).isZero();
    assertThat(f(r, 0, 0)).isEqualTo(1.0);
    assertThat(f(r, -1, 1)).isEqualTo(4.0);
    // (0, 1, 2): [100 (1 - 0)^2 + 1] + [100 (2 - 1)^2 + 0] = 201
    assertThat(f(r, 0, 1, 2)).isEqualTo(201.0);
  }

  @Test
  void zdtFunctionsLieOnTheirFrontsWhenTheTailIsZero() {
    double[] x = {0.25, 0, 0, 0};
    assertThat(new Zdt1().value(x, 2)).containsExactly(new double[] {0.25, 0.5}, within(1e-12));
    assertThat(new Zdt2().value(x, 2)).containsExactly(new double[] {0.25, 1 - 0.0625}, within(1e-12));
    // ZDT3 at f1 = 0.25: 1 - 0.5 - 0.25 sin(2.5 pi) = 0.25
    assertThat(new Zdt3().value(x, 2)).containsExactly(new double[] {0.25, 0.25}, within(1e-12));
  }

  @Test
  void zdtGrowsWithTheTail() {
    // x = (0.25, 1, 1): g = 1 + 9 = 10; ZDT1 f2 = 10 (1 - sqrt(0.025)).
    assertThat(new Zdt1().value(new double[] {0.25, 1, 1}, 2)[1])
        .isCloseTo(10 * (1 - Math.sqrt(0.025)), within(1e-12));
    assertThat(new Zdt2().value(new double[] {0.25, 1, 1}, 2)[1])
        .isCloseTo(10 * (1 - 0.025 * 0.025), within(1e-12));
  }

  @Test
  void dtlz2FrontIsTheUnitSphere() {
    Dtlz2 d = new Dtlz2();
    assertThat(d.value(new double[] {0, 0.5}, 2)).containsExactly(new double[] {1, 0}, within(1e-12));
    assertThat(d.value(new double[] {1, 0.5, 0.5}, 2)).containsExactly(new double[] {0, 1}, within(1e-12));
    SplittableRandom rng = new SplittableRandom(3);
    for (int m = 2; m <= 4; m++) {
      for (int i = 0; i < 100; i++) {
        double[] x = new double[m + 3];
        for (int j = 0; j < x.length; j++) {
          x[j] = j < m - 1 ? rng.nextDouble() : 0.5;
        }
        double[] y = d.value(x, m);
        assertThat(y).hasSize(m);
        double norm = 0;
        for (double v : y) {
          assertThat(v).isGreaterThanOrEqualTo(0);
          norm += v * v;
        }
        assertThat(norm).isCloseTo(1, within(1e-12));
      }
    }
    // Off the front: the tail (0, 0) gives g = 0.5, so the radius is 1.5.
    double[] y = d.value(new double[] {0.3, 0, 0}, 2);
    assertThat(Math.hypot(y[0], y[1])).isCloseTo(1.5, within(1e-12));
    // M = 3 at x = (0, 0, 0.5): f = (1, 0, 0).
    assertThat(d.value(new double[] {0, 0, 0.5}, 3)).containsExactly(new double[] {1, 0, 0}, within(1e-12));
  }

  @Test
  void evaluatorReportsRawValuesUnderTheStudysMetricNamesInOrder() throws Exception {
    StudyProblem problem = new StudyProblem(Problems.floats(2, 0, 1, "a").space(),
        List.of(new Objective("cost", Direction.MAXIMIZE), new Objective("size", Direction.MINIMIZE)), List.of());
    Map<String, Double> out = new Zdt1().create(problem, Map.of())
        .evaluate(Problems.params(0.25, 0), new FixedContext(Problems.metrics(problem), 0));
    assertThat(out).containsExactly(Map.entry("cost", 0.25), Map.entry("size", 0.5));
  }

  @Test
  void inputsAreTheNumericParametersInSpaceOrderWhateverTheirNames() throws Exception {
    var space = List.<Parameter>of(
        Problems.real("zeta", -5, 10),
        new CategoricalParameter("kind", List.of("a", "b"), Optional.empty()),
        new FixedParameter("version", 3L, Optional.empty()),
        new IntParameter("alpha", 0, 15, false, 1, Optional.empty()));
    StudyProblem problem = Problems.problem(space, "loss");
    Map<String, Object> params = Map.of("alpha", 0L, "kind", "b", "version", 3L, "zeta", 0.0);
    Map<String, Double> out = new Branin().create(problem, Map.of())
        .evaluate(params, new FixedContext(List.of("loss"), 1));
    assertThat(out).containsOnlyKeys("loss");
    assertThat(out.get("loss")).isCloseTo(55.602112642270264, within(1e-9));
  }
}
