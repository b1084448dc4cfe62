package io.sextant.engine.stopping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.study.Direction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoppingRulesTest {
  private static final List<double[]> NONE = List.of();

  @Test
  void medianStopsWhenTheBestSoFarIsWorseThanTheMedianOfCompletedPeers() {
    MedianStoppingRule r = new MedianStoppingRule(3, 0, 1);
    List<Double> peers = List.of(1.0, 2.0, 3.0, 10.0); // median 2.5
    assertThat(r.shouldStop(Direction.MINIMIZE, 5, 3.0, NONE, peers, 4)).isTrue();
    assertThat(r.shouldStop(Direction.MINIMIZE, 5, 2.0, NONE, peers, 4)).isFalse();
    // the best value so far counts, not the latest one
    assertThat(r.shouldStop(Direction.MINIMIZE, 5, 3.0, List.of(new double[] {4, 1.5}), peers, 4)).isFalse();
    // maximization flips the comparison
    assertThat(r.shouldStop(Direction.MAXIMIZE, 5, 3.0, NONE, peers, 4)).isFalse();
    assertThat(r.shouldStop(Direction.MAXIMIZE, 5, 2.0, NONE, peers, 4)).isTrue();
    // not before enough trials finished, nor without peers
    assertThat(r.shouldStop(Direction.MINIMIZE, 5, 100.0, NONE, peers, 2)).isFalse();
    assertThat(r.shouldStop(Direction.MINIMIZE, 5, 100.0, NONE, List.of(), 4)).isFalse();
  }

  @Test
  void medianRespectsWarmupAndInterval() {
    MedianStoppingRule r = new MedianStoppingRule(0, 10, 5);
    List<Double> peers = List.of(0.0);
    assertThat(r.shouldStop(Direction.MINIMIZE, 9, 1.0, NONE, peers, 1)).isFalse();
    assertThat(r.shouldStop(Direction.MINIMIZE, 12, 1.0, NONE, peers, 1)).isFalse();
    assertThat(r.shouldStop(Direction.MINIMIZE, 15, 1.0, NONE, peers, 1)).isTrue();
  }

  @Test
  void ashaKeepsTheTopThirdAtEachRung() {
    SuccessiveHalvingRule r = new SuccessiveHalvingRule(1, 3);
    assertThat(r.decidesAt(1)).isTrue();
    assertThat(r.decidesAt(3)).isTrue();
    assertThat(r.decidesAt(9)).isTrue();
    assertThat(r.decidesAt(2)).isFalse();
    assertThat(r.decidesAt(10)).isFalse();
    // fewer than eta values at the rung: continue
    assertThat(r.shouldStop(Direction.MINIMIZE, 3, 5.0, NONE, List.of(1.0), 0)).isFalse();
    // 6 values incl. this one: top 2 promoted
    List<Double> peers = List.of(1.0, 2.0, 3.0, 4.0, 5.0);
    assertThat(r.shouldStop(Direction.MINIMIZE, 3, 1.5, NONE, peers, 0)).isFalse();
    assertThat(r.shouldStop(Direction.MINIMIZE, 3, 2.5, NONE, peers, 0)).isTrue();
    assertThat(r.shouldStop(Direction.MAXIMIZE, 3, 4.5, NONE, peers, 0)).isFalse();
    assertThat(r.shouldStop(Direction.MINIMIZE, 4, 100.0, NONE, peers, 0)).isFalse();
  }

  @Test
  void configIsValidatedNamingTheOption() {
    assertThat(StoppingRules.of(Map.of())).isInstanceOf(StoppingRule.Never.class);
    assertThat(StoppingRules.of(Map.of("rule", "median", "startupTrials", 2)))
        .isEqualTo(new MedianStoppingRule(2, 0, 1));
    assertThat(StoppingRules.of(Map.of("rule", "asha", "eta", 4))).isEqualTo(new SuccessiveHalvingRule(1, 4));
    assertThatThrownBy(() -> StoppingRules.of(Map.of("rule", "hyperband")))
        .isInstanceOf(ConfigException.class).extracting("field").isEqualTo("rule");
    assertThatThrownBy(() -> StoppingRules.of(Map.of("rule", "asha", "eta", 1)))
        .isInstanceOf(ConfigException.class).extracting("field").isEqualTo("eta");
    assertThatThrownBy(() -> StoppingRules.of(Map.of("rule", "median", "minResource", 1)))
        .isInstanceOf(ConfigException.class).extracting("field").isEqualTo("minResource");
  }
}
