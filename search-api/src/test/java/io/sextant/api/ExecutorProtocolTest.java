package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** The executor protocol over REST, as a remote executor node speaks it; resources; early stopping. */
@TestPropertySource(properties = "sextant.executor.in-process.enabled=false")
class ExecutorProtocolTest extends ApiTestBase {

  /** Each test's studies and executors are in a pool of their own: its executors see only its studies. */
  private final String pool = newPool();

  private String register(String name, List<Map<String, Object>> gpus, Map<String, String> labels) {
    Http.Res r = http.post("/api/v1/executors",
        Map.of("name", name, "slots", 4, "cpuCores", 2, "gpus", gpus, "labels", labels, "pool", pool));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().get("id").asString();
  }

  private JsonNode lease(String executor, int max) {
    Http.Res r = http.post("/api/v1/executors/" + executor + "/leases", Map.of("max", max, "waitSeconds", 0.2));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().get("leases");
  }

  private Map<String, Object> study(String name, Map<String, Object> extra) {
    Map<String, Object> b = new java.util.LinkedHashMap<>(Map.of("name", name,
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "loss")),
        "evaluator", Map.of("name", "noop"),
        "limits", Map.of("maxTrials", 50)));
    b.putAll(extra);
    return inPool(b, pool);
  }

  @Autowired
  DataSource dataSource;

  /**
   * The last trial of a study (maxTrials issued) completes while another request holds the study row and changes it
   * (as POST /trials does when it numbers a trial). The completion waits for that lock, then reads the study's new
   * version: it must still complete the trial and the study, not fail on the version it read first (it answered
   * 500 "conflicting version of entity already held in persistence context", so outcomes were retried for seconds).
   */
  @Test
  void theLastTrialCompletesWhileAnotherRequestChangesTheStudy() throws Exception {
    for (String path : List.of("complete", "outcomes")) {
      long id = create(study(unique("race-" + path), Map.of("limits", Map.of("maxTrials", 1))));
      String ex = register("node-race-" + path, List.of(), Map.of());
      JsonNode l = lease(ex, 1).get(0);
      long trialId = l.get("trialId").asLong();
      int attempt = l.get("attempt").asInt();
      try (Connection other = dataSource.getConnection()) {
        other.setAutoCommit(false);
        try (var st = other.prepareStatement("update study set version = version + 1 where id = ?")) {
          st.setLong(1, id);
          assertThat(st.executeUpdate()).isEqualTo(1);
        }
        CompletableFuture<Http.Res> done = CompletableFuture.supplyAsync(() -> path.equals("complete")
            ? http.post("/api/v1/executors/" + ex + "/leases/" + trialId + "/" + attempt + "/complete",
                Map.of("values", Map.of("loss", 0.5)))
            : http.post("/api/v1/executors/" + ex + "/outcomes", Map.of("outcomes", List.of(
                Map.of("trialId", trialId, "attempt", attempt, "values", Map.of("loss", 0.5))))));
        Thread.sleep(700); // the completion is now waiting for the study row
        other.commit();
        Http.Res r = done.get(30, TimeUnit.SECONDS);
        assertThat(r.status()).as(path + ": " + r.text()).isEqualTo(200);
      }
      JsonNode t = http.get("/api/v1/studies/" + id + "/trials/" + l.get("trialNumber").asLong()).json();
      assertThat(t.get("state").asString()).as(path).isEqualTo("COMPLETED");
      assertThat(http.get("/api/v1/studies/" + id).json().get("state").asString()).as(path).isEqualTo("COMPLETED");
    }
  }

  @Test
  void registerLeaseReportCompleteAndStaleReportsAre409() {
    long id = create(study(unique("rest-exec"), Map.of()));
    String ex = register("node-a", List.of(), Map.of());
    JsonNode leases = lease(ex, 2);
    assertThat(leases).hasSize(2);
    JsonNode l = leases.get(0);
    assertThat(l.get("evaluator").asString()).isEqualTo("noop");
    assertThat(l.get("problem").get("space").get("parameters").get(0).get("name").asString()).isEqualTo("x");
    assertThat(l.get("problem").get("objectives").get(0).get("metric").asString()).isEqualTo("loss");
    assertThat(l.get("expiresAt").asString()).isNotBlank();
    String base = "/api/v1/executors/" + ex + "/leases/" + l.get("trialId").asLong() + "/" + l.get("attempt").asInt();

    JsonNode hb = http.post("/api/v1/executors/" + ex + "/heartbeat", Map.of("leases",
        List.of(Map.of("trialId", l.get("trialId").asLong(), "attempt", l.get("attempt").asInt())))).json();
    assertThat(hb.get("stop")).isEmpty();
    assertThat(http.post(base + "/measurements", Map.of("step", 1, "values", Map.of("loss", 0.7))).json()
        .get("stop").asBoolean()).isFalse();
    assertThat(http.post(base + "/complete", Map.of("values", Map.of("loss", 0.5))).status()).isEqualTo(200);
    JsonNode t = http.get("/api/v1/studies/" + id + "/trials/" + l.get("trialNumber").asLong()).json();
    assertThat(t.get("state").asString()).isEqualTo("COMPLETED");
    assertThat(t.get("measurements")).hasSize(1);

    // a second report on the finished lease, a wrong attempt, another executor: 409, nothing changes
    Http.Res again = http.post(base + "/complete", Map.of("values", Map.of("loss", 9)));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.contentType()).startsWith("application/problem+json");
    JsonNode other = leases.get(1);
    String other1 = "/api/v1/executors/" + ex + "/leases/" + other.get("trialId").asLong() + "/7/complete";
    assertThat(http.post(other1, Map.of("values", Map.of("loss", 1))).status()).isEqualTo(409);
    String intruder = register("node-b", List.of(), Map.of());
    String stolen = "/api/v1/executors/" + intruder + "/leases/" + other.get("trialId").asLong() + "/"
        + other.get("attempt").asInt() + "/complete";
    assertThat(http.post(stolen, Map.of("values", Map.of("loss", 1))).status()).isEqualTo(409);
    assertThat(http.get("/api/v1/studies/" + id + "/trials/" + l.get("trialNumber").asLong()).json()
        .get("values").get("loss").asDouble()).isEqualTo(0.5);

    JsonNode list = http.get("/api/v1/executors").json().get("executors");
    JsonNode a = null;
    for (JsonNode e : list) {
      if (e.get("id").asString().equals(ex)) {
        a = e;
      }
    }
    assertThat(a).isNotNull();
    assertThat(a.get("slotsInUse").asLong()).isEqualTo(1);
    assertThat(a.get("runningTrials").get(0).get("number").asLong()).isEqualTo(other.get("trialNumber").asLong());
    assertThat(a.get("runningTrials").get(0).get("studyId").asLong()).isEqualTo(id);
    assertThat(a.get("state").asString()).isEqualTo("ACTIVE");

    // deregistering hands the running trial back
    assertThat(http.delete("/api/v1/executors/" + ex).status()).isEqualTo(204);
    assertThat(http.get("/api/v1/studies/" + id + "/trials/" + other.get("trialNumber").asLong()).json()
        .get("state").asString()).isEqualTo("WAITING");
    assertThat(http.post("/api/v1/executors/" + ex + "/leases", Map.of("max", 1)).status()).isEqualTo(404);
    assertThat(http.post("/api/v1/executors", Map.of("name", "x", "slots", 0)).status()).isEqualTo(400);
    assertThat(http.post("/api/v1/executors/" + intruder + "/leases", Map.of("max", 1, "waitSeconds", 600))
        .field()).isEqualTo("waitSeconds");
  }

  private static Map<String, Object> ref(JsonNode lease) {
    return Map.of("trialId", lease.get("trialId").asLong(), "attempt", lease.get("attempt").asInt());
  }

  private static Map<String, Object> with(Map<String, Object> m, String key, Object value) {
    Map<String, Object> out = new java.util.LinkedHashMap<>(m);
    out.put(key, value);
    return out;
  }

  @Test
  void outcomesTravelInBatchesEachJudgedOnItsOwn() {
    long id = create(study(unique("batch"), Map.of("limits", Map.of("maxTrials", 50, "maxAttempts", 2))));
    String ex = register("node-batch", List.of(), Map.of());
    JsonNode got = lease(ex, 4);
    assertThat(got).hasSize(4);
    String path = "/api/v1/executors/" + ex + "/outcomes";

    // a bad body is 400 naming the field, and records nothing (the good outcome before it included)
    for (Object bad : List.of(Map.of(), Map.of("outcomes", "x"),
        Map.of("outcomes", List.of(with(ref(got.get(0)), "values", Map.of("loss", 1)),
            with(with(ref(got.get(1)), "values", Map.of("loss", 1)), "reason", "both"))),
        Map.of("outcomes", List.of(ref(got.get(0)))),
        Map.of("outcomes", List.of(with(ref(got.get(0)), "values", Map.of("loss", "high")))),
        Map.of("outcomes", List.of(with(ref(got.get(0)), "reason", ""))),
        Map.of("outcomes", List.of(with(with(ref(got.get(0)), "values", Map.of("loss", 1)), "extra", 1))))) {
      Http.Res r = http.post(path, bad);
      assertThat(r.status()).as(r.text()).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
    }
    for (JsonNode l : got) {
      assertThat(http.get("/api/v1/studies/" + id + "/trials/" + l.get("trialNumber").asLong()).json()
          .get("state").asString()).isEqualTo("RUNNING");
    }

    // completed, failed (re-queued: attempts remain), a completion missing the objective (a failed attempt), and a
    // stale one (wrong attempt): one request, each on its own
    Map<String, Object> wrongAttempt = Map.of("trialId", got.get(3).get("trialId").asLong(), "attempt", 9);
    Http.Res r = http.post(path, Map.of("outcomes", List.of(
        with(ref(got.get(0)), "values", Map.of("loss", 0.25, "extra", "NaN")),
        with(ref(got.get(1)), "reason", "exit status 3"),
        with(ref(got.get(2)), "values", Map.of("other", 1)),
        with(wrongAttempt, "values", Map.of("loss", 7)))));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().get("stale")).hasSize(1);
    assertThat(r.json().get("stale").get(0).get("attempt").asInt()).isEqualTo(9);
    JsonNode done = trial(id, got.get(0));
    assertThat(done.get("state").asString()).isEqualTo("COMPLETED");
    assertThat(done.get("values").get("loss").asDouble()).isEqualTo(0.25);
    JsonNode requeued = trial(id, got.get(1));
    assertThat(requeued.get("state").asString()).isEqualTo("WAITING");
    assertThat(requeued.get("attempt").asInt()).isEqualTo(2);
    assertThat(trial(id, got.get(2)).get("state").asString()).isEqualTo("WAITING");
    assertThat(trial(id, got.get(3)).get("state").asString()).isEqualTo("RUNNING"); // the stale report changed nothing
    // the executor's counts: what it reported and the server accepted (the stale one is not counted)
    assertThat(outcomeCounts(ex)).containsExactly(1L, 2L);

    // outcomes with a lease request: the new leases come back in the same answer (no waiting)
    JsonNode swap = http.post(path, Map.of("outcomes", List.of(with(ref(got.get(3)), "values", Map.of("loss", 0.5))),
        "lease", Map.of("max", 2))).json();
    assertThat(swap.get("stale")).isEmpty();
    assertThat(swap.get("leases")).hasSize(2); // the two re-queued trials (WAITING first)
    for (JsonNode l : swap.get("leases")) {
      assertThat(trial(id, l).get("state").asString()).isEqualTo("RUNNING");
      assertThat(l.get("evaluator").asString()).isEqualTo("noop");
    }
    assertThat(http.post(path, Map.of("outcomes", List.of(), "lease", Map.of("max", -1))).field())
        .isEqualTo("lease.max");

    // the same outcome again is stale; an unknown executor is 404
    assertThat(http.post(path, Map.of("outcomes", List.of(with(ref(got.get(0)), "values", Map.of("loss", 9)))))
        .json().get("stale")).hasSize(1);
    assertThat(trial(id, got.get(0)).get("values").get("loss").asDouble()).isEqualTo(0.25);
    assertThat(outcomeCounts(ex)).containsExactly(2L, 2L);
    assertThat(http.post("/api/v1/executors/nobody/outcomes", Map.of("outcomes", List.of(with(
        ref(swap.get("leases").get(0)), "values", Map.of("loss", 1))))).status()).isEqualTo(404);
    assertThat(trial(id, swap.get("leases").get(0)).get("state").asString()).isEqualTo("RUNNING");
  }

  /** An executor's trialsCompleted and attemptsFailed at GET /api/v1/executors. */
  private List<Long> outcomeCounts(String executor) {
    for (JsonNode e : http.get("/api/v1/executors").json().get("executors")) {
      if (e.get("id").asString().equals(executor)) {
        return List.of(e.get("trialsCompleted").asLong(), e.get("attemptsFailed").asLong());
      }
    }
    throw new AssertionError("executor " + executor + " is not listed");
  }

  private JsonNode trial(long study, JsonNode lease) {
    return http.get("/api/v1/studies/" + study + "/trials/" + lease.get("trialNumber").asLong()).json();
  }

  @Test
  void gpuTrialsGoOnlyToExecutorsWithFreeGpusAndNeverShareADevice() {
    long id = create(study(unique("gpu"), Map.of("resources", Map.of("gpus", 1, "labels", Map.of("pool", "a")))));
    String cpuOnly = register("cpu", List.of(), Map.of("pool", "a"));
    String wrongPool = register("gpu-b", List.of(Map.of("index", 0, "name", "H100", "memoryMiB", 81559)),
        Map.of("pool", "b"));
    String gpuNode = register("gpu-a", List.of(Map.of("index", 0, "name", "H100", "memoryMiB", 81559),
        Map.of("index", 1, "name", "H100", "memoryMiB", 81559)), Map.of("pool", "a"));
    assertThat(lease(cpuOnly, 4)).isEmpty();
    assertThat(lease(wrongPool, 4)).isEmpty();
    JsonNode got = lease(gpuNode, 4);
    assertThat(got).hasSize(2);
    Set<Integer> devices = new HashSet<>();
    for (JsonNode l : got) {
      assertThat(l.get("gpus")).hasSize(1);
      devices.add(l.get("gpus").get(0).asInt());
    }
    assertThat(devices).containsExactlyInAnyOrder(0, 1);
    assertThat(lease(gpuNode, 4)).isEmpty();
    // finishing one frees its device for the next trial
    JsonNode first = got.get(0);
    http.post("/api/v1/executors/" + gpuNode + "/leases/" + first.get("trialId").asLong() + "/"
        + first.get("attempt").asInt() + "/complete", Map.of("values", Map.of("loss", 1)));
    JsonNode next = lease(gpuNode, 4);
    assertThat(next).hasSize(1);
    assertThat(next.get(0).get("gpus").get(0).asInt()).isEqualTo(first.get("gpus").get(0).asInt());
    assertThat(http.get("/api/v1/studies/" + id + "/trials/" + next.get(0).get("trialNumber").asLong()).json()
        .get("gpus").get(0).asInt()).isEqualTo(first.get("gpus").get(0).asInt());
  }

  @Test
  void medianRulePrunesATrialWorseThanTheMedianOfCompletedOnes() {
    Map<String, Object> body = demoStudy(unique("median"));
    body.put("earlyStopping", Map.of("rule", "median", "startupTrials", 3));
    long id = create(body);
    // three completed trials with curves 1.0, 2.0, 3.0 at step 5
    for (double v : new double[] {1.0, 2.0, 3.0}) {
      long n = suggest(id, 1, null).get(0).get("number").asLong();
      String m = "/api/v1/studies/" + id + "/trials/" + n + "/measurements";
      assertThat(http.post(m, Map.of("step", 5, "values", Map.of("loss", v))).json().get("stop").asBoolean())
          .isFalse();
      complete(id, n, v);
    }
    long good = suggest(id, 1, null).get(0).get("number").asLong();
    assertThat(http.post("/api/v1/studies/" + id + "/trials/" + good + "/measurements",
        Map.of("step", 5, "values", Map.of("loss", 1.5))).json().get("stop").asBoolean()).isFalse();
    long bad = suggest(id, 1, null).get(0).get("number").asLong();
    assertThat(http.post("/api/v1/studies/" + id + "/trials/" + bad + "/measurements",
        Map.of("step", 5, "values", Map.of("loss", 2.5))).json().get("stop").asBoolean()).isTrue();
    JsonNode t = http.get("/api/v1/studies/" + id + "/trials/" + bad).json();
    assertThat(t.get("state").asString()).isEqualTo("PRUNED");
    assertThat(t.get("failureReason").asString()).contains("median");
    assertThat(complete(id, bad, 2.5).status()).isEqualTo(409);
    Map<String, Object> wrong = demoStudy(unique("median-bad"));
    wrong.put("earlyStopping", Map.of("rule", "median", "eta", 3));
    assertThat(http.post("/api/v1/studies", wrong).field()).isEqualTo("earlyStopping.eta");
  }
}
