package io.sextant.evaluators.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.study.StudyProblem;
import io.sextant.evaluators.spi.Evaluator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NoopTest {
  private static final StudyProblem TWO = Problems.floats(2, 0, 10, "loss", "cost");

  @Test
  void returnsTheParameterDerivedValuePlusTheObjectiveIndex() throws Exception {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("x0", 1.5);
    params.put("x1", 2L);
    Map<String, Double> out = new Noop().create(TWO, Map.of())
        .evaluate(params, new FixedContext(List.of("loss", "cost"), 3));
    assertThat(out).containsExactly(Map.entry("loss", 3.5), Map.entry("cost", 4.5));
  }

  @Test
  void valueHashesNonNumericValuesIntoTheUnitIntervalIndependentlyOfOrder() {
    double v = Noop.value(Map.of("kind", "adam", "x", 1.0, "flag", true));
    assertThat(v).isBetween(1.0, 3.0);
    Map<String, Object> reversed = new LinkedHashMap<>();
    reversed.put("x", 1.0);
    reversed.put("kind", "adam");
    reversed.put("flag", true);
    assertThat(Noop.value(reversed)).isEqualTo(v);
    assertThat(Noop.value(Map.of("kind", "sgd", "x", 1.0, "flag", true))).isNotEqualTo(v);
  }

  @Test
  void failsIsDeterministicAndHitsRoughlyTheRate() {
    int failures = 0;
    for (long t = 0; t < 2000; t++) {
      Map<String, Object> p = Map.of("x", (double) (t % 7), "k", "c" + (t % 3));
      boolean f = Noop.fails(t, p, 0.3);
      assertThat(Noop.fails(t, p, 0.3)).isEqualTo(f);
      failures += f ? 1 : 0;
    }
    // Binomial(2000, 0.3) has sd 20.5; +-100 is ~5 sd, and the hash is fixed so this never flakes.
    assertThat(failures).isBetween(500, 700);
    assertThat(Noop.fails(1, Map.of("x", 1.0), 0)).isFalse();
    assertThat(Noop.fails(1, Map.of("x", 1.0), 1)).isTrue();
    assertThat(Noop.fails(5, Map.of("x", 1L), 0.5)).isEqualTo(Noop.fails(5, Map.of("x", 1.0), 0.5));
  }

  @Test
  void predictedFailuresThrowWithAClearMessage() throws Exception {
    Evaluator e = new Noop().create(TWO, Map.of("failRate", 0.5));
    int failed = 0;
    for (long t = 0; t < 40; t++) {
      Map<String, Object> p = Problems.params(t, 1);
      FixedContext ctx = new FixedContext(List.of("loss", "cost"), t);
      if (Noop.fails(t, p, 0.5)) {
        failed++;
        long trial = t;
        assertThatThrownBy(() -> e.evaluate(p, ctx))
            .hasMessageContaining("simulated failure of trial " + trial);
      } else {
        assertThat(e.evaluate(p, ctx)).containsKeys("loss", "cost");
      }
    }
    assertThat(failed).isBetween(1, 39);
  }

  @Test
  void sleepsAndReportsThenFinishes() throws Exception {
    Evaluator e = new Noop().create(TWO, Map.of("sleepMs", 120, "reportEveryMs", 20));
    FixedContext ctx = new FixedContext(List.of("loss", "cost"), 0);
    long t0 = System.nanoTime();
    e.evaluate(Problems.params(1, 1), ctx);
    assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(120));
    assertThat(ctx.reportedSteps).isNotEmpty().startsWith(1L);
  }

  @Test
  void stopsPromptlyWhenAskedToStop() throws Exception {
    Evaluator e = new Noop().create(TWO, Map.of("sleepMs", 600_000, "reportEveryMs", 0));
    FixedContext ctx = new FixedContext(List.of("loss", "cost"), 0);
    CompletableFuture<Map<String, Double>> run = CompletableFuture.supplyAsync(() -> {
      try {
        return e.evaluate(Problems.params(1, 1), ctx);
      } catch (Exception ex) {
        throw new RuntimeException(ex);
      }
    });
    Thread.sleep(50);
    ctx.stop();
    assertThat(run.get(10, TimeUnit.SECONDS)).containsKeys("loss", "cost");
  }

  @Test
  void stopsWhenAReportAnswersStop() throws Exception {
    Evaluator e = new Noop().create(TWO, Map.of("sleepMs", 600_000, "reportEveryMs", 10));
    FixedContext ctx = new FixedContext(List.of("loss", "cost"), 0);
    ctx.stopOnReport = true;
    e.evaluate(Problems.params(1, 1), ctx);
    assertThat(ctx.reportedSteps).containsExactly(1L);
  }

  @Test
  void invalidConfigIsRefused() {
    assertThat(refused(Map.of("failRate", 1.5)).field()).isEqualTo("failRate");
    assertThat(refused(Map.of("failRate", -0.1)).getMessage()).contains("between 0 and 1");
    assertThat(refused(Map.of("sleepMs", -1)).field()).isEqualTo("sleepMs");
    assertThat(refused(Map.of("sleepMs", 0.5)).field()).isEqualTo("sleepMs");
    assertThat(refused(Map.of("reportEveryMs", -5)).field()).isEqualTo("reportEveryMs");
    ConfigException typo = refused(Map.of("sleep", 10));
    assertThat(typo.field()).isEqualTo("sleep");
    assertThat(typo.getMessage()).contains("unknown option", "sleepMs");
  }

  private static ConfigException refused(Map<String, Object> config) {
    return catchThrowableOfType(ConfigException.class, () -> new Noop().create(TWO, config));
  }
}
