package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** GET /export?format=json and POST /studies/import round-trip a study exactly; a bad document creates nothing. */
class StudyImportTest extends ApiTestBase {

  /** A study with a trial in every state, measurements, metadata, a constraint metric and a non-finite value. */
  private long busyStudy(String name) {
    Map<String, Object> body = demoStudy(name);
    body.put("objectives", List.of(Map.of("metric", "loss", "direction", "MINIMIZE")));
    body.put("constraints", List.of(Map.of("metric", "mem", "op", "<=", "bound", 10)));
    long id = create(body);
    JsonNode ts = suggest(id, 5, "worker-a");
    long[] n = new long[5];
    for (int i = 0; i < 5; i++) {
      n[i] = ts.get(i).get("number").asLong();
    }
    for (int step = 1; step <= 3; step++) {
      assertThat(http.post("/api/v1/studies/" + id + "/trials/" + n[0] + "/measurements",
          Map.of("step", step, "values", Map.of("loss", 1.0 / step, "acc", 0.5))).status()).isEqualTo(200);
    }
    post200("/api/v1/studies/" + id + "/trials/" + n[0] + "/complete", Map.of("values", Map.of("loss", 0.25, "mem", 3)));
    post200("/api/v1/studies/" + id + "/trials/" + n[1] + "/complete",
        Map.of("values", Map.of("loss", "Infinity", "mem", 1)));
    post200("/api/v1/studies/" + id + "/trials/" + n[2] + "/fail", Map.of("reason", "CUDA out of memory, \"again\""));
    post200("/api/v1/studies/" + id + "/trials/" + n[3] + "/complete", Map.of("infeasible", "diverged"));
    // n[4] stays RUNNING with its worker; one more is enqueued and WAITING
    Http.Res q = http.post("/api/v1/studies/" + id + "/trials", Map.of("params",
        Map.of("lr", 0.01, "layers", 2, "opt", "sgd", "momentum", 0.9), "metadata", Map.of("source", "<b>manual</b>")));
    assertThat(q.status()).as(q.text()).isEqualTo(201);
    return id;
  }

  private void post200(String path, Object body) {
    Http.Res r = http.post(path, body);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
  }

  /** The export with the ids that an import necessarily changes taken out. */
  private static JsonNode comparable(JsonNode export) {
    ObjectNode doc = ((ObjectNode) export).deepCopy();
    doc.remove("studyId");
    ((ObjectNode) doc.get("study")).remove("name");
    for (JsonNode t : doc.get("trials")) {
      ((ObjectNode) t).remove("id");
      ((ObjectNode) t).remove("studyId");
    }
    return doc;
  }

  @Test
  void exportThenImportGivesTheSameStudy() {
    long id = busyStudy(unique("orig"));
    JsonNode original = http.get("/api/v1/studies/" + id + "/export?format=json").json();
    assertThat(original.get("format").asString()).isEqualTo("sextant-study/1");
    assertThat(original.get("trials")).hasSize(6);

    String copyName = unique("copy");
    Http.Res imported = http.post("/api/v1/studies/import?name=" + copyName, original.toString(), "application/json");
    assertThat(imported.status()).as(imported.text()).isEqualTo(201);
    long copy = imported.json().get("id").asLong();
    assertThat(copy).isNotEqualTo(id);
    assertThat(imported.json().get("name").asString()).isEqualTo(copyName);
    assertThat(imported.json().get("trialCounts")).isEqualTo(http.get("/api/v1/studies/" + id).json().get("trialCounts"));

    JsonNode again = http.get("/api/v1/studies/" + copy + "/export?format=json").json();
    assertThat(comparable(again)).isEqualTo(comparable(original));
    assertThat(http.get("/api/v1/studies/" + copy + "/best").json().get("values"))
        .isEqualTo(http.get("/api/v1/studies/" + id + "/best").json().get("values"));

    // the copy goes on where the original stopped: its worker still holds its trial, new numbers follow on
    JsonNode held = suggest(copy, 1, "worker-a");
    assertThat(held.get(0).get("number").asLong()).isEqualTo(5);
    JsonNode fresh = suggest(copy, 2, "worker-b");
    assertThat(fresh.get(0).get("number").asLong()).isEqualTo(6); // the enqueued trial first
    assertThat(fresh.get(1).get("number").asLong()).isEqualTo(7);
    // and the original is untouched by all of that
    assertThat(http.get("/api/v1/studies/" + id).json().get("trialsIssued").asLong()).isEqualTo(6);
  }

  @Test
  void importingUnderATakenNameIsAConflictAndCreatesNothing() {
    String name = unique("taken");
    long id = busyStudy(name);
    String doc = http.get("/api/v1/studies/" + id + "/export?format=json").text();
    int before = studiesNamed(name);
    Http.Res r = http.post("/api/v1/studies/import", doc, "application/json");
    assertThat(r.status()).as(r.text()).isEqualTo(409);
    assertThat(r.field()).isEqualTo("name");
    assertThat(studiesNamed(name)).isEqualTo(before);
  }

  private int studiesNamed(String q) {
    return http.get("/api/v1/studies?q=" + q).json().get("studies").size();
  }

