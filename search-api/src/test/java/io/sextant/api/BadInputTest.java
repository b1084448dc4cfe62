package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A table of malformed or impossible requests: each gets a 4xx problem+json naming the field and changes nothing.
 * The many ways a study body can be wrong are checked without a server in {@code study.StudySpecParserTest}; here a
 * few of them stand for the HTTP path they all share.
 */
class BadInputTest extends ApiTestBase {
  private long study;
  private long running;
  private long finished;

  @BeforeEach
  void setUp() {
    study = create(demoStudy(unique("bad")));
    JsonNode ts = suggest(study, 2, "w");
    running = ts.get(0).get("number").asLong();
    finished = ts.get(1).get("number").asLong();
    assertThat(complete(study, finished, 1.0).status()).isEqualTo(200);
  }

  record Case(String what, String path, String body, String contentType, int status, String field) {}

  private static String space(String param) {
    return "{\"name\":\"n-" + java.util.UUID.randomUUID() + "\",\"space\":{\"parameters\":[" + param + "]},"
        + "\"objectives\":[{\"metric\":\"y\"}]}";
  }

  private List<Case> cases() {
    String s = "/api/v1/studies/" + study;
    String big = "{\"name\":\"" + "x".repeat(1_100_000) + "\"}";
    List<Case> c = new ArrayList<>();
    c.add(new Case("low >= high", "/api/v1/studies",
        space("{\"name\":\"a\",\"type\":\"float\",\"low\":1,\"high\":1}"), null, 400, "space.parameters[0].low"));
    c.add(new Case("unknown field", "/api/v1/studies",
        "{\"name\":\"x8\",\"objectives\":[{\"metric\":\"y\"}],\"colour\":\"red\"}", null, 400, "colour"));
    c.add(new Case("bad executor pool", "/api/v1/studies",
        space("{\"name\":\"a\",\"type\":\"float\",\"low\":0,\"high\":1}").replaceFirst("\\}$",
            ",\"resources\":{\"pool\":\"a b\"}}"), null, 400, "resources.pool"));
    c.add(new Case("missing name", "/api/v1/studies", "{\"objectives\":[{\"metric\":\"y\"}]}", null, 400, "name"));
    c.add(new Case("duplicate study name", "/api/v1/studies",
        Http.JSON.writeValueAsString(demoStudy(http.get(s).json().get("name").asString())), null, 409, "name"));
    c.add(new Case("malformed JSON", "/api/v1/studies", "{\"name\": ", null, 400, "body"));
    c.add(new Case("array body", "/api/v1/studies", "[1,2]", null, 400, "body"));
    c.add(new Case("malformed YAML", "/api/v1/studies", "name: [unclosed", "application/yaml", 400, "body"));
    c.add(new Case("oversized body", "/api/v1/studies", big, null, 413, "body"));
    c.add(new Case("count <= 0", s + "/suggestions", "{\"count\":0}", null, 400, "count"));
    c.add(new Case("count > limit", s + "/suggestions", "{\"count\":100000}", null, 400, "count"));
    c.add(new Case("count not a number", s + "/suggestions", "{\"count\":\"many\"}", null, 400, "count"));
    c.add(new Case("null context value", s + "/suggestions", "{\"count\":1,\"context\":{\"a\":null}}", null, 400,
        "context.a"));
    c.add(new Case("nested context value", s + "/suggestions", "{\"count\":2,\"context\":{\"b\":{\"c\":1}}}", null,
        400, "context.b"));
    c.add(new Case("context number out of range", s + "/suggestions", "{\"count\":1,\"context\":{\"a\":1e400}}", null,
        400, "context.a"));
    c.add(new Case("context name too long", s + "/suggestions",
        "{\"count\":1,\"context\":{\"" + "k".repeat(300) + "\":1}}", null, 400, "context"));
    c.add(new Case("metadata number out of range", s + "/trials",
        "{\"params\":{\"lr\":0.01,\"layers\":2,\"opt\":\"adam\"},\"metadata\":{\"x\":1e400}}", null, 400, "metadata.x"));
    c.add(new Case("NUL in a failure reason", s + "/trials/" + running + "/fail", "{\"reason\":\"a\\u0000b\"}", null,
        400, "reason"));
    c.add(new Case("context not an object", s + "/suggestions", "{\"count\":1,\"context\":[1]}", null, 400,
        "context"));
    c.add(new Case("unknown study", "/api/v1/studies/999999/suggestions", "{\"count\":1}", null, 404, null));
    c.add(new Case("unknown trial", s + "/trials/99999/complete", "{\"values\":{\"loss\":1}}", null, 404, null));
    c.add(new Case("completing a finished trial with other values", s + "/trials/" + finished + "/complete",
        "{\"values\":{\"loss\":2}}", null, 409, "state"));
    c.add(new Case("telling a finished trial infeasible", s + "/trials/" + finished + "/complete",
        "{\"infeasible\":\"x\"}", null, 409, "state"));
    c.add(new Case("completing at another attempt", s + "/trials/" + running + "/complete",
        "{\"values\":{\"loss\":1},\"attempt\":2}", null, 409, "attempt"));
    c.add(new Case("attempt 0", s + "/trials/" + running + "/heartbeat", "{\"attempt\":0}", null, 400, "attempt"));
    c.add(new Case("unknown heartbeat field", s + "/trials/" + running + "/heartbeat", "{\"alive\":true}", null, 400,
        "alive"));
    c.add(new Case("heartbeat of a finished trial", s + "/trials/" + finished + "/heartbeat", "{}", null, 409,
        "state"));
    c.add(new Case("heartbeat of an unknown trial", s + "/trials/99999/heartbeat", "{}", null, 404, null));
    c.add(new Case("unknown query parameter", s + "/trials?size=5", null, null, 400, "size"));
    c.add(new Case("failing a finished trial", s + "/trials/" + finished + "/fail", "{\"reason\":\"x\"}", null, 409,
        "state"));
    c.add(new Case("value for an unknown metric", s + "/trials/" + running + "/complete",
        "{\"values\":{\"loss\":1,\"acc\":2}}", null, 400, "values.acc"));
    c.add(new Case("missing objective value", s + "/trials/" + running + "/complete", "{\"values\":{}}", null, 400,
        "values.loss"));
    c.add(new Case("value not a number", s + "/trials/" + running + "/complete", "{\"values\":{\"loss\":\"low\"}}",
        null, 400, "values.loss"));
    c.add(new Case("both values and infeasible", s + "/trials/" + running + "/complete",
        "{\"values\":{\"loss\":1},\"infeasible\":\"x\"}", null, 400, "values"));
    c.add(new Case("fail without reason", s + "/trials/" + running + "/fail", "{}", null, 400, "reason"));
    c.add(new Case("enqueue outside the space", s + "/trials",
        "{\"params\":{\"lr\":5,\"layers\":1,\"opt\":\"adam\"}}", null, 400, "params.lr"));
    c.add(new Case("enqueue inactive conditional", s + "/trials",
        "{\"params\":{\"lr\":0.01,\"layers\":1,\"opt\":\"adam\",\"momentum\":0.5}}", null, 400, "params.momentum"));
    c.add(new Case("enqueue unknown parameter", s + "/trials",
        "{\"params\":{\"lr\":0.01,\"layers\":1,\"opt\":\"adam\",\"foo\":1}}", null, 400, "params.foo"));
    c.add(new Case("enqueue missing parameter", s + "/trials", "{\"params\":{\"lr\":0.01}}", null, 400,
        "params.layers"));
    c.add(new Case("negative step", s + "/trials/" + running + "/measurements",
        "{\"step\":-1,\"values\":{\"loss\":1}}", null, 400, "step"));
    c.add(new Case("measurement on finished trial", s + "/trials/" + finished + "/measurements",
        "{\"step\":1,\"values\":{\"loss\":1}}", null, 409, "state"));
    c.add(new Case("bad export format", s + "/export?format=xml", null, null, 400, "format"));
    c.add(new Case("bad state filter", s + "/trials?state=DONE", null, null, 400, "state"));
    c.add(new Case("bad limit", s + "/trials?limit=0", null, null, 400, "limit"));
    c.add(new Case("non-numeric id", "/api/v1/studies/abc", null, null, 400, "id"));
    return c;
  }

