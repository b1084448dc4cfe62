package io.sextant.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.api.ApiTestBase;
import io.sextant.api.Http;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Every endpoint x every role x no / expired / revoked token: allowed calls are not refused (no 401/403), denied
 * ones get 403 (wrong role) or 401 (no valid token), always as problem+json.
 */
class AuthorizationMatrixTest extends ApiTestBase {
  @Autowired
  TokenService tokenService;

  /** What a check needs: a study owned by the caller's side, with a few RUNNING trials. */
  record Fixture(long study, long trial, String executorId, long user) {}

  record Endpoint(String name, String method, Function<Fixture, String> path, String body, Set<Role> allowed) {}

  private static final Set<Role> READ = EnumSet.of(Role.ADMIN, Role.MEMBER, Role.VIEWER);
  private static final Set<Role> WRITE = EnumSet.of(Role.ADMIN, Role.MEMBER);
  private static final Set<Role> EXEC = EnumSet.of(Role.ADMIN, Role.EXECUTOR);

  private static List<Endpoint> endpoints() {
    List<Endpoint> e = new ArrayList<>();
    e.add(new Endpoint("list studies", "GET", f -> "/api/v1/studies", null, READ));
    e.add(new Endpoint("get study", "GET", f -> "/api/v1/studies/" + f.study(), null, READ));
    e.add(new Endpoint("list trials", "GET", f -> "/api/v1/studies/" + f.study() + "/trials", null, READ));
    e.add(new Endpoint("trial rows", "GET", f -> "/api/v1/studies/" + f.study() + "/trials/compact", null, READ));
    e.add(new Endpoint("get trial", "GET", f -> "/api/v1/studies/" + f.study() + "/trials/" + f.trial(), null, READ));
    e.add(new Endpoint("pareto", "GET", f -> "/api/v1/studies/" + f.study() + "/pareto", null, READ));
    e.add(new Endpoint("best", "GET", f -> "/api/v1/studies/" + f.study() + "/best", null, READ));
    e.add(new Endpoint("arms", "GET", f -> "/api/v1/studies/" + f.study() + "/arms", null, READ));
    e.add(new Endpoint("programs", "GET", f -> "/api/v1/studies/" + f.study() + "/programs", null, READ));
    e.add(new Endpoint("importance", "GET", f -> "/api/v1/studies/" + f.study() + "/importance", null, READ));
    e.add(new Endpoint("export", "GET", f -> "/api/v1/studies/" + f.study() + "/export?format=csv", null, READ));
    e.add(new Endpoint("algorithms", "GET", f -> "/api/v1/algorithms", null, READ));
    e.add(new Endpoint("evaluators", "GET", f -> "/api/v1/evaluators", null, READ));
    e.add(new Endpoint("list executors", "GET", f -> "/api/v1/executors", null, READ));
    e.add(new Endpoint("list tokens", "GET", f -> "/api/v1/tokens", null, READ));
    e.add(new Endpoint("me", "GET", f -> "/api/v1/me", null, READ));
    e.add(new Endpoint("openapi", "GET", f -> "/v3/api-docs", null, READ));
    e.add(new Endpoint("create study", "POST", f -> "/api/v1/studies",
        "{\"name\":\"m-" + java.util.UUID.randomUUID() + "\",\"objectives\":[{\"metric\":\"y\"}]}", WRITE));
    e.add(new Endpoint("import study", "POST", f -> "/api/v1/studies/import",
        "{\"format\":\"sextant-study/1\",\"study\":{\"name\":\"imp-" + java.util.UUID.randomUUID()
            + "\",\"objectives\":[{\"metric\":\"y\"}]}}", WRITE));
    e.add(new Endpoint("suggest", "POST", f -> "/api/v1/studies/" + f.study() + "/suggestions", "{\"count\":1}", WRITE));
    e.add(new Endpoint("enqueue", "POST", f -> "/api/v1/studies/" + f.study() + "/trials",
        "{\"params\":{\"x\":0.5}}", WRITE));
    e.add(new Endpoint("measure", "POST", f -> "/api/v1/studies/" + f.study() + "/trials/" + f.trial()
        + "/measurements", "{\"step\":1,\"values\":{\"y\":1}}", WRITE));
    e.add(new Endpoint("complete", "POST", f -> "/api/v1/studies/" + f.study() + "/trials/" + f.trial()
        + "/complete", "{\"values\":{\"y\":1}}", WRITE));
    e.add(new Endpoint("fail", "POST", f -> "/api/v1/studies/" + f.study() + "/trials/" + (f.trial() + 1)
        + "/fail", "{\"reason\":\"x\"}", WRITE));
    e.add(new Endpoint("prune", "POST", f -> "/api/v1/studies/" + f.study() + "/trials/" + f.trial() + "/prune",
        "{\"reason\":\"x\"}", WRITE));
    e.add(new Endpoint("trial heartbeat", "POST", f -> "/api/v1/studies/" + f.study() + "/trials/" + f.trial()
        + "/heartbeat", "{}", WRITE));
    e.add(new Endpoint("pause", "POST", f -> "/api/v1/studies/" + f.study() + "/pause", "", WRITE));
    e.add(new Endpoint("resume", "POST", f -> "/api/v1/studies/" + f.study() + "/resume", "", WRITE));
    e.add(new Endpoint("register executor", "POST", f -> "/api/v1/executors",
        "{\"name\":\"n\",\"slots\":1}", EXEC));
    e.add(new Endpoint("lease", "POST", f -> "/api/v1/executors/" + f.executorId() + "/leases",
        "{\"max\":1,\"waitSeconds\":0}", EXEC));
    e.add(new Endpoint("heartbeat", "POST", f -> "/api/v1/executors/" + f.executorId() + "/heartbeat",
        "{\"leases\":[]}", EXEC));
    e.add(new Endpoint("create user", "POST", f -> "/api/v1/users",
        "{\"username\":\"u" + System.nanoTime() + "\",\"role\":\"VIEWER\"}", EnumSet.of(Role.ADMIN)));
    e.add(new Endpoint("list users", "GET", f -> "/api/v1/users", null, EnumSet.of(Role.ADMIN)));
    e.add(new Endpoint("change user", "PATCH", f -> "/api/v1/users/" + f.user(), "{\"commands\":false}",
        EnumSet.of(Role.ADMIN)));
    e.add(new Endpoint("sign-in link", "POST", f -> "/api/v1/users/" + f.user() + "/sign-in-link", "",
        EnumSet.of(Role.ADMIN)));
    e.add(new Endpoint("create viewer token", "POST", f -> "/api/v1/tokens",
        "{\"name\":\"t\",\"role\":\"VIEWER\"}", READ));
    e.add(new Endpoint("lease measurement", "POST", f -> "/api/v1/executors/" + f.executorId()
        + "/leases/999999/1/measurements", "{\"step\":1,\"values\":{\"y\":1}}", EXEC));
    e.add(new Endpoint("lease complete", "POST", f -> "/api/v1/executors/" + f.executorId()
        + "/leases/999999/1/complete", "{\"values\":{\"y\":1}}", EXEC));
    e.add(new Endpoint("lease fail", "POST", f -> "/api/v1/executors/" + f.executorId()
        + "/leases/999999/1/fail", "{\"reason\":\"x\"}", EXEC));
    e.add(new Endpoint("lease outcomes", "POST", f -> "/api/v1/executors/" + f.executorId() + "/outcomes",
        "{\"outcomes\":[{\"trialId\":999999,\"attempt\":1,\"values\":{\"y\":1}}]}", EXEC));
    e.add(new Endpoint("revoke token", "DELETE", f -> "/api/v1/tokens/999999", null, READ));
    e.add(new Endpoint("delete study", "DELETE", f -> "/api/v1/studies/" + f.study(), null, WRITE));
    e.add(new Endpoint("deregister executor", "DELETE", f -> "/api/v1/executors/" + f.executorId(), null, EXEC));
    e.add(new Endpoint("web ui", "GET", f -> "/", null, READ));
    return e;
  }

