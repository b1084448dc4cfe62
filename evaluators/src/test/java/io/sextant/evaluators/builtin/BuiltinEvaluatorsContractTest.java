package io.sextant.evaluators.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.study.StudyProblem;
import io.sextant.evaluators.spi.Evaluator;
import io.sextant.evaluators.spi.EvaluatorProvider;
import io.sextant.evaluators.spi.Evaluators;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** What every built-in evaluator promises, checked through the ServiceLoader registry. */
class BuiltinEvaluatorsContractTest {
  private static final Evaluators REGISTRY = Evaluators.load();

  static Stream<Arguments> problems() {
    return Stream.of(
        Arguments.of("branin", Problems.floats(2, 0, 10, "loss")),
        Arguments.of("hartmann6", Problems.floats(6, 0, 1, "loss")),
        Arguments.of("ackley", Problems.floats(3, -5, 5, "loss")),
        Arguments.of("rosenbrock", Problems.floats(4, -2, 2, "loss")),
        Arguments.of("zdt1", Problems.floats(5, 0, 1, "f1", "f2")),
        Arguments.of("zdt2", Problems.floats(5, 0, 1, "f1", "f2")),
        Arguments.of("zdt3", Problems.floats(5, 0, 1, "f1", "f2")),
        Arguments.of("dtlz2", Problems.floats(6, 0, 1, "f1", "f2", "f3")),
        Arguments.of("noop", Problems.floats(3, -1, 1, "a", "b")));
  }

  @Test
  void registryHoldsAllNineBuiltIns() {
    assertThat(REGISTRY.all()).containsKeys(
        "branin", "hartmann6", "ackley", "rosenbrock", "zdt1", "zdt2", "zdt3", "dtlz2", "noop");
  }

  @ParameterizedTest
  @MethodSource("problems")
  void documentsItselfAndItsOptions(String name, StudyProblem problem) {
    EvaluatorProvider p = REGISTRY.find(name).orElseThrow();
    assertThat(p.name()).isEqualTo(name);
    assertThat(p.description()).isNotBlank();
    assertThat(p.options()).isNotEmpty().allSatisfy(o -> {
      assertThat(o.name()).isNotBlank();
      assertThat(o.description()).isNotBlank();
      assertThat(o.defaultValue()).isPresent();
    });
    // Every documented option is accepted with its default value.
    Map<String, Object> defaults = p.options().stream()
        .collect(java.util.stream.Collectors.toMap(OptionSpec::name, o -> o.defaultValue().orElseThrow()));
    p.create(problem, defaults);
  }

  @ParameterizedTest
  @MethodSource("problems")
  void returnsEveryObjectiveMetricFiniteAndReproducibly(String name, StudyProblem problem) throws Exception {
    Evaluator e = REGISTRY.find(name).orElseThrow().create(problem, Map.of());
    List<String> metrics = Problems.metrics(problem);
    SplittableRandom rng = new SplittableRandom(11);
    for (int i = 0; i < 50; i++) {
      Map<String, Object> params = problem.space().sample(rng);
      Map<String, Double> out = e.evaluate(params, new FixedContext(metrics, i));
      assertThat(out).containsOnlyKeys(metrics);
      assertThat(out.values()).allSatisfy(v -> assertThat(v).isFinite());
      assertThat(e.evaluate(params, new FixedContext(metrics, i))).isEqualTo(out);
    }
  }

  @ParameterizedTest
  @MethodSource("problems")
  void refusesUnknownOptions(String name, StudyProblem problem) {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> REGISTRY.find(name).orElseThrow().create(problem, Map.of("bogus", 1)));
    assertThat(e.field()).isEqualTo("bogus");
  }
}
