package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * gp-bo under early stopping through REST: the snapshot the API builds carries the PRUNED trials' last intermediate
 * values (and the completed trials' values at those steps) to the designer, which says how many it used in the
 * suggestion's metadata ({@code prunedWithValues}), and no suggestion lies within 1e-3 of a PRUNED or FAILED trial.
 */
class PrunedTrialsApiTest extends ApiTestBase {
  /** Loss curve of trial parameters x (the final value is (x - 0.8)^2; early values favour a small x). */
  private static double loss(double x, int step) {
    return (x - 0.8) * (x - 0.8) + (1 + 3 * x) / step;
  }

  @Test
  void gpBoModelsPrunedTrialsFromTheirIntermediateValuesAndNeverProposesNextToThem() {
    Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of(
        "name", unique("pruned-gp-bo"),
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "loss", "direction", "MINIMIZE")),
        "algorithm", Map.of("name", "gp-bo", "options", Map.of("seed", 3, "initialTrials", 4)),
        "earlyStopping", Map.of("rule", "median", "startupTrials", 3),
        "limits", Map.of("maxTrials", 16)));
    long id = create(body);
    List<Double> avoided = new ArrayList<>();
    long withValues = 0;
    for (int i = 0; i < 16; i++) {
      JsonNode t = suggest(id, 1, null).get(0);
      long n = t.get("number").asLong();
      double x = t.get("params").get("x").asDouble();
      for (double a : avoided) {
        assertThat(Math.abs(x - a)).as("trial %d at %s next to pruned/failed %s", n, x, a).isGreaterThan(1e-3);
      }
      if (t.get("metadata").has("prunedWithValues")) {
        withValues = Math.max(withValues, t.get("metadata").get("prunedWithValues").asLong());
      }
      String base = "/api/v1/studies/" + id + "/trials/" + n;
      if (i == 5) { // one FAILED trial too
        assertThat(http.post(base + "/fail", Map.of("reason", "crashed")).status()).isEqualTo(200);
        avoided.add(x);
        continue;
      }
      boolean stopped = false;
      for (int step = 1; step <= 4 && !stopped; step++) {
        Http.Res r = http.post(base + "/measurements", Map.of("step", step, "values", Map.of("loss", loss(x, step))));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        stopped = r.json().get("stop").asBoolean();
      }
      if (stopped) {
        avoided.add(x);
      } else {
        assertThat(complete(id, n, loss(x, 4)).status()).isEqualTo(200);
      }
    }
    assertThat(avoided).as("the median rule pruned some trials").hasSizeGreaterThan(1);
    assertThat(withValues).as("pruned trials reached gp-bo with their intermediate values").isPositive();
  }
}