  /** Everything a request could change: the studies and every trial of this study. */
  private String state() {
    return http.get("/api/v1/studies?limit=1000").text() + http.get("/api/v1/studies/" + study + "/export?format=json").text();
  }

  @Test
  void everyBadRequestIsA4xxProblemNamingTheFieldAndChangesNothing() {
    for (Case c : cases()) {
      String before = state();
      Http.Res r = c.body() == null
          ? http.get(c.path())
          : http.post(c.path(), c.body(), c.contentType() == null ? "application/json" : c.contentType());
      assertThat(r.status()).as(c.what() + ": " + r.text()).isEqualTo(c.status());
      assertThat(r.contentType()).as(c.what()).startsWith("application/problem+json");
      JsonNode p = r.json();
      assertThat(p.get("status").asInt()).as(c.what()).isEqualTo(c.status());
      assertThat(p.get("detail").asString()).as(c.what()).isNotBlank().doesNotContain("Exception");
      if (c.field() != null) {
        assertThat(r.field()).as(c.what() + ": " + r.text()).isEqualTo(c.field());
      }
      assertThat(state()).as(c.what() + " changed something").isEqualTo(before);
    }
  }

  @Test
  void unknownRoutesAndMethodsAreProblems() {
    for (Http.Res r : Stream.of(http.get("/api/v1/nothing-here"), http.delete("/api/v1/studies/" + study + "/best"))
        .toList()) {
      assertThat(r.status()).isBetween(400, 499);
    }
    assertThat(http.get("/api/v1/studies/" + study).json().get("state").asString()).isEqualTo("ACTIVE");
  }
}
