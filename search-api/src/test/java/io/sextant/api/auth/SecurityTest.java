package io.sextant.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.api.ApiTestBase;
import io.sextant.api.Http;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The adversarial review's findings (issue 19), each as the attack it was: a MEMBER running programs, an executor
 * token acting on what is not its own, a weaker token acting with its user's full rights, sign-in links, password
 * guessing, secrets shown to readers, unbounded limits, CSRF loopholes and oversized chunked bodies.
 */
class SecurityTest extends ApiTestBase {
  @Autowired
  Bootstrap bootstrap;

  private record User(long id, String name, Http http, String token) {}

  private User user(String role, boolean commands) {
    String name = unique(role.toLowerCase());
    Http.Res u = http.post("/api/v1/users", Map.of("username", name, "role", role, "password", "correct horse battery",
        "commands", commands));
    assertThat(u.status()).as(u.text()).isEqualTo(201);
    long id = u.json().get("id").asLong();
    // a user's own token: signed in as that user (with a link an admin made), minted by that user
    Browser b = new Browser(port);
    String link = http.post("/api/v1/users/" + id + "/sign-in-link", "").json().get("path").asString();
    String secret = link.substring(link.indexOf('=') + 1);
    assertThat(b.signIn("?token=" + secret, Map.of("token", secret)).location()).hasValue("/");
    Http.Res t = sessionPost(b, "/api/v1/tokens", "{\"name\":\"own\",\"role\":\"" + role + "\"}");
    assertThat(t.status()).as(t.text()).isEqualTo(201);
    String token = t.json().get("token").asString();
    return new User(id, name, new Http(port, token), token);
  }

  private static Http.Res sessionPost(Browser b, String path, String json) {
    Browser.Res r = b.postJson(path, json, true, Map.of());
    return new Http.Res(r.status(), r.header("Content-Type").orElse(""), r.text(), r.headers());
  }

