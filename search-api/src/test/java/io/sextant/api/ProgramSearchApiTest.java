package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A program-search study end to end: no space, programs as params, the in-process executor scores them. */
class ProgramSearchApiTest extends ApiTestBase {
  @Test
  void programEvolutionStudyRunsAndShowsProgramsAsCode() throws Exception {
    long id = create(Map.of("name", unique("lion"),
        "objectives", List.of(Map.of("metric", "fitness")),
        "algorithm", Map.of("name", "program-evolution", "options", Map.of("population", 4, "tournament", 2)),
        "evaluator", Map.of("name", "optimizer-proxy",
            "config", Map.of("tasks", List.of("logreg"), "steps", 20, "seeds", 1, "lrSweep", List.of(0.01),
                "stage", "cheap")),
        "limits", Map.of("maxTrials", 8, "maxParallel", 2)));
    JsonNode s = null;
    long end = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (System.nanoTime() < end) {
      s = http.get("/api/v1/studies/" + id).json();
      if (s.get("state").asString().equals("COMPLETED")) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(s.get("state").asString()).isEqualTo("COMPLETED");
    assertThat(s.get("space").get("parameters")).isEmpty();
    JsonNode first = http.get("/api/v1/studies/" + id + "/trials/1").json();
    assertThat(first.get("params").get("program").get("body").isArray()).isTrue();
    assertThat(first.get("code").asString()).contains("update");
    assertThat(first.get("values").get("fitness").isNumber()).isTrue();
    assertThat(http.get("/api/v1/studies/" + id + "/best").json().get("values").get("fitness").asDouble())
        .isLessThanOrEqualTo(first.get("values").get("fitness").asDouble());
  }
}