  private Http.Res call(Http h, Endpoint e, Fixture f) {
    String path = e.path().apply(f);
    return switch (e.method()) {
      case "GET" -> h.get(path);
      case "DELETE" -> h.delete(path);
      case "PATCH" -> h.patch(path, e.body());
      default -> h.post(path, e.body(), "application/json");
    };
  }

  private String tokenFor(Role role) {
    String username = role.name().toLowerCase() + "-" + unique("u");
    JsonNode u = http.post("/api/v1/users", Map.of("username", username, "role", role.name())).json();
    return tokenService.create(u.get("id").asLong(), "matrix", role, Optional.empty(), Optional.empty(), false)
        .token();
  }

  /**
   * A study owned by {@code owner}, with trials 1 and 2 RUNNING, an executor registered by {@code registrar} (an
   * executor belongs to the token that registered it) and a user to change.
   */
  private Fixture fixture(Http owner, Http registrar) {
    Http.Res created = owner.post("/api/v1/studies", Map.of("name", unique("matrix"),
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "y"))));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    long id = created.json().get("id").asLong();
    JsonNode ts = owner.post("/api/v1/studies/" + id + "/suggestions", Map.of("count", 2)).json().get("trials");
    String executor = registrar.post("/api/v1/executors", Map.of("name", "x", "slots", 1)).json().get("id").asString();
    long user = http.post("/api/v1/users", Map.of("username", unique("fixture"), "role", "VIEWER")).json().get("id")
        .asLong();
    return new Fixture(id, ts.get(0).get("number").asLong(), executor, user);
  }

  @Test
  void everyEndpointByEveryRole() {
    List<String> failures = new ArrayList<>();
    for (Role role : Role.values()) {
      Http client = new Http(port, tokenFor(role));
      Http owner = role == Role.MEMBER ? client : http;
      for (Endpoint e : endpoints()) {
        Fixture f = fixture(owner, role == Role.EXECUTOR ? client : http);
        Http.Res r = call(client, e, f);
        boolean allowed = e.allowed().contains(role);
        boolean refused = r.status() == 401 || r.status() == 403;
        if (allowed == refused || (refused && !r.contentType().startsWith("application/problem+json"))) {
          failures.add(role + " " + e.name() + " -> " + r.status() + " " + r.text());
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void noExpiredOrRevokedTokenGetsAnythingButHealthAndTheLoginPage() {
    long adminId = http.get("/api/v1/me").json().get("userId").asLong();
    String expired = tokenService.create(adminId, "old", Role.ADMIN, Optional.of(OffsetDateTime.now().minusMinutes(1)),
        Optional.empty(), true).token();
    JsonNode made = http.post("/api/v1/tokens", Map.of("name", "soon revoked", "role", "ADMIN")).json();
    Http revokedClient = new Http(port, made.get("token").asString());
    assertThat(revokedClient.get("/api/v1/me").status()).isEqualTo(200);
    assertThat(http.delete("/api/v1/tokens/" + made.get("id").asLong()).status()).isEqualTo(204);
    Fixture f = fixture(http, http);
    for (Http client : List.of(new Http(port, null), new Http(port, expired), revokedClient,
        new Http(port, "sxt_not_a_token"))) {
      for (Endpoint e : endpoints()) {
        Http.Res r = call(client, e, f);
        if (e.name().equals("web ui") && r.status() == 302) {
          continue; // the browser is sent to the login page
        }
        assertThat(r.status()).as(e.name() + ": " + r.text()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
      }
    }
    assertThat(new Http(port, null).get("/actuator/health").status()).isEqualTo(200);
    assertThat(new Http(port, null).get("/login").status()).isEqualTo(200);
    // the study is untouched by all of that
    assertThat(http.get("/api/v1/studies/" + f.study()).json().get("state").asString()).isEqualTo("ACTIVE");
  }

  @Test
  void aMemberCannotChangeAnotherMembersStudyAndAnExecutorCannotReadStudies() {
    Http alice = new Http(port, tokenFor(Role.MEMBER));
    Http bob = new Http(port, tokenFor(Role.MEMBER));
    Fixture f = fixture(alice, http);
    assertThat(bob.get("/api/v1/studies/" + f.study()).status()).isEqualTo(200);
    for (Http.Res r : List.of(bob.delete("/api/v1/studies/" + f.study()),
        bob.post("/api/v1/studies/" + f.study() + "/pause", ""),
        bob.post("/api/v1/studies/" + f.study() + "/suggestions", Map.of("count", 1)),
        bob.post("/api/v1/studies/" + f.study() + "/trials/" + f.trial() + "/complete", Map.of("values", Map.of("y", 1))))) {
      assertThat(r.status()).as(r.text()).isEqualTo(403);
    }
    JsonNode s = http.get("/api/v1/studies/" + f.study()).json();
    assertThat(s.get("state").asString()).isEqualTo("ACTIVE");
    assertThat(s.get("trialsIssued").asLong()).isEqualTo(2);
    assertThat(alice.delete("/api/v1/studies/" + f.study()).status()).isEqualTo(204);

    Http executor = new Http(port, tokenFor(Role.EXECUTOR));
    assertThat(executor.get("/api/v1/studies").status()).isEqualTo(403);
    assertThat(executor.post("/api/v1/studies", Map.of("name", "x", "objectives", List.of(Map.of("metric", "y"))))
        .status()).isEqualTo(403);
    // a member may not mint admin tokens; a token's secret is never listed
    assertThat(alice.post("/api/v1/tokens", Map.of("name", "x", "role", "ADMIN")).status()).isEqualTo(403);
    assertThat(http.get("/api/v1/tokens").text()).doesNotContain("sxt_");
  }

  @Autowired
  @org.springframework.beans.factory.annotation.Qualifier("requestMappingHandlerMapping")
  org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping mappings;

  /** Keeps the matrix honest: every API endpoint the service maps has at least one row above. */
  @Test
  void theMatrixCoversEveryMappedEndpoint() {
    Fixture f = new Fixture(1, 1, "executor-id", 1);
    var parser = new org.springframework.web.util.pattern.PathPatternParser();
    List<String> uncovered = new ArrayList<>();
    mappings.getHandlerMethods().forEach((info, method) -> {
      for (String pattern : info.getPatternValues()) {
        if (!pattern.startsWith("/api/")) {
          continue;
        }
        var compiled = parser.parse(pattern);
        Set<org.springframework.web.bind.annotation.RequestMethod> verbs = info.getMethodsCondition().getMethods();
        boolean covered = endpoints().stream().anyMatch(e -> (verbs.isEmpty()
                || verbs.contains(org.springframework.web.bind.annotation.RequestMethod.valueOf(e.method())))
            && compiled.matches(org.springframework.http.server.PathContainer.parsePath(
                e.path().apply(f).replaceFirst("\\?.*$", ""))));
        if (!covered) {
          uncovered.add(verbs + " " + pattern);
        }
      }
    });
    assertThat(uncovered).as("endpoints missing from the authorization matrix").isEmpty();
  }
}
