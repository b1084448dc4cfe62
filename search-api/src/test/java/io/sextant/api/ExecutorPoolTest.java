package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Executor pools (a study's {@code resources.pool}, an executor's {@code pool}): a lease from pool A never hands out
 * a study of pool B nor one without a pool; an executor without a pool (the in-process one included) never takes a
 * pooled study and runs unpooled ones as before; bad pool names are 400 naming the field; the pool survives export
 * and import. Runs in the default context, with the in-process executor on.
 */
class ExecutorPoolTest extends ApiTestBase {

  private Http.Res registerRaw(Map<String, Object> body) {
    return http.post("/api/v1/executors", body);
  }

  /** A REST executor that declares {@code evaluators} and serves {@code pool} (null: the default pool). */
  private String register(String name, List<String> evaluators, String pool) {
    Map<String, Object> b = new LinkedHashMap<>(Map.of("name", name, "slots", 8, "evaluators", evaluators));
    if (pool != null) {
      b.put("pool", pool);
    }
    Http.Res r = registerRaw(b);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().get("id").asString();
  }

  private static Map<String, Object> study(String name, String evaluator, int maxTrials) {
    return new LinkedHashMap<>(Map.of("name", unique(name),
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "loss")),
        "evaluator", Map.of("name", evaluator),
        "limits", Map.of("maxTrials", maxTrials)));
  }

  /** Study ids of what one lease request (no waiting beyond 0.3 s) hands out. */
  private List<Long> leasedStudies(String executor, int max) {
    Http.Res r = http.post("/api/v1/executors/" + executor + "/leases", Map.of("max", max, "waitSeconds", 0.3));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    List<Long> out = new java.util.ArrayList<>();
    r.json().get("leases").forEach(l -> out.add(l.get("studyId").asLong()));
    return out;
  }

  @Test
  void aLeaseFromOnePoolNeverHandsOutAnotherPoolsOrAnUnpooledStudy() {
    // an evaluator no other test's executor offers: only the executors below can take these studies
    String ev = unique("pool-ev");
    String a = newPool();
    String b = newPool();
    String inA = register("pool-a", List.of(ev), a);
    String inB = register("pool-b", List.of(ev), b);
    String unpooled = register("pool-default", List.of(ev), null);
    long studyA = create(inPool(study("in-a", ev, 6), a));
    long studyB = create(inPool(study("in-b", ev, 6), b));
    long studyNone = create(study("no-pool", ev, 6));

    // each executor gets all of its own pool's trials and nothing else, however many it asks for
    assertThat(leasedStudies(inA, 8)).hasSize(6).containsOnly(studyA);
    assertThat(leasedStudies(inA, 8)).isEmpty();
    assertThat(leasedStudies(unpooled, 8)).hasSize(6).containsOnly(studyNone);
    assertThat(leasedStudies(unpooled, 8)).isEmpty();
    assertThat(leasedStudies(inB, 8)).hasSize(6).containsOnly(studyB);

    // a pool no study names gets nothing, though work of the same evaluator was waiting in other pools
    long moreA = create(inPool(study("more-a", ev, 2), a));
    String idle = register("pool-c", List.of(ev), newPool());
    assertThat(leasedStudies(idle, 8)).isEmpty();
    assertThat(leasedStudies(unpooled, 8)).isEmpty();
    assertThat(leasedStudies(inA, 8)).hasSize(2).containsOnly(moreA);

    // the executor list shows each executor's pool (none for the default pool)
    Map<String, String> pools = new java.util.HashMap<>();
    for (JsonNode e : http.get("/api/v1/executors").json().get("executors")) {
      pools.put(e.get("id").asString(), e.has("pool") ? e.get("pool").asString() : null);
    }
    assertThat(pools).containsEntry(inA, a).containsEntry(inB, b).containsEntry(unpooled, null);
    for (String ex : List.of(inA, inB, unpooled, idle)) {
      assertThat(http.delete("/api/v1/executors/" + ex).status()).isEqualTo(204);
    }
  }

  @Test
  void theInProcessExecutorRunsUnpooledStudiesAsBeforeAndLeavesPooledOnesToTheirPool() throws Exception {
    String pool = newPool();
    long pooled = create(inPool(study("pooled-noop", "noop", 3), pool));
    long plain = create(study("plain-noop", "noop", 5));
    // no pool: the in-process executor (default pool) runs it to the end, as it always did
    awaitCompleted(plain);
    // meanwhile it leased nothing of the pooled study
    assertThat(http.get("/api/v1/studies/" + pooled + "/trials").json().get("trials")).isEmpty();
    assertThat(http.get("/api/v1/studies/" + pooled).json().get("state").asString()).isEqualTo("ACTIVE");
    // an executor of the pool takes it
    String ex = register("pool-noop", List.of("noop"), pool);
    List<Long> got = leasedStudies(ex, 8);
    assertThat(got).hasSize(3).containsOnly(pooled);
    assertThat(http.delete("/api/v1/executors/" + ex).status()).isEqualTo(204);
  }

  @Test
  void badPoolNamesAre400NamingTheFieldAndCreateNothing() {
    List<Object> bad = List.of("", " ", "a b", "-leading", ".x", "x".repeat(65), "pool/1", "ü", 5, true,
        Map.of("name", "x"), List.of("x"));
    Set<String> failures = new HashSet<>();
    for (Object p : bad) {
      Map<String, Object> body = study("bad-pool", "noop", 1);
      String name = (String) body.get("name");
      body.put("resources", Map.of("pool", p));
      Http.Res r = http.post("/api/v1/studies", body);
      if (r.status() != 400 || !"resources.pool".equals(r.field())
          || !r.contentType().startsWith("application/problem+json")
          || http.get("/api/v1/studies?q=" + name).json().get("studies").size() != 0) {
        failures.add("study " + p + " -> " + r.status() + " " + r.text());
      }
      int executors = http.get("/api/v1/executors").json().get("executors").size();
      Http.Res e = registerRaw(Map.of("name", "bad-pool", "slots", 1, "pool", p));
      if (e.status() != 400 || !"pool".equals(e.field())
          || http.get("/api/v1/executors").json().get("executors").size() != executors) {
        failures.add("executor " + p + " -> " + e.status() + " " + e.text());
      }
    }
    assertThat(failures).isEmpty();
    // the longest and the odd-but-valid names are taken
    for (String ok : List.of("x".repeat(64), "GPU_a100.eu-1", "7")) {
      Http.Res r = http.post("/api/v1/studies?paused=true", inPool(study("ok-pool", "noop", 1), ok));
      assertThat(r.status()).as(r.text()).isEqualTo(201);
      assertThat(r.json().get("resources").get("pool").asString()).isEqualTo(ok);
    }
  }

  @Test
  void thePoolIsPartOfTheStudyAndSurvivesExportAndImport() {
    String pool = newPool();
    Map<String, Object> body = study("export-pool", "noop", 4);
    body.put("resources", Map.of("gpus", 0, "labels", Map.of("zone", "a"), "pool", pool));
    Http.Res created = http.post("/api/v1/studies?paused=true", body);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    long id = created.json().get("id").asLong();
    JsonNode shown = http.get("/api/v1/studies/" + id).json().get("resources");
    assertThat(shown.get("pool").asString()).isEqualTo(pool);
    assertThat(shown.get("labels").get("zone").asString()).isEqualTo("a");

    JsonNode doc = http.get("/api/v1/studies/" + id + "/export?format=json").json();
    assertThat(doc.get("study").get("resources").get("pool").asString()).isEqualTo(pool);
    Http.Res imported = http.post("/api/v1/studies/import?name=" + unique("imported-pool"), doc.toString(),
        "application/json");
    assertThat(imported.status()).as(imported.text()).isEqualTo(201);
    assertThat(imported.json().get("resources").get("pool").asString()).isEqualTo(pool);

    // a document with a bad pool is refused, naming the field under study., and creates nothing
    ObjectNode broken = ((ObjectNode) doc).deepCopy();
    String name = unique("broken-pool");
    ((ObjectNode) broken.get("study")).put("name", name);
    ((ObjectNode) broken.get("study").get("resources")).put("pool", "no spaces please");
    Http.Res r = http.post("/api/v1/studies/import", broken.toString(), "application/json");
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.field()).isEqualTo("study.resources.pool");
    assertThat(http.get("/api/v1/studies?q=" + name).json().get("studies")).isEmpty();

    // a study without a pool shows none (its stored definition is what it was)
    long plain = create(study("export-plain", "noop", 1));
    assertThat(http.get("/api/v1/studies/" + plain).json().get("resources").has("pool")).isFalse();
  }
}
