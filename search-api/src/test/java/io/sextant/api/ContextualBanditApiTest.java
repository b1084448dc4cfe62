package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Contextual bandits over REST with contexts as users send them (issue 23): several fields of every kind, default
 * options, the retired options refused, honest comparators on /arms.
 */
class ContextualBanditApiTest extends ApiTestBase {
  private static Map<String, Object> omegaStudy(String algorithm, Map<String, Object> options) {
    return Map.of("name", unique(algorithm),
        "space", Map.of("parameters", List.of(Map.of("name", "omega", "type", "float", "low", 1.0, "high", 1.95,
            "step", 0.05))),
        "objectives", List.of(Map.of("metric", "iterations")),
        "algorithm", Map.of("name", algorithm, "options", options));
  }

  /** Context of request i: two numbers, a category, a flag, and a run id (an id is not a feature). */
  private static Map<String, Object> context(int i) {
    SplittableRandom r = new SplittableRandom(77 + i);
    return Map.of("aniso", 1 + 3 * r.nextDouble(), "shift", 0.5 * r.nextDouble(),
        "solver", r.nextBoolean() ? "cg" : "gmres", "warm", r.nextBoolean(), "run", "run-" + i);
  }

  /** The context's best arm index: it moves with aniso, shift and the solver; warm does not matter. */
  private static double best(Map<String, Object> ctx) {
    return 2 + 3 * ((Double) ctx.get("aniso") - 1) + 8 * (Double) ctx.get("shift")
        + ("gmres".equals(ctx.get("solver")) ? 2 : 0);
  }

  /** log cost 0.05 arm^2 - 0.1 arm best: quadratic in the arm, lowest at the context's best arm. */
  private static double cost(int arm, Map<String, Object> ctx) {
    return Math.round(30 * Math.exp(0.05 * arm * arm - 0.1 * arm * best(ctx)) * 100) / 100.0;
  }

  @Test
  void linucbWithDefaultOptionsLearnsFromEveryFieldOfTheContextsClientsSend() {
    long id = create(omegaStudy("linucb", Map.of("seed", 4)));
    int rounds = 240;
    int close = 0;
    for (int i = 0; i < rounds; i++) {
      Map<String, Object> ctx = context(i);
      Http.Res r = http.post("/api/v1/studies/" + id + "/suggestions", Map.of("count", 1, "context", ctx));
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      JsonNode t = r.json().get("trials").get(0);
      int arm = (int) Math.round((t.get("params").get("omega").asDouble() - 1) / 0.05);
      if (i >= rounds - 60 && Math.abs(arm - best(ctx)) <= 2.01) {
        close++;
      }
      Http.Res done = http.post("/api/v1/studies/" + id + "/trials/" + t.get("number").asLong() + "/complete",
          Map.of("values", Map.of("iterations", cost(arm, ctx))));
      assertThat(done.status()).as(done.text()).isEqualTo(200);
    }
    // the best arm moves over ~13 arms with aniso, shift and solver; ignoring any of them, or drawing at random (what
    // the designer did with default options before), rarely lands within two arms
    assertThat(close).as("pulls within two arms of the context's best, last 60").isGreaterThan(36);
    JsonNode trial = http.get("/api/v1/studies/" + id + "/trials/" + rounds).json();
    assertThat(trial.get("metadata").get("bandit.context").get("solver").isString()).isTrue();
    // what the designer learned about the fields (its state, in the export): kinds, ranges, categories
    JsonNode export = http.get("/api/v1/studies/" + id + "/export?format=json").json();
    Map<String, JsonNode> fields = new HashMap<>();
    export.get("designerState").get("stats").get("fields").forEach(f -> fields.put(f.get("name").asString(), f));
    assertThat(fields.keySet()).containsExactlyInAnyOrder("aniso", "shift", "solver", "warm", "run");
    assertThat(fields.get("aniso").get("kind").asString()).isEqualTo("NUMBER");
    assertThat(fields.get("aniso").get("lo").asDouble()).isBetween(1.0, 1.2);
    assertThat(fields.get("warm").get("kind").asString()).isEqualTo("NUMBER");
    assertThat(fields.get("solver").get("categories")).hasSize(2);
    assertThat(fields.get("run").get("kind").asString()).as("240 distinct ids").isEqualTo("DROPPED");
    // a request without any context is answered (the designer plays its non-contextual rule or the field means)
    Http.Res bare = http.post("/api/v1/studies/" + id + "/suggestions", Map.of("count", 1));
    assertThat(bare.status()).as(bare.text()).isEqualTo(200);
    // /arms of a contextual study without a per-instance reference: no best-fixed estimate, said so
    JsonNode arms = http.get("/api/v1/studies/" + id + "/arms").json();
    assertThat(arms.get("comparator").asString()).isEqualTo("none");
    assertThat(arms.has("bestFixedCost")).isFalse();
    assertThat(arms.has("regret")).isFalse();
    assertThat(arms.get("comparatorNote").asString()).contains("optimalMetric");
    assertThat(arms.get("arms")).hasSize(20);
  }

