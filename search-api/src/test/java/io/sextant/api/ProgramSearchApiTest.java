package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.engine.program.ProgramJson;
import io.sextant.engine.program.ReferencePrograms;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A program-search study end to end: no space, programs as params, the in-process executor scores them. */
class ProgramSearchApiTest extends ApiTestBase {
  private static final tools.jackson.databind.ObjectMapper JSON = Http.JSON;

  @Test
  void programEvolutionStudyRunsAndShowsProgramsAsCode() throws Exception {
    long id = create(Map.of("name", unique("lion"),
        "objectives", List.of(Map.of("metric", "fitness")),
        "algorithm", Map.of("name", "program-evolution", "options", Map.of("population", 4, "tournament", 2)),
        "evaluator", Map.of("name", "optimizer-proxy",
            "config", Map.of("tasks", List.of("logreg"), "steps", 20, "seeds", 1, "lrSweep", List.of(0.01),
                "stage", "cheap")),
        "limits", Map.of("maxTrials", 8, "maxParallel", 2)));
    JsonNode s = awaitCompleted(id);
    assertThat(s.get("space").get("parameters")).isEmpty();
    JsonNode first = http.get("/api/v1/studies/" + id + "/trials/1").json();
    assertThat(first.get("params").get("program").get("body").isArray()).isTrue();
    assertThat(first.get("code").asString()).contains("update");
    assertThat(first.get("values").get("fitness").isNumber()).isTrue();
    assertThat(http.get("/api/v1/studies/" + id + "/best").json().get("values").get("fitness").asDouble())
        .isLessThanOrEqualTo(first.get("values").get("fitness").asDouble());
  }

  private Map<String, Object> smallStudy(String name, long seed, int maxTrials) {
    return Map.of("name", unique(name),
        "objectives", List.of(Map.of("metric", "fitness")),
        "algorithm", Map.of("name", "program-evolution",
            "options", Map.of("population", 4, "tournament", 2, "seed", seed)),
        "evaluator", Map.of("name", "optimizer-proxy",
            "config", Map.of("tasks", List.of("logreg"), "steps", 20, "seeds", 1, "lrSweep", List.of(8.0, 64.0),
                "stage", "cheap")),
        "limits", Map.of("maxTrials", maxTrials, "maxParallel", 1));
  }

  private List<JsonNode> trialsOf(long id) throws Exception {
    List<JsonNode> out = new java.util.ArrayList<>();
    http.get("/api/v1/studies/" + id + "/trials?limit=1000&measurements=false").json().get("trials").forEach(out::add);
    return out;
  }

  /**
   * A program-evolution study with a seed and maxParallel 1 is a function of its seed: two such studies propose and
   * score the same programs in the same order (the executor runs one trial at a time, and the designer's generator is
   * seeded from the study seed and the number of trials issued); another seed proposes other programs.
   */
  @Test
  void aSeededProgramSearchWithOneTrialAtATimeIsReproducible() throws Exception {
    long a = create(smallStudy("repro-a", 11, 14));
    long b = create(smallStudy("repro-b", 11, 14));
    long c = create(smallStudy("repro-c", 12, 14));
    awaitCompleted(a);
    awaitCompleted(b);
    awaitCompleted(c);
    List<JsonNode> ta = trialsOf(a);
    List<JsonNode> tb = trialsOf(b);
    assertThat(ta).hasSize(14);
    assertThat(tb).hasSize(14);
    for (int i = 0; i < ta.size(); i++) {
      assertThat(tb.get(i).get("params")).as("trial %d", i + 1).isEqualTo(ta.get(i).get("params"));
      assertThat(tb.get(i).get("values")).as("trial %d", i + 1).isEqualTo(ta.get(i).get("values"));
      assertThat(tb.get(i).get("metadata").get("edits")).isEqualTo(ta.get(i).get("metadata").get("edits"));
    }
    assertThat(ta.stream().map(t -> t.get("params")).distinct().count()).isGreaterThan(10);
    List<JsonNode> tc = trialsOf(c);
    assertThat(java.util.stream.IntStream.range(1, 14).filter(i -> !tc.get(i).get("params").equals(ta.get(i)
        .get("params"))).count()).isPositive();
  }

