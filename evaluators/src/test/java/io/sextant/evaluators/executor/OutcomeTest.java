package io.sextant.evaluators.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeTest {
  @Test
  void theNulCharacterThatTheServerRefusesIsReplacedInReasonsAndMetricNames() {
    LeaseRef ref = new LeaseRef(7, 1);
    assertThat(Outcome.failed(ref, "exit 1: \u0000\u0000binary junk").reason()).isEqualTo("exit 1: \uFFFD\uFFFDbinary junk");
    assertThat(Outcome.failed(ref, "plain").reason()).isEqualTo("plain");
    Outcome done = new Outcome(ref, Map.of("lo\u0000ss", 1.5, "acc", 0.9), null);
    assertThat(done.values()).containsExactlyInAnyOrderEntriesOf(Map.of("lo\uFFFDss", 1.5, "acc", 0.9));
    assertThatThrownBy(() -> new Outcome(ref, null, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
