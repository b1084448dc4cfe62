package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** GET /pareto with hypervolume, reference point, history and ranks; GET /arms for bandit studies. */
class ParetoAndArmsApiTest extends ApiTestBase {

  private long twoObjectiveStudy(Map<String, Object> algorithm, double[][] values) {
    long id = create(new java.util.LinkedHashMap<>(Map.of(
        "name", unique("mo"),
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "cost", "direction", "MINIMIZE"),
            Map.of("metric", "acc", "direction", "MAXIMIZE")),
        "algorithm", algorithm)));
    JsonNode ts = suggest(id, values.length, null);
    for (int i = 0; i < values.length; i++) {
      Http.Res r = http.post("/api/v1/studies/" + id + "/trials/" + ts.get(i).get("number").asLong() + "/complete",
          Map.of("values", Map.of("cost", values[i][0], "acc", values[i][1])));
      assertThat(r.status()).as(r.text()).isEqualTo(200);
    }
    return id;
  }

  @Test
  void paretoReportsTheInferredReferencePointHypervolumeHistoryAndRanks() {
    double[][] values = {{1, 0.5}, {2, 0.9}, {3, 0.8}, {0.5, 0.1}, {2, 0.5}};
    long id = twoObjectiveStudy(Map.of("name", "random"), values);
    JsonNode p = http.get("/api/v1/studies/" + id + "/pareto?ranks=true").json();
    assertThat(p.get("trials")).hasSize(3);
    // the front (0.5, 0.1), (1, 0.5), (2, 0.9): its nadir (2, 0.1) plus 10% of its ranges (1.5, 0.8), in the
    // objectives' own directions; the dominated (3, 0.8) does not widen it
    assertThat(p.get("referencePoint").get(0).asDouble()).isCloseTo(2.15, offset(1e-12));
    assertThat(p.get("referencePoint").get(1).asDouble()).isCloseTo(0.02, offset(1e-12));
    assertThat(p.get("referencePointSource").asString()).isEqualTo("inferred");
    // worked by hand: 1.65 * 0.08 + 1.15 * 0.4 + 0.15 * 0.4
    assertThat(p.get("hypervolume").asDouble()).isCloseTo(0.652, offset(1e-9));
    JsonNode h = p.get("history");
    assertThat(h).hasSize(5);
    for (int i = 1; i < h.size(); i++) {
      assertThat(h.get(i).asDouble()).isGreaterThanOrEqualTo(h.get(i - 1).asDouble());
    }
    assertThat(h.get(4).asDouble()).isCloseTo(0.652, offset(1e-9));
    int zero = 0;
    int one = 0;
    for (JsonNode r : p.get("ranked")) {
      if (r.get("rank").asInt() == 0) {
        zero++;
      } else if (r.get("rank").asInt() == 1) {
        one++;
      }
    }
    assertThat(zero).isEqualTo(3);
    assertThat(one).isEqualTo(2);
  }

  @Test
  void aStudyReferencePointIsUsedAsGiven() {
    long id = twoObjectiveStudy(Map.of("name", "nsga2", "options", Map.of("referencePoint", List.of(4, 0))),
        new double[][] {{1, 0.5}, {2, 0.9}});
    JsonNode p = http.get("/api/v1/studies/" + id + "/pareto").json();
    assertThat(p.get("referencePointSource").asString()).isEqualTo("study");
    assertThat(p.get("referencePoint").get(0).asDouble()).isEqualTo(4.0);
    // front (1, -0.5), (2, -0.9) against (4, 0): 1 * 0.5 + 2 * 0.9
    assertThat(p.get("hypervolume").asDouble()).isCloseTo(2.3, offset(1e-9));
    assertThat(p.has("ranked")).isFalse();
  }

  @Test
  void armsReportPullsMeanCostAndRegretAgainstTheBestFixedArm() {
    long id = create(Map.of("name", unique("bandit"),
        "space", Map.of("parameters", List.of(Map.of("name", "omega", "type", "categorical",
            "choices", List.of(1.0, 1.5, 1.9)))),
        "objectives", List.of(Map.of("metric", "iterations")),
        "algorithm", Map.of("name", "tsallis-inf", "options", Map.of("seed", 5))));
    Map<Double, Double> cost = Map.of(1.0, 100.0, 1.5, 40.0, 1.9, 70.0);
    double total = 0;
    int pulls = 60;
    for (int i = 0; i < pulls; i++) {
      JsonNode t = http.post("/api/v1/studies/" + id + "/suggestions",
          Map.of("count", 1, "context", Map.of("shift", 0.1 * (i % 5)))).json().get("trials").get(0);
      double omega = t.get("params").get("omega").asDouble();
      total += cost.get(omega);
      http.post("/api/v1/studies/" + id + "/trials/" + t.get("number").asLong() + "/complete",
          Map.of("values", Map.of("iterations", cost.get(omega))));
    }
    JsonNode a = http.get("/api/v1/studies/" + id + "/arms").json();
    assertThat(a.get("pulls").asLong()).isEqualTo(pulls);
    assertThat(a.get("arms")).hasSize(3);
    assertThat(a.get("cumulativeCost").asDouble()).isEqualTo(total);
    JsonNode best = a.get("arms").get(a.get("bestArm").asInt());
    assertThat(best.get("params").get("omega").asDouble()).isEqualTo(1.5);
    assertThat(a.get("regret").asDouble()).isCloseTo(total - pulls * 40.0, offset(1e-9));
    long sum = 0;
    for (JsonNode arm : a.get("arms")) {
      sum += arm.get("pulls").asLong();
    }
    assertThat(sum).isEqualTo(pulls);
    assertThat(a.get("history")).hasSize(pulls);
    // the learner prefers the cheapest arm: more than a third of the pulls
    assertThat(best.get("pulls").asLong()).isGreaterThan(pulls / 3);
    // the context rode along into the trial's metadata
    assertThat(http.get("/api/v1/studies/" + id + "/trials/2").json().get("metadata").toString()).contains("shift");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"contextual-cb", "linucb"})
  void theSorInstanceSequenceGivesContextualDesignersEachInstancesContextOnTheExecutorPath(String algorithm)
      throws InterruptedException {
    long id = create(Map.of("name", unique("sor-ctx"),
        "space", Map.of("parameters", List.of(Map.of("name", "omega", "type", "categorical",
            "choices", List.of(1.0, 1.3, 1.6, 1.9)))),
        "objectives", List.of(Map.of("metric", "iterations")),
        "algorithm", Map.of("name", algorithm, "options", Map.of("seed", 3)),
        "evaluator", Map.of("name", "sor", "config", Map.of("grid", 6, "family", "high-variance",
            "reportOptimal", false)),
        "limits", Map.of("maxTrials", 12, "maxParallel", 2)));
    long end = System.nanoTime() + 120_000_000_000L;
    while (!http.get("/api/v1/studies/" + id).json().get("state").asString().equals("COMPLETED")) {
      assertThat(System.nanoTime()).as("sor study completes").isLessThan(end);
      Thread.sleep(100);
    }
    JsonNode trials = http.get("/api/v1/studies/" + id + "/trials?limit=100").json().get("trials");
    assertThat(trials).hasSize(12);
    java.util.Set<Double> contexts = new java.util.HashSet<>();
    for (JsonNode t : trials) {
      assertThat(t.get("state").asString()).as(t.toString()).isEqualTo("COMPLETED");
      // the designer saw, when it proposed the trial, the very shift the evaluator then solved with
      double seen = t.get("metadata").get("bandit.context").get("shift").asDouble();
      assertThat(seen).as(t.toString()).isEqualTo(t.get("metrics").get("shift").asDouble());
      contexts.add(seen);
    }
    assertThat(contexts).as("a sequence of different instances").hasSizeGreaterThan(6);
  }

  @Test
  void expensiveMultiObjectiveDesignersRunThroughTheServiceAndRefuseTooManyObjectives()
      throws InterruptedException {
    List<Map<String, Object>> params = new java.util.ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      params.add(Map.of("name", "x" + i, "type", "float", "low", 0, "high", 1));
    }
    for (String algorithm : List.of("ehvi", "parego")) {
      long id = create(Map.of("name", unique(algorithm),
          "space", Map.of("parameters", params),
          "objectives", List.of(Map.of("metric", "f1"), Map.of("metric", "f2")),
          "algorithm", Map.of("name", algorithm, "options", Map.of("seed", 2, "initialTrials", 6,
              "referencePoint", List.of(1.1, 1.1))),
          "evaluator", Map.of("name", "zdt1"),
          "limits", Map.of("maxTrials", 14, "maxParallel", 2)));
      long end = System.nanoTime() + 180_000_000_000L;
      while (!http.get("/api/v1/studies/" + id).json().get("state").asString().equals("COMPLETED")) {
        assertThat(System.nanoTime()).as(algorithm + " study completes").isLessThan(end);
        Thread.sleep(200);
      }
      JsonNode p = http.get("/api/v1/studies/" + id + "/pareto").json();
      assertThat(p.get("trials").size()).as(algorithm).isGreaterThan(0);
      assertThat(p.get("referencePoint").get(0).asDouble()).isEqualTo(1.1);
      assertThat(p.get("referencePointSource").asString()).isEqualTo("study");
      assertThat(p.get("history")).hasSize(14);
    }
    Http.Res four = http.post("/api/v1/studies", Map.of("name", unique("ehvi4"), "space", Map.of("parameters", params),
        "objectives", List.of(Map.of("metric", "a"), Map.of("metric", "b"), Map.of("metric", "c"),
            Map.of("metric", "d")), "algorithm", Map.of("name", "ehvi")));
    assertThat(four.status()).as(four.text()).isEqualTo(400);
    assertThat(four.field()).isEqualTo("objectives");
  }
}
