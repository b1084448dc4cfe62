package io.sextant.engine.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
  private static Optional<Condition> when(String parent, Object... values) {
    return Optional.of(new Condition(Map.of(parent, List.of(values))));
  }

  private static final SearchSpace SPACE = new SearchSpace(List.of(
      new CategoricalParameter("optimizer", List.of("sgd", "adam"), Optional.empty()),
      new FloatParameter("lr", 1e-4, 1.0, true, OptionalDouble.empty(), Optional.empty()),
      new CategoricalParameter("nesterov", List.of(true, false), when("optimizer", "sgd")),
      new FloatParameter("dampening", 0.0, 0.5, false, OptionalDouble.empty(), when("nesterov", false)),
      new FixedParameter("eps", 1e-8, when("optimizer", "adam")),
      new IntParameter("layers", 1, 4, false, 1, Optional.empty()),
      new IntParameter("units", 8, 512, true, 1, when("layers", 3, 4)),
      new FixedParameter("dataset", "mnist", Optional.empty())));

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void samplingDimensionsSkipFixedParameters() {
    assertThat(SPACE.samplingDimensions()).isEqualTo(6);
    assertThat(SearchSpace.EMPTY.samplingDimensions()).isZero();
    assertThat(SearchSpace.EMPTY.fromUnit(new double[0])).isEmpty();
  }

  @Test
  void fromUnitActivatesChildrenOnlyWhenTheirParentMatches() {
    // coordinates: optimizer, lr, nesterov, dampening, layers, units
    Map<String, Object> sgd = SPACE.fromUnit(new double[] {0.1, 0.5, 0.9, 0.0, 0.9, 0.0});
    assertThat(sgd).containsOnlyKeys("optimizer", "lr", "nesterov", "dampening", "layers", "units", "dataset");
    assertThat(sgd).containsEntry("nesterov", false).containsEntry("dampening", 0.0).containsEntry("layers", 4L)
        .containsEntry("units", 8L).containsEntry("dataset", "mnist");
    Map<String, Object> sgdNesterov = SPACE.fromUnit(new double[] {0.1, 0.5, 0.1, 0.7, 0.1, 0.7});
    assertThat(sgdNesterov).containsOnlyKeys("optimizer", "lr", "nesterov", "layers", "dataset");
    Map<String, Object> adam = SPACE.fromUnit(new double[] {0.9, 0.5, 0.1, 0.5, 0.6, 0.5});
    assertThat(adam).containsOnlyKeys("optimizer", "lr", "eps", "layers", "units", "dataset");
    assertThat(adam).containsEntry("eps", 1e-8).containsEntry("layers", 3L);
    assertThat(SPACE.validate(sgd)).isEqualTo(sgd);
    assertThat(SPACE.validate(adam)).isEqualTo(adam);
    assertThatThrownBy(() -> SPACE.fromUnit(new double[3])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void samplesAreAlwaysValid() {
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < 500; i++) {
      Map<String, Object> a = SPACE.sample(rng);
      assertThat(SPACE.validate(a)).isEqualTo(a);
      assertThat(SPACE.contains(a)).isTrue();
    }
  }

  @Test
  void validateNormalizesAndFillsFixedValues() {
    Map<String, Object> in = map("optimizer", "adam", "lr", 1, "layers", 2.0);
    assertThat(SPACE.validate(in)).containsExactly(
        Map.entry("optimizer", "adam"), Map.entry("lr", 1.0), Map.entry("eps", 1e-8), Map.entry("layers", 2L),
        Map.entry("dataset", "mnist"));
  }

  @Test
  void validateErrorsNameTheParameter() {
    assertField(map("optimizer", "adam", "lr", 2.0, "layers", 1), "params.lr");
    assertField(map("optimizer", "adam", "lr", Double.NaN, "layers", 1), "params.lr");
    assertField(map("optimizer", "adam", "lr", "0.1", "layers", 1), "params.lr");
    assertField(map("optimizer", "adam", "layers", 1), "params.lr");
    assertField(map("optimizer", "rmsprop", "lr", 0.1, "layers", 1), "params.optimizer");
    assertField(map("optimizer", "adam", "lr", 0.1, "layers", 1.5), "params.layers");
    assertField(map("optimizer", "adam", "lr", 0.1, "layers", 1, "momentum", 0.9), "params.momentum");
    assertField(map("optimizer", "adam", "lr", 0.1, "layers", 1, "dataset", "cifar"), "params.dataset");
    assertField(map("optimizer", "adam", "lr", 0.1, "layers", 1, "nesterov", true), "params.nesterov");
    assertField(map("optimizer", "sgd", "lr", 0.1, "layers", 1), "params.nesterov");
    assertField(map("optimizer", "sgd", "lr", 0.1, "nesterov", true, "dampening", 0.1, "layers", 1),
        "params.dampening");
    assertField(map("optimizer", "sgd", "lr", 0.1, "nesterov", false, "layers", 3), "params.dampening");
    assertField(map("optimizer", "sgd", "lr", 0.1, "nesterov", false, "dampening", 0.1, "layers", 3),
        "params.units");
    Map<String, Object> withNull = new HashMap<>(map("optimizer", "adam", "lr", 0.1));
    withNull.put("layers", null);
    assertField(withNull, "params.layers");
  }

  @Test
  void conditionValuesAreNormalizedSoIntegerParentsMatch() {
    Condition c = new Condition(Map.of("layers", List.of(3, 4.0)));
    assertThat(c.parentValues().get("layers")).containsExactly(3L, 4L);
    assertThat(c.holds(Map.of("layers", 3L))).isTrue();
    assertThat(c.holds(Map.of("layers", 4L))).isTrue();
    assertThat(c.holds(Map.of("layers", 2L))).isFalse();
    assertThat(c.holds(Map.of())).as("inactive parent").isFalse();
  }

  @Test
  void duplicateNamesAreRejectedAtTheSecondOccurrence() {
    assertThatThrownBy(() -> new SearchSpace(List.of(
        new IntParameter("a", 0, 1, false, 1, Optional.empty()),
        new FloatParameter("a", 0, 1, false, OptionalDouble.empty(), Optional.empty()))))
        .isInstanceOfSatisfying(SpaceException.class, e -> {
          assertThat(e.field()).isEqualTo("parameters[1].name");
          assertThat(e.getMessage()).contains("'a'");
        });
    assertThatThrownBy(() -> new SearchSpace(List.of(new FixedParameter(" ", 1, Optional.empty()))))
        .isInstanceOfSatisfying(SpaceException.class, e -> assertThat(e.field()).isEqualTo("parameters[0].name"));
  }

  @Test
  void conditionsMustReferToEarlierParentsAndLegalValues() {
    assertThatThrownBy(() -> new SearchSpace(List.of(
        new FloatParameter("child", 0, 1, false, OptionalDouble.empty(), when("parent", "x")),
        new CategoricalParameter("parent", List.of("x", "y"), Optional.empty()))))
        .isInstanceOfSatisfying(SpaceException.class, e -> {
          assertThat(e.field()).isEqualTo("parameters[0].when");
          assertThat(e.getMessage()).contains("parent");
        });
    assertThatThrownBy(() -> new SearchSpace(List.of(
        new CategoricalParameter("parent", List.of("x", "y"), Optional.empty()),
        new FloatParameter("child", 0, 1, false, OptionalDouble.empty(), when("parent", "z")))))
        .isInstanceOfSatisfying(SpaceException.class,
            e -> assertThat(e.field()).isEqualTo("parameters[1].when.parent"));
    assertThatThrownBy(() -> new SearchSpace(List.of(
        new CategoricalParameter("parent", List.of("x", "y"), Optional.empty()),
        new FloatParameter("child", 0, 1, false, OptionalDouble.empty(),
            Optional.of(new Condition(Map.of("parent", List.of())))))))
        .isInstanceOfSatisfying(SpaceException.class,
            e -> assertThat(e.field()).isEqualTo("parameters[1].when.parent"));
    assertThatThrownBy(() -> new SearchSpace(List.of(
        new FloatParameter("self", 0, 1, false, OptionalDouble.empty(), when("self", 0.5)))))
        .isInstanceOfSatisfying(SpaceException.class, e -> assertThat(e.field()).isEqualTo("parameters[0].when"));
  }

  @Test
  void spaceExceptionCanBePrefixed() {
    SpaceException e = new SpaceException("low", "bad").within("parameters[2]");
    assertThat(e.field()).isEqualTo("parameters[2].low");
    assertThat(e.getMessage()).isEqualTo("bad");
    assertThat(new SpaceException("", "x").within("space").field()).isEqualTo("space");
  }

  private static void assertField(Map<String, ?> assignment, String field) {
    assertThatThrownBy(() -> SPACE.validate(assignment))
        .as("%s", assignment)
        .isInstanceOfSatisfying(SpaceException.class, e -> assertThat(e.field()).isEqualTo(field));
  }
}
