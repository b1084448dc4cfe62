package io.sextant.evaluators.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.space.Condition;
import io.sextant.engine.space.CategoricalParameter;
import io.sextant.engine.space.FixedParameter;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.IntParameter;
import io.sextant.engine.space.Parameter;
import io.sextant.engine.study.StudyProblem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** create() refuses problems and configs a benchmark cannot work with, naming the field. */
class BenchmarkValidationTest {
  private static ConfigException refused(BenchmarkProvider p, StudyProblem problem, Map<String, Object> config) {
    return catchThrowableOfType(ConfigException.class, () -> p.create(problem, config));
  }

  @Test
  void braninNeedsExactlyTwoNumericParameters() {
    ConfigException e = refused(new Branin(), Problems.floats(3, 0, 1, "loss"), Map.of());
    assertThat(e.field()).isEqualTo("space");
    assertThat(e.getMessage()).contains("branin", "exactly 2", "the space has 3");
    assertThat(refused(new Branin(), Problems.floats(1, 0, 1, "loss"), Map.of()).field()).isEqualTo("space");
  }

  @Test
  void hartmann6NeedsExactlySix() {
    ConfigException e = refused(new Hartmann6(), Problems.floats(5, 0, 1, "loss"), Map.of());
    assertThat(e.field()).isEqualTo("space");
    assertThat(e.getMessage()).contains("hartmann6", "exactly 6", "the space has 5");
    new Hartmann6().create(Problems.floats(6, 0, 1, "loss"), Map.of());
  }

  @Test
  void ackleyTakesAnyPositiveDimensionAndRosenbrockAtLeastTwo() {
    new Ackley().create(Problems.floats(1, -1, 1, "loss"), Map.of());
    new Ackley().create(Problems.floats(20, -1, 1, "loss"), Map.of());
    assertThat(refused(new Ackley(), Problems.floats(0, -1, 1, "loss"), Map.of()).getMessage())
        .contains("at least 1");
    new Rosenbrock().create(Problems.floats(2, -1, 1, "loss"), Map.of());
    ConfigException e = refused(new Rosenbrock(), Problems.floats(1, -1, 1, "loss"), Map.of());
    assertThat(e.field()).isEqualTo("space");
    assertThat(e.getMessage()).contains("rosenbrock", "at least 2", "the space has 1");
  }

  @Test
  void categoricalAndFixedParametersDoNotCount() throws Exception {
    // a fixed parameter with a numeric value is the case that could be miscounted as a third input
    List<Parameter> ps = List.of(Problems.real("a", -5, 10),
        new CategoricalParameter("c", List.of("x", "y"), Optional.empty()),
        new FixedParameter("version", 7.5, Optional.empty()), Problems.real("b", 0, 15));
    Map<String, Double> out = new Branin().create(Problems.problem(ps, "loss"), Map.of())
        .evaluate(Map.of("a", Math.PI, "c", "y", "version", 7.5, "b", 2.275), new FixedContext(List.of("loss"), 1));
    assertThat(out.get("loss")).as("branin at its minimum (pi, 2.275): the inputs are a and b only")
        .isCloseTo(0.397887, within(1e-6));
    // the same space with the fixed parameter made numeric is refused: counting is what the test checks
    List<Parameter> three = List.of(Problems.real("a", -5, 10), Problems.real("version", 0, 10),
        Problems.real("b", 0, 15));
    assertThat(refused(new Branin(), Problems.problem(three, "loss"), Map.of()).getMessage())
        .contains("the space has 3");
  }

  @Test
  void conditionalNumericParametersAreRefused() {
    List<Parameter> ps = List.of(
        new CategoricalParameter("c", List.of("x", "y"), Optional.empty()),
        Problems.real("a", -5, 10),
        new FloatParameter("b", 0, 15, false, OptionalDouble.empty(),
            Optional.of(new Condition(Map.of("c", List.of("x"))))));
    ConfigException e = refused(new Branin(), Problems.problem(ps, "loss"), Map.of());
    assertThat(e.field()).isEqualTo("space");
    assertThat(e.getMessage()).contains("'b'", "condition");
  }

