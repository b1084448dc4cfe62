package io.sextant.evaluators.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputLineTest {
  @Test
  void metricsLinesAreRecognisedAndEverythingElseIsText() {
    assertThat(OutputLine.parse("{\"step\": 10, \"values\": {\"loss\": 0.5}}"))
        .isEqualTo(new OutputLine.Intermediate(10, Map.of("loss", 0.5)));
    assertThat(OutputLine.parse("  {\"values\": {\"loss\": NaN, \"b\": \"-Infinity\", \"c\": 2}}  "))
        .isEqualTo(new OutputLine.Final(Map.of("loss", Double.NaN, "b", Double.NEGATIVE_INFINITY, "c", 2.0)));
    assertThat(OutputLine.parse("epoch 3 done")).isInstanceOf(OutputLine.Text.class);
    assertThat(OutputLine.parse("{\"loss\": 1}")).isInstanceOf(OutputLine.Text.class);
    assertThat(OutputLine.parse("{not json}")).isInstanceOf(OutputLine.Text.class);
    assertThat(OutputLine.parse("[1, 2]")).isInstanceOf(OutputLine.Text.class);
  }

  @Test
  void brokenMetricsLinesAreInvalid() {
    assertThat(OutputLine.parse("{\"step\": 1.5, \"values\": {\"loss\": 1}}")).isInstanceOf(OutputLine.Invalid.class);
    assertThat(OutputLine.parse("{\"step\": -1, \"values\": {}}")).isInstanceOf(OutputLine.Invalid.class);
    assertThat(OutputLine.parse("{\"values\": [1]}")).isInstanceOf(OutputLine.Invalid.class);
    assertThat(OutputLine.parse("{\"values\": {\"a\": null}}")).isInstanceOf(OutputLine.Invalid.class);
    assertThat(OutputLine.parse("{\"values\": {}, \"epoch\": 3}")).isInstanceOf(OutputLine.Invalid.class);
  }

  @Test
  void parameterVariablesAreSanitisedAndCollisionsLeftOut() {
    assertThat(CommandRun.variable("learning-rate.x")).isEqualTo("SEXTANT_PARAM_LEARNING_RATE_X");
    assertThat(CommandRun.paramVariables(Map.of("lr", 0.5, "LR", 1L, "n", 3L, "inf", Double.POSITIVE_INFINITY)))
        .isEqualTo(Map.of("SEXTANT_PARAM_N", "3", "SEXTANT_PARAM_INF", "Infinity"));
  }

  @Test
  void tailBufferKeepsTheLastBytesWithoutACutCharacter() {
    TailBuffer t = new TailBuffer(5);
    byte[] b = "abcé€".getBytes(java.nio.charset.StandardCharsets.UTF_8); // 3 + 2 + 3 bytes
    t.write(b, 0, b.length);
    assertThat(t.text()).isEqualTo("é€");
    t.write(b, 0, 1);
    assertThat(t.text()).isEqualTo("€a"); // the cut é is dropped
    assertThat(new TailBuffer(0).text()).isEmpty();
  }

  @Test
  void theCommandEvaluatorIsRegisteredAndCanBeFilteredOut() {
    io.sextant.evaluators.spi.Evaluators all = io.sextant.evaluators.spi.Evaluators.load();
    assertThat(all.find("command")).get().isInstanceOf(CommandProvider.class);
    io.sextant.evaluators.spi.Evaluators safe = all.filter(n -> !n.equals("command"));
    assertThat(safe.find("command")).isEmpty();
    assertThat(safe.find("noop")).isPresent();
  }
}