  @Test
  void optionsThatNoLongerMeanAnythingAreRefusedNamingTheOption() {
    int before = http.get("/api/v1/studies?limit=1000").json().get("studies").size();
    for (var c : List.of(
        Map.entry("linucb", Map.<String, Object>of("contextKey", "shift")),
        Map.entry("contextual-cb", Map.<String, Object>of("low", -0.15, "high", 0.65)),
        Map.entry("binned-tsallis-inf", Map.<String, Object>of("high", 1)),
        Map.entry("linucb", Map.<String, Object>of("contextFields", "shift")))) {
      Http.Res r = http.post("/api/v1/studies", omegaStudy(c.getKey(), c.getValue()));
      assertThat(r.status()).as(r.text()).isEqualTo(400);
      assertThat(r.contentType()).contains("application/problem+json");
      String option = c.getValue().containsKey("low") ? "low" : c.getValue().keySet().iterator().next();
      assertThat(r.field()).isEqualTo("algorithm.options." + option);
      assertThat(r.text()).contains(option);
    }
    assertThat(http.get("/api/v1/studies?limit=1000").json().get("studies").size()).isEqualTo(before);
    // restricting the fields is how one now chooses them
    create(omegaStudy("linucb", Map.of("contextFields", List.of("shift"))));
  }

  @Test
  void theSorEvaluatorsContextIsUsedWithDefaultOptionsAndArmsCompareAgainstTheInstanceOptimum()
      throws InterruptedException {
    long id = create(Map.of("name", unique("sor-linucb"),
        "space", Map.of("parameters", List.of(Map.of("name", "omega", "type", "float", "low", 1.0, "high", 1.95,
            "step", 0.05))),
        "objectives", List.of(Map.of("metric", "iterations")),
        "algorithm", Map.of("name", "linucb", "options", Map.of("seed", 3)),
        "evaluator", Map.of("name", "sor", "config", Map.of("grid", 6, "family", "high-variance")),
        "limits", Map.of("maxTrials", 60, "maxParallel", 1)));
    awaitCompleted(id);
    JsonNode arms = http.get("/api/v1/studies/" + id + "/arms").json();
    assertThat(arms.get("comparator").asString()).isEqualTo("instance-optimal-ratio");
    double optimal = arms.get("instanceOptimalCost").asDouble();
    assertThat(arms.get("bestFixedCost").asDouble()).isGreaterThanOrEqualTo(optimal);
    JsonNode last = arms.get("history").get(59);
    assertThat(last.get(3).asDouble()).isEqualTo(optimal);
    assertThat(last.get(2).asDouble()).isEqualTo(arms.get("bestFixedCost").asDouble());
    int withRatio = 0;
    for (JsonNode a : arms.get("arms")) {
      withRatio += a.has("meanRelativeCost") ? 1 : 0;
      if (a.has("meanRelativeCost")) {
        assertThat(a.get("pulls").asLong()).isPositive();
      }
    }
    assertThat(withRatio).isPositive();
  }
}
