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