  /**
   * {@code GET /programs}: the families of the best programs and the lineage of the best one, from the warm start
   * through its ancestors with the edits of each step; each step's trial is its successor's parent. Bad queries are
   * 400s naming the field.
   */
  @Test
  void theBestProgramsFamiliesAndTheBestProgramsLineage() throws Exception {
    long id = create(smallStudy("lineage", 5, 24));
    awaitCompleted(id);
    Map<Long, JsonNode> byNumber = new java.util.HashMap<>();
    trialsOf(id).forEach(t -> byNumber.put(t.get("number").asLong(), t));
    JsonNode programs = http.get("/api/v1/studies/" + id + "/programs?top=3").json();
    assertThat(programs.get("metric").asString()).isEqualTo("fitness");
    JsonNode best = programs.get("best");
    assertThat(best).hasSize(3);
    long bestTrial = http.get("/api/v1/studies/" + id + "/best").json().get("number").asLong();
    assertThat(best.get(0).get("trial").asLong()).isEqualTo(bestTrial);
    assertThat(best.get(0).get("value").asDouble()).isLessThanOrEqualTo(best.get(1).get("value").asDouble());
    long counted = 0;
    for (var e : programs.get("families").properties()) {
      counted += e.getValue().asLong();
    }
    assertThat(counted).isEqualTo(3);
    for (JsonNode row : best) {
      assertThat(row.get("family").asString()).isIn("lion-like", "sign-based", "adam-like", "momentum", "sgd-like",
          "other");
    }
    JsonNode lineage = programs.get("lineage");
    assertThat(lineage.get("trial").asLong()).isEqualTo(bestTrial);
    JsonNode steps = lineage.get("steps");
    assertThat(steps.size()).isPositive();
    assertThat(steps.get(steps.size() - 1).get("trial").asLong()).isEqualTo(bestTrial);
    // the warm start (trial 1, AdamW) starts every lineage of this study: every child descends from it
    assertThat(steps.get(0).get("trial").asLong()).isEqualTo(1);
    assertThat(steps.get(0).get("origin").asString()).isEqualTo("warm-start");
    assertThat(steps.get(0).get("family").asString()).isEqualTo("adam-like");
    assertThat(lineage.get("start").asString()).isEqualTo("warm-start");
    for (int i = 1; i < steps.size(); i++) {
      JsonNode step = steps.get(i);
      JsonNode trial = byNumber.get(step.get("trial").asLong());
      JsonNode meta = trial.get("metadata");
      assertThat(step.get("edits").size()).isPositive();
      assertThat(step.get("edits")).isEqualTo(meta.get("edits"));
      assertThat(step.get("code").asString()).contains("def train");
      JsonNode parent = byNumber.get(steps.get(i - 1).get("trial").asLong());
      // the parent is named by trial number, or by hash when the tournament picked a copy of the warm start
      assertThat(meta.has("parentTrial") ? meta.get("parentTrial").asLong() == parent.get("number").asLong()
          : meta.get("parentHash").equals(parent.get("metadata").get("hash"))).as("step %d", i).isTrue();
    }
    // the lineage of any trial, on request
    long other = best.get(2).get("trial").asLong();
    JsonNode otherLineage = http.get("/api/v1/studies/" + id + "/programs?top=1&trial=" + other).json().get("lineage");
    assertThat(otherLineage.get("trial").asLong()).isEqualTo(other);
    for (String bad : List.of("top=0", "top=51", "trial=999")) {
      Http.Res r = http.get("/api/v1/studies/" + id + "/programs?" + bad);
      assertThat(r.status()).as(bad + ": " + r.text()).isEqualTo(400);
      assertThat(r.field()).isEqualTo(bad.substring(0, bad.indexOf('=')));
    }
    long random = create(Map.of("name", unique("not-programs"),
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "y"))));
    Http.Res notPrograms = http.get("/api/v1/studies/" + random + "/programs");
    assertThat(notPrograms.status()).as(notPrograms.text()).isEqualTo(400);
    assertThat(notPrograms.field()).isEqualTo("algorithm");
  }

  /**
   * A client adds a hand-written program (Lion) to a program-evolution study: it is queued, scored by the in-process
   * executor like any proposal and shown as code. A malformed program, extra params or a broken program in an
   * imported study are 400s naming the field, and change nothing.
   */
  @Test
  void aHandWrittenProgramJoinsTheStudyAndBadProgramsAre400s() throws Exception {
    String name = unique("lion-by-hand");
    Map<String, Object> body = Map.of("name", name,
        "objectives", List.of(Map.of("metric", "fitness")),
        "algorithm", Map.of("name", "program-evolution", "options", Map.of("population", 4, "tournament", 2)),
        "evaluator", Map.of("name", "optimizer-proxy",
            "config", Map.of("tasks", List.of("logreg"), "steps", 20, "seeds", 1, "lrSweep", List.of(0.01),
                "stage", "cheap")),
        "limits", Map.of("maxTrials", 3, "maxParallel", 1));
    Http.Res badFlag = http.post("/api/v1/studies?paused=maybe", body);
    assertThat(badFlag.status()).as(badFlag.text()).isEqualTo(400);
    assertThat(badFlag.field()).isEqualTo("paused");
    assertThat(http.get("/api/v1/studies?q=" + name).json().get("studies")).isEmpty();
    // created PAUSED, so the hand-written program is queued before the search proposes anything
    Http.Res created = http.post("/api/v1/studies?paused=true", body);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.json().get("state").asString()).isEqualTo("PAUSED");
    long id = created.json().get("id").asLong();
    Map<String, Object> lion = ProgramJson.toJson(ReferencePrograms.lion());
    Http.Res added = http.post("/api/v1/studies/" + id + "/trials", Map.of("params", Map.of("program", lion)));
    assertThat(added.status()).as(added.text()).isEqualTo(201);
    long number = added.json().get("number").asLong();

    Map<String, Object> undefined = Map.of("body", List.of(Map.of("target", "update", "fn", "mul",
        "args", List.of("q", "lr"))), "returns", List.of("update", "m", "v"));
    record Bad(Map<String, Object> params, String field, String says) {}
    for (Bad b : List.of(new Bad(Map.of("program", undefined), "params.program", "'q'"),
        new Bad(Map.of("program", lion, "lr", 0.1), "params", "exactly 'program'"),
        new Bad(Map.of("x", 1.0), "params", "exactly 'program'"))) {
      Http.Res r = http.post("/api/v1/studies/" + id + "/trials", Map.of("params", b.params()));
      assertThat(r.status()).as(r.text()).isEqualTo(400);
      assertThat(r.field()).isEqualTo(b.field());
      assertThat(r.text()).contains(b.says());
    }

    JsonNode paused = http.get("/api/v1/studies/" + id).json();
    assertThat(paused.get("state").asString()).isEqualTo("PAUSED");
    assertThat(paused.get("trialCounts").get("WAITING").asLong()).isEqualTo(1); // Lion only, and nothing ran
    assertThat(http.get("/api/v1/studies/" + id + "/trials").json().get("trials")).hasSize(1);

    assertThat(http.post("/api/v1/studies/" + id + "/resume", "").status()).isEqualTo(200);
    JsonNode s = awaitCompleted(id);
    assertThat(s.get("trialCounts").get("COMPLETED").asLong()).isEqualTo(3); // nothing from the refused requests
    // once COMPLETED, a well-formed program is a 409 and a malformed one still a 400 naming the field
    assertThat(http.post("/api/v1/studies/" + id + "/trials", Map.of("params", Map.of("program", lion))).status())
        .isEqualTo(409);
    Http.Res late = http.post("/api/v1/studies/" + id + "/trials", Map.of("params", Map.of("program", undefined)));
    assertThat(late.status()).as(late.text()).isEqualTo(400);
    assertThat(late.field()).isEqualTo("params.program");
    JsonNode byHand = http.get("/api/v1/studies/" + id + "/trials/" + number).json();
    assertThat(byHand.get("state").asString()).isEqualTo("COMPLETED");
    assertThat(ProgramJson.fromJson(JSON.convertValue(byHand.get("params").get("program"), Map.class)))
        .isEqualTo(ReferencePrograms.lion());
    assertThat(byHand.get("code").asString()).contains("sign(");
    assertThat(byHand.get("values").get("fitness").isNumber()).isTrue();

    // an exported study whose trial holds a broken program does not import
    tools.jackson.databind.node.ObjectNode doc = (tools.jackson.databind.node.ObjectNode) http.get(
        "/api/v1/studies/" + id + "/export?format=json").json();
    ((tools.jackson.databind.node.ObjectNode) doc.get("trials").get(0).get("params")).set("program",
        JSON.valueToTree(undefined));
    String copy = unique("lion-copy");
    Http.Res imported = http.post("/api/v1/studies/import?name=" + copy, doc.toString(), "application/json");
    assertThat(imported.status()).as(imported.text()).isEqualTo(400);
    assertThat(imported.field()).isEqualTo("trials[0].params.program");
    assertThat(http.get("/api/v1/studies?q=" + copy).json().get("studies")).isEmpty();
  }
}
