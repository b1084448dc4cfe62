package io.sextant.engine.designer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionsTest {
  @Test
  void integersAcceptIntegralNumbersOfAnyJsonShape() {
    Options o = new Options(Map.of("a", 3, "b", 4L, "c", 5.0, "d", new BigDecimal("6"), "e", BigInteger.TEN,
        "f", Long.MAX_VALUE));
    assertThat(o.getLong("a", 0)).isEqualTo(3);
    assertThat(o.getLong("b", 0)).isEqualTo(4);
    assertThat(o.getLong("c", 0)).isEqualTo(5);
    assertThat(o.getLong("d", 0)).isEqualTo(6);
    assertThat(o.getLong("e", 0)).isEqualTo(10);
    assertThat(o.getLong("f", 0)).isEqualTo(Long.MAX_VALUE);
    assertThat(o.getLong("missing", -1)).isEqualTo(-1);
  }

  @Test
  void badIntegersAreRejectedNamingTheOption() {
    for (Object bad : new Object[] {1.5, Double.NaN, Double.POSITIVE_INFINITY, 1e19, "1", true,
        BigInteger.ONE.shiftLeft(64)}) {
      assertThatThrownBy(() -> new Options(Map.of("seed", bad)).getLong("seed", 0))
          .as("%s", bad)
          .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo("seed"));
    }
    assertThatThrownBy(() -> new Options(Map.of("n", 11)).getInt("n", 1, 1, 10))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo("n"));
  }

  @Test
  void nullValuesAndUnknownNamesAreRejectedNamingTheOption() {
    Map<String, Object> withNull = new HashMap<>();
    withNull.put("seed", null);
    assertThatThrownBy(() -> new Options(withNull))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo("seed"));
    assertThatThrownBy(() -> new Options(Map.of("sed", 1)).allowOnly(Set.of("seed")))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.field()).isEqualTo("sed");
          assertThat(e.getMessage()).contains("sed").contains("seed");
        });
    assertThat(new Options(null).raw()).isEmpty();
  }

  @Test
  void otherTypedReads() {
    Options o = new Options(Map.of("x", 0.5, "b", true, "s", "ei"));
    assertThat(o.getDouble("x", 0)).isEqualTo(0.5);
    assertThat(o.getBoolean("b", false)).isTrue();
    assertThat(o.getString("s", "ucb", Set.of("ei", "ucb"))).isEqualTo("ei");
    assertThatThrownBy(() -> o.getString("s", "ucb", Set.of("ucb"))).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> o.getBoolean("x", false)).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> new Options(Map.of("x", Double.NaN)).getDouble("x", 0))
        .isInstanceOf(ConfigException.class);
  }
}