  private static Map<String, Object> commandStudy(String name, String command) {
    return Map.of("name", name,
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "y")),
        "evaluator", Map.of("name", "command", "config", Map.of("command", command,
            "env", Map.of("STUDY_VAR", "kept"), "timeoutSeconds", 30)),
        "limits", Map.of("maxTrials", 1, "maxAttempts", 1));
  }

  // ------------------------------------------------------------------------------------------ 1. commands

  @Test
  void aMemberRunsNoProgramUntilAnAdminGrantsItAndProgramsGetACleanEnvironment() throws Exception {
    User member = user("MEMBER", false);
    String name = unique("cmd");
    Http.Res refused = member.http().post("/api/v1/studies", commandStudy(name, "id >&2; exit 3"));
    assertThat(refused.status()).as(refused.text()).isEqualTo(403);
    assertThat(refused.field()).isEqualTo("evaluator.name");
    assertThat(http.get("/api/v1/studies?q=" + name).json().get("studies")).isEmpty();
    // imports are checked the same way
    Http.Res imported = member.http().post("/api/v1/studies/import", Map.of("format", "sextant-study/1",
        "study", commandStudy(unique("imp"), "true")));
    assertThat(imported.status()).as(imported.text()).isEqualTo(403);

    // granted: the study is accepted; withdrawn: its trials are not handed out any more
    assertThat(http.patch("/api/v1/users/" + member.id(), "{\"commands\":true}").status()).isEqualTo(200);
    Http.Res created = createWhenCapable(member, commandStudy(name,
        "echo \"ENV[ $(env | cut -d= -f1 | sort | tr '\\n' ' ') ]ENV\" >&2; exit 3"));
    long study = created.json().get("id").asLong();
    assertThat(http.patch("/api/v1/users/" + member.id(), "{\"commands\":false}").status()).isEqualTo(200);
    Thread.sleep(TokenService.CACHE_MILLIS + 200);
    assertThat(member.http().post("/api/v1/studies/" + study + "/resume", "").status()).isEqualTo(200);
    Thread.sleep(2_000);
    assertThat(http.get("/api/v1/studies/" + study).json().get("trialsIssued").asLong()).isZero();
    assertThat(http.patch("/api/v1/users/" + member.id(), "{\"commands\":true}").status()).isEqualTo(200);
    awaitState(study, "FAILED"); // its only trial failed (exit 3)

    // the program saw no variable of the server's but the allowlisted ones, the study's env and the trial's
    JsonNode t = http.get("/api/v1/studies/" + study + "/trials/1").json();
    assertThat(t.get("state").asString()).isEqualTo("FAILED");
    String reason = t.get("failureReason").asString();
    assertThat(reason).contains("ENV[").contains("]ENV");
    Set<String> names = new HashSet<>(Arrays.asList(reason.substring(reason.indexOf("ENV[") + 4,
        reason.indexOf("]ENV")).trim().split("\\s+")));
    assertThat(names).contains("STUDY_VAR", "SEXTANT_TRIAL_NUMBER", "SEXTANT_PARAMS_FILE", "PATH");
    Set<String> allowed = Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR",
        "TEMP", "TMP", "TERM", "LD_LIBRARY_PATH", "PYTHONPATH", "VIRTUAL_ENV", "CONDA_PREFIX", "CUDA_HOME",
        "CUDA_PATH", "JAVA_HOME", "STUDY_VAR", "CUDA_VISIBLE_DEVICES", "PWD", "SHLVL", "_", "OLDPWD");
    for (String n : names) {
      assertThat(allowed.contains(n) || n.startsWith("LC_") || n.startsWith("SEXTANT_PARAM")
          || Set.of("SEXTANT_PARAMS_FILE", "SEXTANT_WORK_DIR", "SEXTANT_TRIAL_NUMBER", "SEXTANT_OBJECTIVES",
              "SEXTANT_DEADLINE").contains(n)).as("variable %s reached the program", n).isTrue();
    }
  }

  private Http.Res createWhenCapable(User u, Map<String, Object> body) throws InterruptedException {
    // a user's rights are cached for a few seconds: the grant takes effect within TokenService.CACHE_MILLIS
    long end = System.currentTimeMillis() + TokenService.CACHE_MILLIS + 2_000;
    Http.Res r;
    do {
      r = u.http().post("/api/v1/studies?paused=true", body);
      if (r.status() == 201) {
        return r;
      }
      Thread.sleep(200);
    } while (System.currentTimeMillis() < end);
    throw new AssertionError(r.text());
  }

  private void awaitState(long study, String state) throws InterruptedException {
    long end = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < end
        && !http.get("/api/v1/studies/" + study).json().get("state").asString().equals(state)) {
      Thread.sleep(100);
    }
    assertThat(http.get("/api/v1/studies/" + study).json().get("state").asString()).isEqualTo(state);
  }

  // ------------------------------------------------------------------------------------------ 4. executors

  private static Map<String, Object> remoteStudy(String name, String evaluator) {
    return Map.of("name", name,
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "y")),
        "evaluator", Map.of("name", evaluator, "config", Map.of("env", Map.of("WANDB_API_KEY", "secret-123"))),
        "limits", Map.of("maxTrials", 5));
  }

  private static String register(Http h, String evaluator) {
    Http.Res r = h.post("/api/v1/executors", Map.of("name", "n", "slots", 1, "evaluators", List.of(evaluator)));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().get("id").asString();
  }

  private static JsonNode lease(Http h, String executor) {
    Http.Res r = h.post("/api/v1/executors/" + executor + "/leases", Map.of("max", 5, "waitSeconds", 0));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().get("leases");
  }

  @Test
  void executorsBelongToTheirTokenAndAMembersExecutorsLeaseOnlyItsStudies() {
    String evaluator = unique("remote-only"); // no in-process evaluator of that name: only our executors run it
    User member = user("MEMBER", false);
    Http memberExecutor = new Http(port, member.http().post("/api/v1/tokens",
        Map.of("name", "exec", "role", "EXECUTOR")).json().get("token").asString());
    Http adminExecutor = new Http(port, http.post("/api/v1/tokens", Map.of("name", "exec", "role", "EXECUTOR"))
        .json().get("token").asString());
    String mine = register(memberExecutor, evaluator);
    String admins = register(adminExecutor, evaluator);
    long adminStudy = create(remoteStudy(unique("admin-study"), evaluator));

    // the member's executor gets nothing of the admin's study; the admin's executor does, with its secrets
    assertThat(lease(memberExecutor, mine)).isEmpty();
    JsonNode got = lease(adminExecutor, admins);
    assertThat(got).isNotEmpty();
    assertThat(got.get(0).get("studyId").asLong()).isEqualTo(adminStudy);
    assertThat(got.get(0).get("evaluatorConfig").get("env").get("WANDB_API_KEY").asString()).isEqualTo("secret-123");
    long memberStudy = member.http().post("/api/v1/studies", remoteStudy(unique("member-study"), evaluator)).json()
        .get("id").asLong();
    JsonNode own = lease(memberExecutor, mine);
    assertThat(own).isNotEmpty();
    assertThat(own).allSatisfy(l -> assertThat(l.get("studyId").asLong()).isEqualTo(memberStudy));

    // acting for another token's executor: 403, nothing changed
    JsonNode l = got.get(0);
    Map<String, Object> outcome = Map.of("outcomes", List.of(Map.of("trialId", l.get("trialId").asLong(),
        "attempt", l.get("attempt").asInt(), "values", Map.of("y", -1e300))));
    assertThat(memberExecutor.post("/api/v1/executors/" + admins + "/outcomes", outcome).status()).isEqualTo(403);
    assertThat(memberExecutor.post("/api/v1/executors/" + admins + "/heartbeat", Map.of("leases", List.of()))
        .status()).isEqualTo(403);
    assertThat(memberExecutor.delete("/api/v1/executors/" + admins).status()).isEqualTo(403);
    assertThat(adminExecutor.delete("/api/v1/executors/" + mine).status()).isEqualTo(403);
    assertThat(http.get("/api/v1/studies/" + adminStudy + "/trials/" + l.get("trialNumber").asLong()).json()
        .get("state").asString()).isEqualTo("RUNNING");
    assertThat(http.get("/api/v1/executors").text()).contains(admins, mine);
    // its own token may
    assertThat(adminExecutor.post("/api/v1/executors/" + admins + "/outcomes", outcome).json().get("stale"))
        .isEmpty();
    assertThat(memberExecutor.delete("/api/v1/executors/" + mine).status()).isEqualTo(204);

    // secrets: masked for everyone but the owner
    User viewer = user("VIEWER", false);
    for (Http reader : List.of(viewer.http(), member.http())) {
      String shown = reader.get("/api/v1/studies/" + adminStudy).text();
      assertThat(shown).doesNotContain("secret-123").contains("WANDB_API_KEY");
      assertThat(reader.get("/api/v1/studies/" + adminStudy + "/export?format=json").text())
          .doesNotContain("secret-123");
    }
    assertThat(viewer.http().get("/api/v1/studies").text()).doesNotContain("secret-123");
    assertThat(http.get("/api/v1/studies/" + adminStudy).text()).contains("secret-123");
    assertThat(member.http().get("/api/v1/studies/" + memberStudy).text()).contains("secret-123");
    http.delete("/api/v1/studies/" + adminStudy);
    http.delete("/api/v1/studies/" + memberStudy);
  }

  // ------------------------------------------------------------------------------------------ 5. token roles

  @Test
  void aTokenActsWithNoMoreThanItsRole() throws Exception {
    long adminToken = http.post("/api/v1/tokens", Map.of("name", "kept", "role", "ADMIN")).json().get("id").asLong();
    Http viewerOfAdmin = new Http(port, http.post("/api/v1/tokens", Map.of("name", "v", "role", "VIEWER")).json()
        .get("token").asString());
    Http memberOfAdmin = new Http(port, http.post("/api/v1/tokens", Map.of("name", "m", "role", "MEMBER")).json()
        .get("token").asString());
    assertThat(viewerOfAdmin.delete("/api/v1/tokens/" + adminToken).status()).isEqualTo(403);
    assertThat(memberOfAdmin.delete("/api/v1/tokens/" + adminToken).status()).isEqualTo(403);
    assertThat(http.get("/api/v1/tokens").json().get("tokens").findValues("id").stream()
        .filter(n -> n.asLong() == adminToken).count()).isEqualTo(1);
    assertThat(new Http(port, http.post("/api/v1/tokens", Map.of("name", "k", "role", "ADMIN")).json().get("token")
        .asString()).get("/api/v1/me").status()).isEqualTo(200);

    long adminsStudy = create(demoStudy(unique("admins")));
    for (Http.Res r : List.of(memberOfAdmin.delete("/api/v1/studies/" + adminsStudy),
        memberOfAdmin.post("/api/v1/studies/" + adminsStudy + "/pause", ""),
        memberOfAdmin.post("/api/v1/studies/" + adminsStudy + "/suggestions", Map.of("count", 1)))) {
      assertThat(r.status()).as(r.text()).isEqualTo(403);
    }
    assertThat(http.get("/api/v1/studies/" + adminsStudy).json().get("trialsIssued").asLong()).isZero();
    // what the member token made itself it manages
    long own = memberOfAdmin.post("/api/v1/studies", demoStudy(unique("by-member-token"))).json().get("id").asLong();
    assertThat(memberOfAdmin.post("/api/v1/studies/" + own + "/suggestions", Map.of("count", 1)).status())
        .isEqualTo(200);
    assertThat(memberOfAdmin.delete("/api/v1/studies/" + own).status()).isEqualTo(204);

    // a demoted user's tokens lose what the user lost
    User m = user("MEMBER", false);
    assertThat(m.http().post("/api/v1/studies", demoStudy(unique("before"))).status()).isEqualTo(201);
    assertThat(http.patch("/api/v1/users/" + m.id(), "{\"role\":\"VIEWER\"}").status()).isEqualTo(200);
    assertThat(m.http().post("/api/v1/studies", demoStudy(unique("after"))).status()).isEqualTo(403);
    assertThat(m.http().get("/api/v1/me").json().get("role").asString()).isEqualTo("VIEWER");
    http.delete("/api/v1/studies/" + adminsStudy);
  }

  // ------------------------------------------------------------------------------------------ 6. sign-in links

  @Test
  void signInLinksSignABrowserInOnceAndAreNoApiTokens() {
    long adminId = http.get("/api/v1/me").json().get("userId").asLong();
    long liveAdminTokens = liveAdminTokens();
    List<String> links = new ArrayList<>();
    for (int i = 0; i < 10; i++) { // ten starts
      links.add(bootstrap.start("http://x").orElseThrow());
    }
    assertThat(liveAdminTokens()).isEqualTo(liveAdminTokens);
    String last = links.getLast().substring("http://x/login?token=".length());
    String earlier = links.get(8).substring("http://x/login?token=".length());
    // not an API token
    assertThat(new Http(port, last).get("/api/v1/me").status()).isEqualTo(401);
    // a GET of the link signs nobody in: it shows a button (no login CSRF)
    Browser visitor = new Browser(port);
    Browser.Res page = visitor.get("/login?token=" + last);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.text()).contains("id=\"continue\"");
    assertThat(visitor.get("/api/v1/me").status()).isEqualTo(401);
    // the previous start's link no longer works; this one works once
    assertThat(new Browser(port).signIn("?token=" + earlier, Map.of("token", earlier)).location())
        .hasValue("/login?error");
    assertThat(visitor.signIn("?token=" + last, Map.of("token", last)).location()).hasValue("/");
    Browser.Res me = visitor.get("/api/v1/me");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.text()).contains("\"userId\":" + adminId);
    assertThat(new Browser(port).signIn("?token=" + last, Map.of("token", last)).location())
        .hasValue("/login?error");
    // an admin may make a link for a user; markup in the query is not reflected as markup
    String path = http.post("/api/v1/users/" + adminId + "/sign-in-link", "").json().get("path").asString();
    assertThat(path).startsWith("/login?token=");
    assertThat(new Browser(port).get("/login?token=%22%3E%3Cscript%3Ex()%3C/script%3E").text())
        .doesNotContain("<script>x()").contains("&quot;&gt;&lt;script&gt;");
  }

  private long liveAdminTokens() {
    long n = 0;
    for (JsonNode t : http.get("/api/v1/tokens").json().get("tokens")) {
      if (t.get("role").asString().equals("ADMIN") && t.get("revokedAt") == null) {
        n++;
      }
    }
    return n;
  }

  @Test
  void aSessionEndsWhenItsTokenIsRevokedAndCookiesAreSameSite() throws Exception {
    JsonNode t = http.post("/api/v1/tokens", Map.of("name", "browser", "role", "ADMIN")).json();
    Browser b = new Browser(port);
    b.get("/login");
    String before = b.cookie("XSRF-TOKEN").orElseThrow();
    Browser.Res in = b.signIn("?token=x", Map.of("token", t.get("token").asString()));
    assertThat(in.location()).hasValue("/");
    List<String> setCookies = in.headers().allValues("Set-Cookie");
    assertThat(setCookies).anySatisfy(c -> assertThat(c).startsWith("JSESSIONID=").contains("HttpOnly")
        .containsIgnoringCase("SameSite=Lax"));
    assertThat(setCookies).anySatisfy(c -> assertThat(c).startsWith("XSRF-TOKEN=").containsIgnoringCase("SameSite=Strict"));
    assertThat(b.cookie("XSRF-TOKEN").orElseThrow()).as("rotated at sign-in").isNotEqualTo(before);
    assertThat(b.get("/api/v1/me").status()).isEqualTo(200);

    // CSRF: required on session requests, also when a Basic header rides along
    String body = Http.JSON.writeValueAsString(demoStudy(unique("csrf")));
    assertThat(b.postJson("/api/v1/studies", body, false, Map.of()).status()).isEqualTo(403);
    assertThat(b.postJson("/api/v1/studies", body, false, Map.of("Authorization", "Basic YWRtaW46eA==")).status())
        .isEqualTo(403);
    assertThat(b.postJson("/api/v1/studies", body, true, Map.of()).status()).isEqualTo(201);

    assertThat(http.delete("/api/v1/tokens/" + t.get("id").asLong()).status()).isEqualTo(204);
    assertThat(b.get("/api/v1/me").status()).isEqualTo(401);
  }

  // ------------------------------------------------------------------------------------------ 7. password guessing

  @Test
  void passwordGuessingIsThrottledAndUnknownUsersTakeAsLong() throws Exception {
    User victim = user("VIEWER", false);
    long[] unknown = new long[2];
    long[] known = new long[2];
    for (int i = 0; i < 2; i++) { // 4 failures: under the 5 free ones
      unknown[i] = timedLogin("nobody-" + i, "wrong password!");
      known[i] = timedLogin(victim.name() , "wrong password!");
    }
    Arrays.sort(unknown);
    Arrays.sort(known);
    // PBKDF2 dominates a known user's check (tens of ms); an unknown user used to answer in a few ms
    assertThat(unknown[0]).as("fastest ns unknown vs known %s", known[0]).isGreaterThan(known[0] / 3);
    Browser ok = new Browser(port, GUESSER);
    assertThat(ok.signIn("", Map.of("username", victim.name(), "password", "correct horse battery"))
        .location()).hasValue("/");

    Browser attacker = new Browser(port, GUESSER);
    for (int i = 0; i < 5; i++) {
      assertThat(attacker.signIn("", Map.of("username", victim.name(), "password", "guess " + i))
          .location()).hasValue("/login?error");
    }
    Browser.Res blocked = attacker.signIn("", Map.of("username", victim.name(), "password", "guess 6"));
    assertThat(blocked.status()).isEqualTo(429);
    assertThat(blocked.header("Retry-After")).isPresent();
    // even the right password waits: guessing cannot go on
    Browser.Res right = new Browser(port, "127.0.0.23").signIn("", Map.of("username", victim.name(),
        "password", "correct horse battery"));
    assertThat(right.status()).isEqualTo(429);
    assertThat(Long.parseLong(right.header("Retry-After").orElseThrow())).isBetween(1L, 900L);
  }

  /** Client addresses of their own, so that the throttling these tests provoke does not reach other tests. */
  private static final String GUESSER = "127.0.0.21";

  private long timedLogin(String user, String password) {
    Browser b = new Browser(port, GUESSER);
    Browser.Res page = b.get("/login");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]*)\"")
        .matcher(page.text());
    assertThat(m.find()).isTrue();
    long t0 = System.nanoTime();
    Browser.Res r = b.postForm("/login", Map.of("username", user, "password", password, "_csrf", m.group(1)));
    long dt = System.nanoTime() - t0;
    assertThat(r.location()).hasValue("/login?error");
    return dt;
  }

  @Test
  void concurrentGuessesFromOneAddressAreRefusedAtOnce() throws Exception {
    String name = unique("flooded");
    http.post("/api/v1/users", Map.of("username", name, "role", "VIEWER", "password", "correct horse battery"));
    List<Browser> browsers = new ArrayList<>();
    List<Map<String, String>> forms = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      Browser b = new Browser(port, "127.0.0.22");
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]*)\"")
          .matcher(b.get("/login").text());
      assertThat(m.find()).isTrue();
      browsers.add(b);
      forms.add(Map.of("username", name, "password", "wrong " + i, "_csrf", m.group(1)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Callable<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        int k = i;
        calls.add(() -> browsers.get(k).postForm("/login", forms.get(k)).status());
      }
      int refused = 0;
      for (Future<Integer> f : pool.invokeAll(calls)) {
        if (f.get() == 429) {
          refused++;
        }
      }
      // one check per address at a time: most of a simultaneous flood is refused without hashing a password
      assertThat(refused).isGreaterThanOrEqualTo(8);
    } finally {
      pool.shutdownNow();
    }
  }

  // ------------------------------------------------------------------------------------------ 8, 9. inputs

  @Test
  void limitsHaveUpperBoundsAndLargeChunkedBodiesAre413() {
    Map<String, Object> body = demoStudy(unique("huge"));
    body.put("limits", Map.of("maxTrials", 1_000_000_000_000L));
    Http.Res r = http.post("/api/v1/studies", body);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.field()).isEqualTo("limits.maxTrials");
    body.put("limits", Map.of("maxParallel", 10_000_000));
    assertThat(http.post("/api/v1/studies", body).field()).isEqualTo("limits.maxParallel");

    byte[] big = ("{\"name\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}").getBytes();
    java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/studies"))
        .header("Authorization", "Bearer " + Http.ADMIN_TOKEN).header("Content-Type", "application/json")
        // a publisher of unknown length: the request goes out chunked
        .POST(java.net.http.HttpRequest.BodyPublishers.fromPublisher(
            java.net.http.HttpRequest.BodyPublishers.ofByteArray(big)))
        .build();
    Http.Res chunked = http.send(req);
    assertThat(chunked.status()).as(chunked.text()).isEqualTo(413);
    assertThat(chunked.contentType()).startsWith("application/problem+json");
  }
}
