package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class StudyApiTest extends ApiTestBase {

  @Test
  void createGetListPauseResumeDelete() {
    String name = unique("crud");
    Http.Res created = http.post("/api/v1/studies", demoStudy(name));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.contentType()).startsWith("application/json");
    JsonNode s = created.json();
    long id = s.get("id").asLong();
    assertThat(s.get("state").asString()).isEqualTo("ACTIVE");
    assertThat(s.get("space").get("parameters")).hasSize(4);
    assertThat(s.get("algorithm").get("name").asString()).isEqualTo("random");
    assertThat(s.get("limits").get("maxTrials").asLong()).isEqualTo(100);

    assertThat(http.get("/api/v1/studies/" + id).json().get("name").asString()).isEqualTo(name);
    JsonNode page = http.get("/api/v1/studies?q=" + name).json();
    assertThat(page.get("studies")).hasSize(1);

    assertThat(http.post("/api/v1/studies/" + id + "/pause", "").json().get("state").asString()).isEqualTo("PAUSED");
    Http.Res refused = http.post("/api/v1/studies/" + id + "/suggestions", Map.of("count", 1));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(http.post("/api/v1/studies/" + id + "/resume", "").json().get("state").asString()).isEqualTo("ACTIVE");
    assertThat(suggest(id, 1, null)).hasSize(1);

    assertThat(http.delete("/api/v1/studies/" + id).status()).isEqualTo(204);
    assertThat(http.get("/api/v1/studies/" + id).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/studies/" + id + "/trials/1").status()).isEqualTo(404);
  }

  @Test
  void seedIsFilledInWhenMissingSoTheStudyIsReproducible() {
    Map<String, Object> body = demoStudy(unique("seed"));
    body.put("algorithm", Map.of("name", "sobol"));
    JsonNode s = http.post("/api/v1/studies", body).json();
    assertThat(s.get("algorithm").get("options").get("seed").isNumber()).isTrue();
  }

  @Test
  void gpBoDeclaresWhereItsSobolPhaseEndsInTheStudyConfig() {
    Map<String, Object> body = demoStudy(unique("phase"));
    body.put("space", Map.of("parameters", List.of(
        Map.of("name", "x", "type", "float", "low", 0, "high", 1),
        Map.of("name", "y", "type", "float", "low", 0, "high", 1),
        Map.of("name", "z", "type", "float", "low", 0, "high", 1))));
    body.put("algorithm", Map.of("name", "gp-bo"));
    JsonNode s = http.post("/api/v1/studies", body).json();
    assertThat(s.get("algorithm").get("options").get("initialTrials").asInt()).isEqualTo(6); // max(5, 2 x 3)
    body.put("name", unique("phase"));
    body.put("algorithm", Map.of("name", "gp-bo", "options", Map.of("initialTrials", 2)));
    s = http.post("/api/v1/studies", body).json();
    assertThat(s.get("algorithm").get("options").get("initialTrials").asInt()).isEqualTo(2);
    JsonNode first = http.post("/api/v1/studies/" + s.get("id").asLong() + "/suggestions", Map.of("count", 2)).json();
    for (JsonNode t : first.get("trials")) {
      assertThat(t.get("metadata").get("phase").asString()).isEqualTo("initial");
      long n = t.get("number").asLong();
      assertThat(complete(s.get("id").asLong(), n, n * 0.5).status()).isEqualTo(200);
    }
    // the declared switch holds: the third suggestion comes from the GP
    JsonNode third = http.post("/api/v1/studies/" + s.get("id").asLong() + "/suggestions", Map.of("count", 1))
        .json().get("trials").get(0);
    assertThat(third.get("metadata").get("phase").asString()).isEqualTo("gp");
  }

  @Test
  void acceptsYaml() {
    String name = unique("yaml");
    String yaml = """
        name: %s
        space:
          parameters:
            - {name: x, type: float, low: -5, high: 10}
            - {name: y, type: float, low: 0, high: 15, step: 0.5}
            - {name: flag, type: categorical, choices: [true, false]}
            - {name: width, type: int, low: 8, high: 512, log: true}
            - {name: k, type: categorical, choices: [1, 2.5, "three"]}
            - {name: version, type: fixed, value: 3}
        objectives:
          - {metric: value, direction: MAXIMIZE}
        algorithm: {name: sobol, options: {seed: 7}}
        """.formatted(name);
    Http.Res r = http.post("/api/v1/studies", yaml, "application/yaml");
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    long id = r.json().get("id").asLong();
    JsonNode trials = suggest(id, 20, null);
    for (JsonNode t : trials) {
      JsonNode p = t.get("params");
      assertThat(p.get("y").asDouble() * 2).isEqualTo(Math.rint(p.get("y").asDouble() * 2));
      assertThat(p.get("width").asLong()).isBetween(8L, 512L);
      assertThat(p.get("version").asLong()).isEqualTo(3);
      assertThat(p.get("flag").isBoolean()).isTrue();
    }
  }

  @Test
  void catalogListsInstalledAlgorithmsAndEvaluators() {
    Set<String> algorithms = new HashSet<>();
    http.get("/api/v1/algorithms").json().get("algorithms").forEach(a -> algorithms.add(a.get("name").asString()));
    assertThat(algorithms).contains("random", "sobol");
    Set<String> evaluators = new HashSet<>();
    http.get("/api/v1/evaluators").json().get("evaluators").forEach(a -> evaluators.add(a.get("name").asString()));
    assertThat(evaluators).contains("branin", "hartmann6", "zdt1", "noop");
  }

  @Test
  void openApiDocumentAndSwaggerUiAreServed() {
    Http.Res docs = http.get("/v3/api-docs");
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.json().get("paths").has("/api/v1/studies/{id}/suggestions")).isTrue();
    assertThat(http.get("/swagger-ui/index.html").status()).isEqualTo(200);
    Http.Res ui = http.get("/");
    assertThat(ui.status()).isEqualTo(200);
    assertThat(ui.text()).contains("Sextant");
  }

  @Test
  void listIsPaginatedWithACursor() {
    String prefix = unique("page");
    for (int i = 0; i < 5; i++) {
      create(demoStudy(prefix + "-" + i));
    }
    List<String> names = new java.util.ArrayList<>();
    String cursor = "0";
    while (cursor != null) {
      JsonNode page = http.get("/api/v1/studies?limit=2&q=" + prefix + "&after=" + cursor).json();
      assertThat(page.get("studies").size()).isLessThanOrEqualTo(2);
      page.get("studies").forEach(s -> names.add(s.get("name").asString()));
      cursor = page.get("next").isNull() ? null : page.get("next").asString();
    }
    assertThat(names).hasSize(5).doesNotHaveDuplicates();
  }
}
