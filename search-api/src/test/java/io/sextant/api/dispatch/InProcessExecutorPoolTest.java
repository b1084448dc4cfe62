package io.sextant.api.dispatch;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.evaluators.spi.Evaluators;
import org.junit.jupiter.api.Test;

/**
 * A bad {@code sextant.executor.in-process.pool} stops the server at start-up, naming the property and the rule,
 * before the in-process executor registers anywhere (a plain unit test: the check comes before any use of dispatch).
 */
class InProcessExecutorPoolTest {
  @Test
  void aBadInProcessPoolNameIsRefusedNamingTheProperty() {
    for (String bad : new String[] {"a b", "-x", "x".repeat(65), "gpu/a100"}) {
      assertThatThrownBy(() -> new InProcessExecutor(null, Evaluators.load(), 1, "/tmp", 1, false, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("sextant.executor.in-process.pool").hasMessageContaining("1 to 64 letters");
    }
  }
}