  @Test
  void singleObjectiveFunctionsNeedExactlyOneObjective() {
    for (BenchmarkProvider p : List.of(new Branin(), new Hartmann6(), new Ackley(), new Rosenbrock())) {
      int d = p instanceof Hartmann6 ? 6 : 2;
      ConfigException e = refused(p, Problems.floats(d, 0, 1, "a", "b"), Map.of());
      assertThat(e.field()).isEqualTo("objectives");
      assertThat(e.getMessage()).contains(p.name(), "single-objective", "exactly 1", "it has 2");
    }
  }

  @Test
  void zdtNeedsTwoObjectivesAndTwoInputsInTheUnitCube() {
    for (BenchmarkProvider p : List.of(new Zdt1(), new Zdt2(), new Zdt3())) {
      p.create(Problems.floats(2, 0, 1, "f1", "f2"), Map.of());
      ConfigException one = refused(p, Problems.floats(3, 0, 1, "f"), Map.of());
      assertThat(one.field()).isEqualTo("objectives");
      assertThat(one.getMessage()).contains(p.name(), "exactly 2", "it has 1");
      assertThat(refused(p, Problems.floats(3, 0, 1, "a", "b", "c"), Map.of()).field()).isEqualTo("objectives");
      ConfigException dim = refused(p, Problems.floats(1, 0, 1, "f1", "f2"), Map.of());
      assertThat(dim.field()).isEqualTo("space");
      assertThat(dim.getMessage()).contains("at least 2");
      ConfigException range = refused(p, Problems.floats(2, -1, 1, "f1", "f2"), Map.of());
      assertThat(range.field()).isEqualTo("space");
      assertThat(range.getMessage()).contains("[0, 1]", "'x0'", "not rescaled");
    }
  }

  @Test
  void dtlz2NeedsTwoOrMoreObjectivesAndAtLeastAsManyInputs() {
    Dtlz2 d = new Dtlz2();
    d.create(Problems.floats(3, 0, 1, "a", "b", "c"), Map.of());
    d.create(Problems.floats(12, 0, 1, "a", "b", "c"), Map.of());
    ConfigException few = refused(d, Problems.floats(2, 0, 1, "a", "b", "c"), Map.of());
    assertThat(few.field()).isEqualTo("space");
    assertThat(few.getMessage()).contains("dtlz2", "at least 3", "3 objectives", "the space has 2");
    ConfigException single = refused(d, Problems.floats(4, 0, 1, "a"), Map.of());
    assertThat(single.field()).isEqualTo("objectives");
    assertThat(single.getMessage()).contains("at least 2", "has 1");
  }

  @Test
  void intParametersCountAsNumeric() throws Exception {
    List<Parameter> ps = List.of(new IntParameter("i", 0, 1, false, 1, Optional.empty()), Problems.real("r", 0, 1));
    StudyProblem problem = Problems.problem(ps, "f1", "f2");
    var out = new Zdt1().create(problem, Map.of())
        .evaluate(Map.of("i", 1L, "r", 0.0), new FixedContext(List.of("f1", "f2"), 0));
    assertThat(out).containsEntry("f1", 1.0).containsEntry("f2", 0.0);
  }

  @Test
  void unknownAndInvalidOptionsAreRefused() {
    StudyProblem problem = Problems.floats(2, -5, 15, "loss");
    ConfigException typo = refused(new Branin(), problem, Map.of("nosie", 0.1));
    assertThat(typo.field()).isEqualTo("nosie");
    assertThat(typo.getMessage()).contains("unknown option", "noise", "seed");
    ConfigException negative = refused(new Branin(), problem, Map.of("noise", -1.0));
    assertThat(negative.field()).isEqualTo("noise");
    assertThat(negative.getMessage()).contains(">= 0");
    assertThat(refused(new Branin(), problem, Map.of("noise", "a lot")).field()).isEqualTo("noise");
    assertThat(refused(new Branin(), problem, Map.of("seed", 1.5)).field()).isEqualTo("seed");
  }

  @Test
  void missingOrNonNumericParameterFailsTheTrialWithAClearMessage() {
    var evaluator = new Branin().create(Problems.floats(2, -5, 15, "loss"), Map.of());
    FixedContext ctx = new FixedContext(List.of("loss"), 0);
    assertThatThrownBy(() -> evaluator.evaluate(Map.of("x0", 1.0), ctx)).hasMessageContaining("'x1' is missing");
    assertThatThrownBy(() -> evaluator.evaluate(Map.of("x0", 1.0, "x1", "two"), ctx))
        .hasMessageContaining("'x1' must be a number");
  }
}
