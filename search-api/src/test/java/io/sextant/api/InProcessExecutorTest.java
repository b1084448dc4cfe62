package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Studies with a built-in evaluator run to the end on the in-process executor; leases expire and are retried. */
class InProcessExecutorTest extends ApiTestBase {
  private JsonNode awaitState(long id, String state, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    JsonNode s;
    do {
      s = http.get("/api/v1/studies/" + id).json();
      if (s.get("state").asString().equals(state)) {
        return s;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < end);
    return s;
  }

  @Test
  void braninStudyRunsToCompletionWithoutAnyClient() throws Exception {
    Map<String, Object> body = Map.of(
        "name", unique("branin"),
        "space", Map.of("parameters", List.of(
            Map.of("name", "x1", "type", "float", "low", -5, "high", 10),
            Map.of("name", "x2", "type", "float", "low", 0, "high", 15))),
        "objectives", List.of(Map.of("metric", "loss")),
        "algorithm", Map.of("name", "sobol", "options", Map.of("seed", 3)),
        "evaluator", Map.of("name", "branin"),
        "limits", Map.of("maxTrials", 30, "maxParallel", 2));
    long id = create(body);
    JsonNode s = awaitState(id, "COMPLETED", Duration.ofSeconds(180));
    assertThat(s.get("state").asString()).isEqualTo("COMPLETED");
    assertThat(s.get("trialCounts").get("COMPLETED").asLong()).isEqualTo(30);
    JsonNode best = http.get("/api/v1/studies/" + id + "/best").json();
    double x1 = best.get("params").get("x1").asDouble();
    double x2 = best.get("params").get("x2").asDouble();
    double expected = Math.pow(x2 - 5.1 / (4 * Math.PI * Math.PI) * x1 * x1 + 5 / Math.PI * x1 - 6, 2)
        + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
    assertThat(best.get("values").get("loss").asDouble()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(best.get("executorId").isNull()).isFalse();
  }

  @Test
  void zdt1StudyBuildsAParetoFront() throws Exception {
    List<Map<String, Object>> params = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      params.add(Map.of("name", "x" + i, "type", "float", "low", 0, "high", 1));
    }
    long id = create(Map.of("name", unique("zdt1"), "space", Map.of("parameters", params),
        "objectives", List.of(Map.of("metric", "f1"), Map.of("metric", "f2")),
        "evaluator", Map.of("name", "zdt1"), "limits", Map.of("maxTrials", 40)));
    assertThat(awaitState(id, "COMPLETED", Duration.ofSeconds(180)).get("state").asString()).isEqualTo("COMPLETED");
    JsonNode front = http.get("/api/v1/studies/" + id + "/pareto").json().get("trials");
    assertThat(front.size()).isBetween(1, 40);
    for (JsonNode a : front) {
      for (JsonNode b : front) {
        boolean dominates = a.get("values").get("f1").asDouble() <= b.get("values").get("f1").asDouble()
            && a.get("values").get("f2").asDouble() <= b.get("values").get("f2").asDouble()
            && (a.get("values").get("f1").asDouble() < b.get("values").get("f1").asDouble()
                || a.get("values").get("f2").asDouble() < b.get("values").get("f2").asDouble());
        assertThat(dominates).isFalse();
      }
    }
  }

  @Test
  void failingEvaluationsAreRetriedUpToMaxAttempts() throws Exception {
    long id = create(Map.of("name", unique("noop-fail"),
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "y")),
        "evaluator", Map.of("name", "noop", "config", Map.of("failRate", 1.0)),
        "limits", Map.of("maxTrials", 3, "maxAttempts", 2)));
    // every trial failed, so the study ends FAILED (it waited 180 s for a COMPLETED that never comes)
    JsonNode s = awaitState(id, "FAILED", Duration.ofSeconds(180));
    assertThat(s.get("state").asString()).isEqualTo("FAILED");
    assertThat(s.get("stateReason").asString()).startsWith("no trial completed");
    assertThat(s.get("trialCounts").get("FAILED").asLong()).isEqualTo(3);
    JsonNode t = http.get("/api/v1/studies/" + id + "/trials/1").json();
    assertThat(t.get("attempt").asInt()).isEqualTo(2);
    assertThat(t.get("failureReason").asString()).isNotBlank().contains("attempt 2 of 2");
  }

  @org.springframework.beans.factory.annotation.Autowired
  io.sextant.api.dispatch.InProcessExecutor inProcess;

  @Test
  void theExecutorComesBackAfterItsLifecycleIsStoppedAndStarted() throws Exception {
    // what Spring's context cache does when it pauses a context between test classes and resumes it
    inProcess.stop();
    assertThat(inProcess.isRunning()).isFalse();
    inProcess.start();
    assertThat(inProcess.isRunning()).isTrue();
    long id = create(Map.of("name", unique("resumed"),
        "space", Map.of("parameters", List.of(Map.of("name", "x1", "type", "float", "low", -5, "high", 10),
            Map.of("name", "x2", "type", "float", "low", 0, "high", 15))),
        "objectives", List.of(Map.of("metric", "loss")),
        "evaluator", Map.of("name", "branin"),
        "limits", Map.of("maxTrials", 4)));
    assertThat(awaitState(id, "COMPLETED", Duration.ofSeconds(60)).get("state").asString()).isEqualTo("COMPLETED");
  }
}
