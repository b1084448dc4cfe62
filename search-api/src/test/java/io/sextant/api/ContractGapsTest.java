package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * Issue 20's contract gaps: studies without parameters for designers that need them, unknown query parameters,
 * the status OpenAPI documents for creation, and where a malformed body went wrong.
 */
class ContractGapsTest extends ApiTestBase {
  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  private long studyCount() {
    return http.get("/api/v1/studies?limit=1000").json().get("studies").size();
  }

  @Test
  void aStudyWithoutParametersIsRefusedForEveryDesignerThatNeedsThem() {
    JsonNode algorithms = http.get("/api/v1/algorithms").json().get("algorithms");
    List<String> needing = new ArrayList<>();
    for (JsonNode a : algorithms) {
      String name = a.get("name").asString();
      boolean needs = a.get("needsParameters").asBoolean();
      if (needs) {
        needing.add(name);
      }
      for (Object space : new Object[] {null, Map.of("parameters", List.of())}) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", unique("no-space-" + name));
        if (space != null) {
          body.put("space", space);
        }
        body.put("objectives", List.of(Map.of("metric", "y")));
        body.put("algorithm", Map.of("name", name));
        long before = studyCount();
        Http.Res r = http.post("/api/v1/studies", body);
        if (needs) {
          assertThat(r.status()).as(name + " " + space + ": " + r.text()).isEqualTo(400);
          assertThat(r.field()).as(name).isEqualTo("space");
          assertThat(r.contentType()).startsWith("application/problem+json");
          assertThat(studyCount()).as("nothing created").isEqualTo(before);
        } else {
          assertThat(r.status()).as(name + " " + space + ": " + r.text()).isEqualTo(201);
        }
      }
    }
    assertThat(needing).contains("random", "sobol", "gp-bo", "nsga2", "ehvi", "parego", "tsallis-inf", "linucb")
        .doesNotContain("program-evolution");
    // the same body with a parameter is fine
    Map<String, Object> ok = new LinkedHashMap<>(Map.of("name", unique("with-space"),
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "y"))));
    assertThat(http.post("/api/v1/studies", ok).status()).isEqualTo(201);
  }

  @Test
  void unknownQueryParametersAreRefusedOnEveryEndpointNamingTheParameter() {
    long id = create(demoStudy(unique("query")));
    long n = suggest(id, 1, "w").get(0).get("number").asLong();
    String s = "/api/v1/studies/" + id;
    Http.Res size = http.get(s + "/trials?size=5");
    assertThat(size.status()).as(size.text()).isEqualTo(400);
    assertThat(size.field()).isEqualTo("size");
    assertThat(size.json().get("detail").asString()).contains("'size'").contains("limit");
    assertThat(http.get(s + "/trials?limit=5&after=0&state=RUNNING&measurements=false").status()).isEqualTo(200);
    assertThat(http.get(s + "/export?format=csv&fromat=json").field()).isEqualTo("fromat");
    assertThat(http.get("/api/v1/studies?limit=5&q=query").status()).isEqualTo(200);
    assertThat(http.get("/api/v1/algorithms?verbose=true").field()).isEqualTo("verbose");
    // refused before anything runs: no trial issued, nothing deleted
    Http.Res ask = http.post(s + "/suggestions?count=3", Map.of("count", 1));
    assertThat(ask.status()).isEqualTo(400);
    assertThat(ask.field()).isEqualTo("count");
    assertThat(http.delete(s + "?force=true").field()).isEqualTo("force");
    JsonNode study = http.get(s).json();
    assertThat(study.get("trialsIssued").asLong()).isEqualTo(1);
    assertThat(http.get(s + "/trials/" + n).json().get("state").asString()).isEqualTo("RUNNING");

    // every API endpoint the service maps: a made-up parameter is a 400 naming it (before the handler runs, so the
    // path's ids need not exist)
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mappings.getHandlerMethods().entrySet()) {
      if (!e.getValue().getBeanType().getPackageName().startsWith("io.sextant")) {
        continue;
      }
      for (String pattern : e.getKey().getPatternValues()) {
        if (!pattern.startsWith("/api/")) {
          continue;
        }
        String path = pattern.replaceAll("\\{[^}]+}", "999999") + "?bogus=1";
        var methods = e.getKey().getMethodsCondition().getMethods();
        String method = methods.isEmpty() ? "GET" : methods.iterator().next().name();
        Http.Res r = switch (method) {
          case "GET" -> http.get(path);
          case "DELETE" -> http.delete(path);
          case "PATCH" -> http.patch(path, "{}");
          default -> http.post(path, "{}", "application/json");
        };
        checked++;
        if (r.status() != 400 || !"bogus".equals(r.field())) {
          failures.add(method + " " + pattern + " -> " + r.status() + " " + r.text());
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(checked).isGreaterThan(20);
  }

  @Test
  void openApiListsCreationAs201() {
    JsonNode paths = http.get("/v3/api-docs").json().get("paths");
    for (String path : List.of("/api/v1/studies", "/api/v1/studies/import", "/api/v1/studies/{id}/trials")) {
      JsonNode responses = paths.get(path).get("post").get("responses");
      assertThat(responses.has("201")).as(path + " " + responses).isTrue();
      assertThat(responses.has("200")).as(path + " " + responses).isFalse();
    }
    assertThat(http.post("/api/v1/studies", demoStudy(unique("created"))).status()).isEqualTo(201);
  }

  @Test
  void aMalformedBodyIsA400GivingTheLineAndColumn() {
    Http.Res json = http.post("/api/v1/studies", "{\n  \"name\": \"x\",\n  \"objectives\": [{\"metric\": \"y\"}}\n}",
        "application/json");
    assertThat(json.status()).as(json.text()).isEqualTo(400);
    assertThat(json.field()).isEqualTo("body");
    assertThat(json.json().get("detail").asString()).contains("line 3, column");
    assertThat(json.json().get("detail").asString()).doesNotContain("Exception").doesNotContain("java.");

    Http.Res yaml = http.post("/api/v1/studies", "name: x\nobjectives:\n  - metric: y\n   bad: [unclosed\n",
        "application/yaml");
    assertThat(yaml.status()).as(yaml.text()).isEqualTo(400);
    assertThat(yaml.field()).isEqualTo("body");
    assertThat(yaml.json().get("detail").asString()).containsPattern("line [34], column");

    Http.Res tell = http.post("/api/v1/studies/1/suggestions", "{\"count\": 1,,}", "application/json");
    assertThat(tell.status()).isEqualTo(400);
    assertThat(tell.json().get("detail").asString()).contains("line 1, column 13");
  }
}
