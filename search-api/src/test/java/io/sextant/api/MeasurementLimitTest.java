package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The per-trial measurement rate limit, on both report paths: a client over the limit gets 429 problem+json with
 * Retry-After and nothing is stored; an executor's evaluator over the limit loses only the extra measurements.
 */
@TestPropertySource(properties = {"sextant.limits.measurements.burst=5",
    "sextant.limits.measurements.per-second=0.2"})
class MeasurementLimitTest extends ApiTestBase {

  private Http.Res measure(long study, long number, long step) {
    return http.post("/api/v1/studies/" + study + "/trials/" + number + "/measurements",
        Map.of("step", step, "values", Map.of("loss", 1.0 / (step + 1))));
  }

  @Test
  void aClientOverTheLimitIsRefusedWith429AndNothingIsStored() {
    Map<String, Object> body = demoStudy(unique("limit"));
    long id = create(body);
    JsonNode ts = suggest(id, 2, "w");
    long first = ts.get(0).get("number").asLong();
    long second = ts.get(1).get("number").asLong();
    for (int step = 0; step < 5; step++) {
      assertThat(measure(id, first, step).status()).isEqualTo(200);
    }
    Http.Res refused = measure(id, first, 5);
    assertThat(refused.status()).as(refused.text()).isEqualTo(429);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.field()).isEqualTo("step");
    assertThat(Long.parseLong(refused.header("Retry-After").orElseThrow())).isBetween(1L, 10L);
    JsonNode t = http.get("/api/v1/studies/" + id + "/trials/" + first).json();
    assertThat(t.get("measurements")).hasSize(5);
    assertThat(t.get("state").asString()).isEqualTo("RUNNING");
    // the limit is per trial: another trial of the same study still reports, and the limited one can still finish
    assertThat(measure(id, second, 0).status()).isEqualTo(200);
    assertThat(complete(id, first, 0.5).status()).isEqualTo(200);
  }

  @Test
  void anEvaluatorReportingTooFastLosesOnlyTheExtraMeasurements() throws InterruptedException {
    Map<String, Object> body = demoStudy(unique("limit-exec"));
    body.put("evaluator", Map.of("name", "noop", "config", Map.of("sleepMs", 1500, "reportEveryMs", 10)));
    body.put("limits", Map.of("maxTrials", 1));
    long id = create(body);
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (http.get("/api/v1/studies/" + id).json().get("trialCounts").get("COMPLETED").asLong() < 1) {
      assertThat(System.nanoTime()).as("trial 1 completes").isLessThan(deadline);
      Thread.sleep(100);
    }
    JsonNode t = http.get("/api/v1/studies/" + id + "/trials/1").json();
    // about 150 reports were made in 1.5 s; the bucket let the burst through plus at most one refill
    assertThat(t.get("measurements").size()).isBetween(5, 6);
    List<Long> steps = new java.util.ArrayList<>();
    t.get("measurements").forEach(m -> steps.add(m.get("step").asLong()));
    assertThat(steps).isSorted();
  }
}
