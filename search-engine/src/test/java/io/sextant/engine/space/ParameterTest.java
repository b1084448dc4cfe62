package io.sextant.engine.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ParameterTest {
  private static FloatParameter floatParam(double low, double high, boolean log, OptionalDouble step) {
    return new FloatParameter("x", low, high, log, step, Optional.empty());
  }

  @Test
  void linearFloatMapsTheUnitIntervalOntoItsRange() {
    FloatParameter p = floatParam(-2, 6, false, OptionalDouble.empty());
    assertThat(p.fromUnit(0.0)).isEqualTo(-2.0);
    assertThat(p.fromUnit(0.25)).isEqualTo(0.0);
    assertThat(p.fromUnit(0.5)).isEqualTo(2.0);
    assertThat((Double) p.fromUnit(Math.nextDown(1.0))).isLessThanOrEqualTo(6.0).isCloseTo(6.0, within(1e-12));
  }

  @Test
  void logFloatIsUniformInTheLogarithm() {
    FloatParameter p = floatParam(1e-4, 1.0, true, OptionalDouble.empty());
    assertThat((Double) p.fromUnit(0.0)).isCloseTo(1e-4, within(1e-18));
    assertThat((Double) p.fromUnit(0.25)).isCloseTo(1e-3, within(1e-15));
    assertThat((Double) p.fromUnit(0.5)).isCloseTo(1e-2, within(1e-14));
    assertThat((Double) p.fromUnit(0.75)).isCloseTo(1e-1, within(1e-13));
    for (double u = 0; u < 1; u += 0.01) {
      assertThat((Double) p.fromUnit(u)).isBetween(1e-4, 1.0);
    }
  }

  @Test
  void steppedFloatGivesEqualMassToEachGridPoint() {
    FloatParameter p = floatParam(0.0, 1.0, false, OptionalDouble.of(0.25));
    assertThat(p.gridSize()).isEqualTo(5);
    assertThat(p.fromUnit(0.0)).isEqualTo(0.0);
    assertThat(p.fromUnit(0.19)).isEqualTo(0.0);
    assertThat(p.fromUnit(0.2)).isEqualTo(0.25);
    assertThat(p.fromUnit(0.5)).isEqualTo(0.5);
    assertThat(p.fromUnit(0.99)).isEqualTo(1.0);
    assertThat(p.contains(0.75)).isTrue();
    assertThat(p.contains(0.7)).isFalse();
    // A step that does not divide the range: grid 0, 0.3, 0.6, 0.9 (1.0 is not on it).
    FloatParameter q = floatParam(0.0, 1.0, false, OptionalDouble.of(0.3));
    assertThat(q.gridSize()).isEqualTo(4);
    assertThat((Double) q.fromUnit(0.99)).isCloseTo(0.9, within(1e-12));
    assertThat(q.contains(1.0)).isFalse();
    // Floating-point grid values like 0.1 * 3 are recognised.
    FloatParameter r = floatParam(0.1, 0.5, false, OptionalDouble.of(0.1));
    assertThat(r.gridSize()).isEqualTo(5);
    for (int k = 0; k < 5; k++) {
      assertThat(r.contains(r.fromUnit((k + 0.5) / 5))).isTrue();
    }
  }

  @Test
  void intParameterGivesEqualMassPerValueAndRespectsTheStep() {
    IntParameter p = new IntParameter("n", 1, 4, false, 1, Optional.empty());
    assertThat(List.of(p.fromUnit(0.0), p.fromUnit(0.24), p.fromUnit(0.25), p.fromUnit(0.5), p.fromUnit(0.999)))
        .containsExactly(1L, 1L, 2L, 3L, 4L);
    IntParameter s = new IntParameter("batch", 32, 256, false, 32, Optional.empty());
    assertThat(s.gridSize()).isEqualTo(8);
    assertThat(s.fromUnit(0.0)).isEqualTo(32L);
    assertThat(s.fromUnit(0.999)).isEqualTo(256L);
    assertThat(s.contains(96L)).isTrue();
    assertThat(s.contains(100L)).isFalse();
    assertThat(s.contains(96)).as("only normalized Long values").isFalse();
    IntParameter odd = new IntParameter("k", 0, 10, false, 3, Optional.empty());
    assertThat(odd.gridSize()).isEqualTo(4);
    assertThat(odd.fromUnit(0.999)).isEqualTo(9L);
  }

  /**
   * Log-scale integers: uniform in log over [low - 0.5, high + 0.5], then rounded, so value v gets mass
   * log((v + 0.5) / (v - 0.5)) / log((high + 0.5) / (low - 0.5)). Measured on a grid of 10^6 u values, each
   * boundary costs at most 1e-6 of error.
   */
  @Test
  void logIntGivesEachIntegerItsLogWidthOfMass() {
    IntParameter p = new IntParameter("n", 1, 100, true, 1, Optional.empty());
    int grid = 1_000_000;
    Map<Long, Integer> counts = new HashMap<>();
    for (int i = 0; i < grid; i++) {
      counts.merge((Long) p.fromUnit((i + 0.5) / grid), 1, Integer::sum);
    }
    assertThat(counts).hasSize(100);
    double total = Math.log(100.5 / 0.5);
    for (long v : new long[] {1, 2, 3, 10, 50, 100}) {
      double expected = Math.log((v + 0.5) / (v - 0.5)) / total;
      assertThat(counts.get(v) / (double) grid).as("mass of %d", v).isCloseTo(expected, within(3e-6));
    }
    assertThat(p.fromUnit(0.0)).isEqualTo(1L);
    assertThat(p.fromUnit(Math.nextDown(1.0))).isEqualTo(100L);
  }

  @Test
  void categoricalNormalizesChoicesAndSplitsTheIntervalEvenly() {
    CategoricalParameter c = new CategoricalParameter("c", List.of("a", 1, 2.5, true), Optional.empty());
    assertThat(c.choices()).containsExactly("a", 1L, 2.5, true);
    assertThat(List.of(c.fromUnit(0.0), c.fromUnit(0.26), c.fromUnit(0.5), c.fromUnit(0.9999)))
        .containsExactly("a", 1L, 2.5, true);
    assertThat(c.contains(1.0)).isTrue();
    assertThat(c.contains(1)).isTrue();
    assertThat(c.contains("b")).isFalse();
    assertThat(c.indexOf(2.5)).isEqualTo(2);
    assertThat(c.indexOf(new Object())).isEqualTo(-1);
  }

  @Test
  void invalidParametersNameTheField() {
    assertField(() -> floatParam(1, 1, false, OptionalDouble.empty()), "low");
    assertField(() -> floatParam(Double.NaN, 1, false, OptionalDouble.empty()), "low");
    assertField(() -> floatParam(0, 1, true, OptionalDouble.empty()), "low");
    assertField(() -> floatParam(0, 1, false, OptionalDouble.of(2)), "step");
    assertField(() -> floatParam(0, 1, false, OptionalDouble.of(-0.1)), "step");
    assertField(() -> new IntParameter("n", 5, 5, false, 1, Optional.empty()), "low");
    assertField(() -> new IntParameter("n", 1, 9, true, 2, Optional.empty()), "step");
    assertField(() -> new IntParameter("n", 0, 9, false, 0, Optional.empty()), "step");
    assertField(() -> new IntParameter("n", Long.MIN_VALUE, Long.MAX_VALUE, false, 1, Optional.empty()), "high");
    assertField(() -> new CategoricalParameter("c", List.of(), Optional.empty()), "choices");
    assertField(() -> new CategoricalParameter("c", List.of(1, 1.0), Optional.empty()), "choices");
    assertField(() -> new CategoricalParameter("c", List.of(List.of()), Optional.empty()), "choices");
    assertField(() -> new FixedParameter("f", new Object(), Optional.empty()), "value");
  }

  @Test
  void fixedParameterHasNoSamplingDimension() {
    FixedParameter f = new FixedParameter("f", 3.0, Optional.empty());
    assertThat(f.samplingDimensions()).isZero();
    assertThat(f.value()).isEqualTo(3L);
    assertThat(f.contains(3)).isTrue();
    assertThat(f.contains("3")).isFalse();
    assertThat(f.fromUnit(0.7)).isEqualTo(3L);
  }

  private static void assertField(Runnable r, String field) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(SpaceException.class, e -> assertThat(e.field()).isEqualTo(field));
  }
}