  @Test
  void everyBrokenDocumentIsA400NamingTheFieldAndCreatesNothing() {
    long id = busyStudy(unique("src"));
    JsonNode good = http.get("/api/v1/studies/" + id + "/export?format=json").json();
    Map<String, Consumer<ObjectNode>> breakages = new LinkedHashMap<>();
    breakages.put("format", d -> d.put("format", "optuna-v3"));
    breakages.put("study", d -> d.remove("study"));
    breakages.put("state", d -> d.put("state", "RUNNING_WILD"));
    breakages.put("nextNumber", d -> d.put("nextNumber", -4));
    breakages.put("createdAt", d -> d.put("createdAt", "yesterday"));
    breakages.put("trials[0].state", d -> trial(d, 0).put("state", "DONE"));
    breakages.put("trials[1].number", d -> trial(d, 1).put("number", trial(d, 0).get("number").asLong()));
    breakages.put("trials[0].params.lr", d -> ((ObjectNode) trial(d, 0).get("params")).put("lr", 5.0));
    breakages.put("trials[0].params.dropout", d -> ((ObjectNode) trial(d, 0).get("params")).put("dropout", 0.1));
    breakages.put("trials[0].values", d -> trial(d, 0).remove("values"));
    breakages.put("trials[0].values.loss", d -> ((ObjectNode) trial(d, 0).get("values")).put("loss", "lots"));
    breakages.put("trials[0].measurements[1].step", d -> ((ObjectNode) trial(d, 0).get("measurements").get(1))
        .put("step", trial(d, 0).get("measurements").get(0).get("step").asLong()));
    breakages.put("trials[0].metadata", d -> trial(d, 0).put("metadata", "x".repeat(10)));
    breakages.put("trials[2].unknown", d -> trial(d, 2).put("unknown", 1));
    breakages.put("study.space.parameters[0].low", d -> ((ObjectNode) d.get("study").get("space").get("parameters").get(0))
        .put("low", 10));
    List<String> failures = new ArrayList<>();
    int n = 0;
    for (var e : breakages.entrySet()) {
      ObjectNode doc = ((ObjectNode) good).deepCopy();
      String name = unique("bad" + n++);
      ((ObjectNode) doc.get("study")).put("name", name);
      e.getValue().accept(doc);
      Http.Res r = http.post("/api/v1/studies/import", doc.toString(), "application/json");
      if (r.status() != 400 || !r.contentType().startsWith("application/problem+json")
          || !e.getKey().equals(r.field()) || studiesNamed(name) != 0) {
        failures.add(e.getKey() + " -> " + r.status() + " " + r.text());
      }
    }
    assertThat(failures).isEmpty();
  }

  private static ObjectNode trial(ObjectNode doc, int i) {
    return (ObjectNode) ((ArrayNode) doc.get("trials")).get(i);
  }

  @Test
  void anImportedStudyWhoseDesignerStateIsUnreadableStillProposes() {
    for (String algorithm : List.of("gp-bo", "tsallis-inf", "program-evolution")) {
      Map<String, Object> body = algorithm.equals("program-evolution")
          ? new LinkedHashMap<>(Map.of("name", unique("src"), "objectives", List.of(Map.of("metric", "loss")),
              "algorithm", Map.of("name", algorithm)))
          : demoStudy(unique("src"));
      if (algorithm.equals("tsallis-inf")) {
        body.put("space", Map.of("parameters", List.of(Map.of("name", "omega", "type", "categorical",
            "choices", List.of(1.0, 1.5)))));
      }
      body.put("algorithm", Map.of("name", algorithm, "options", Map.of("seed", 1)));
      long id = create(body);
      for (int i = 0; i < 6; i++) {
        JsonNode t = suggest(id, 1, null).get(0);
        assertThat(http.post("/api/v1/studies/" + id + "/trials/" + t.get("number").asLong() + "/complete",
            Map.of("values", Map.of("loss", 1.0 + i))).status()).isEqualTo(200);
      }
      ObjectNode doc = (ObjectNode) http.get("/api/v1/studies/" + id + "/export?format=json").json();
      ObjectNode junk = doc.putObject("designerState");
      junk.put("version", "from the future");
      junk.put("objective", 42);
      junk.putArray("arms").add("junk");
      junk.put("population", "none");
      Http.Res imported = http.post("/api/v1/studies/import?name=" + unique("junk-state"), doc.toString(),
          "application/json");
      assertThat(imported.status()).as(imported.text()).isEqualTo(201);
      long copy = imported.json().get("id").asLong();
      Http.Res asked = http.post("/api/v1/studies/" + copy + "/suggestions", Map.of("count", 2));
      assertThat(asked.status()).as(algorithm + ": " + asked.text()).isEqualTo(200);
      assertThat(asked.json().get("trials")).hasSize(2);
    }
  }

  /**
   * The designer state goes through the jsonb column in its versioned envelope and is read back, not rebuilt, at
   * the next ask: program-evolution counts every proposal it makes in {@code misses}/{@code hits}, which a rebuild
   * would restart from the current call.
   */
  @Test
  void designerStateIsStoredVersionedAndReadBackAtTheNextAsk() {
    Map<String, Object> body = new LinkedHashMap<>(Map.of("name", unique("state"), "objectives",
        List.of(Map.of("metric", "loss")), "algorithm", Map.of("name", "program-evolution",
            "options", Map.of("seed", 3))));
    long id = create(body);
    for (int i = 0; i < 6; i++) {
      JsonNode t = suggest(id, 1, null).get(0);
      assertThat(http.post("/api/v1/studies/" + id + "/trials/" + t.get("number").asLong() + "/complete",
          Map.of("values", Map.of("loss", 6.0 - i))).status()).isEqualTo(200);
    }
    JsonNode state = http.get("/api/v1/studies/" + id + "/export?format=json").json().get("designerState");
    assertThat(state.get("designer").asString()).isEqualTo("program-evolution");
    assertThat(state.get("version").asInt()).isEqualTo(1);
    assertThat(state.get("cache").isArray()).as("cache as an ordered list: %s", state).isTrue();
    assertThat(state.get("hits").asLong() + state.get("misses").asLong()).as("proposals counted across asks")
        .isGreaterThanOrEqualTo(6);
  }
}
