package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Every study-scoped write, client and executor, while another transaction holds the study row and changes it (as
 * a concurrent POST /trials does when it numbers a trial): the write waits for the lock and then must succeed with
 * its normal answer on the study's new version, never a 500 from a stale entity. Session 4 found one such path
 * (completing the last trial) by a benchmark; this walks them all, including the ones that finish a study.
 */
@TestPropertySource(properties = "sextant.executor.in-process.enabled=false")
class ConcurrentStudyChangeTest extends ApiTestBase {
  @Autowired
  DataSource dataSource;

  /**
   * The current case's executor pool: each case's study and executors are in a pool of their own, so a case's
   * executor sees only its study (not the previous cases', not other tests').
   */
  private String pool;

  /** A prepared write: the request, its normal status, and what must hold afterwards. */
  record Write(Supplier<Http.Res> request, int status, Runnable check) {}

  /** mustWait: the write needs the study row, so it must be seen waiting for the other transaction's lock. */
  record Case(String name, Map<String, Object> limits, boolean evaluator, boolean mustWait,
      LongFunction<Write> prepare) {}

  private long study(String name, Map<String, Object> limits, boolean evaluator) {
    Map<String, Object> b = new LinkedHashMap<>(Map.of("name", unique(name),
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "loss")),
        "limits", limits));
    if (evaluator) {
      b.put("evaluator", Map.of("name", "noop"));
    }
    return create(inPool(b, pool));
  }

  private String executor(String name) {
    Http.Res r = http.post("/api/v1/executors", Map.of("name", name, "slots", 4, "pool", pool));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().get("id").asString();
  }

  private JsonNode lease(String executor) {
    Http.Res r = http.post("/api/v1/executors/" + executor + "/leases", Map.of("max", 1, "waitSeconds", 0.2));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().get("leases")).hasSize(1);
    return r.json().get("leases").get(0);
  }

  private String state(long study) {
    return http.get("/api/v1/studies/" + study).json().get("state").asString();
  }

  private String trialState(long study, long number) {
    Http.Res r = http.get("/api/v1/studies/" + study + "/trials/" + number);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().get("state").asString();
  }

  private List<Case> cases() {
    Map<String, Object> many = Map.of("maxTrials", 50);
    Map<String, Object> one = Map.of("maxTrials", 1, "maxAttempts", 1);
    List<Case> c = new ArrayList<>();
    c.add(new Case("suggest", many, false, true, id -> new Write(
        () -> http.post("/api/v1/studies/" + id + "/suggestions", Map.of("count", 2, "workerId", "w")), 200,
        () -> assertThat(http.get("/api/v1/studies/" + id + "/trials").json().get("trials")).hasSize(2))));
    c.add(new Case("enqueue", many, false, true, id -> new Write(
        () -> http.post("/api/v1/studies/" + id + "/trials", Map.of("params", Map.of("x", 0.3))), 201,
        () -> assertThat(trialState(id, 1)).isEqualTo("WAITING"))));
    c.add(new Case("client complete", many, false, false, id -> {
      long n = suggest(id, 1, "w").get(0).get("number").asLong();
      return new Write(() -> complete(id, n, 0.5), 200, () -> assertThat(trialState(id, n)).isEqualTo("COMPLETED"));
    }));
    c.add(new Case("client complete of the last trial", one, false, true, id -> {
      long n = suggest(id, 1, "w").get(0).get("number").asLong();
      return new Write(() -> complete(id, n, 0.5), 200, () -> assertThat(state(id)).isEqualTo("COMPLETED"));
    }));
    c.add(new Case("client fail of the last trial", one, false, true, id -> {
      long n = suggest(id, 1, "w").get(0).get("number").asLong();
      return new Write(() -> http.post("/api/v1/studies/" + id + "/trials/" + n + "/fail", Map.of("reason", "x")),
          200, () -> {
            assertThat(trialState(id, n)).isEqualTo("FAILED");
            assertThat(state(id)).isEqualTo("FAILED"); // its only trial failed: no result
          });
    }));
    c.add(new Case("client measurement", many, false, false, id -> {
      long n = suggest(id, 1, "w").get(0).get("number").asLong();
      return new Write(() -> http.post("/api/v1/studies/" + id + "/trials/" + n + "/measurements",
          Map.of("step", 1, "values", Map.of("loss", 0.7))), 200,
          () -> assertThat(http.get("/api/v1/studies/" + id + "/trials/" + n).json().get("measurements")).hasSize(1));
    }));
    c.add(new Case("pause", many, false, true, id -> new Write(() -> http.post("/api/v1/studies/" + id + "/pause", ""), 200,
        () -> assertThat(state(id)).isEqualTo("PAUSED"))));
    c.add(new Case("resume", many, false, true, id -> {
      http.post("/api/v1/studies/" + id + "/pause", "");
      return new Write(() -> http.post("/api/v1/studies/" + id + "/resume", ""), 200,
          () -> assertThat(state(id)).isEqualTo("ACTIVE"));
    }));
    c.add(new Case("delete", many, false, true, id -> new Write(() -> http.delete("/api/v1/studies/" + id), 204,
        () -> assertThat(http.get("/api/v1/studies/" + id).status()).isEqualTo(404))));
    c.add(new Case("executor lease", many, true, false, id -> {
      String ex = executor("cc-lease-" + id);
      return new Write(() -> http.post("/api/v1/executors/" + ex + "/leases", Map.of("max", 2, "waitSeconds", 5)),
          200, () -> assertThat(http.get("/api/v1/studies/" + id + "/trials").json().get("trials")).hasSize(2));
    }));
    for (String how : List.of("complete", "fail", "outcome", "failed outcome")) {
      c.add(new Case("executor " + how + " of the last trial", one, true, true, id -> {
        String ex = executor("cc-" + how.replace(' ', '-') + "-" + id);
        JsonNode l = lease(ex);
        long trialId = l.get("trialId").asLong();
        int attempt = l.get("attempt").asInt();
        String base = "/api/v1/executors/" + ex + "/leases/" + trialId + "/" + attempt;
        Map<String, Object> outcome = how.startsWith("failed")
            ? Map.of("trialId", trialId, "attempt", attempt, "reason", "x")
            : Map.of("trialId", trialId, "attempt", attempt, "values", Map.of("loss", 0.5));
        Supplier<Http.Res> request = switch (how) {
          case "complete" -> () -> http.post(base + "/complete", Map.of("values", Map.of("loss", 0.5)));
          case "fail" -> () -> http.post(base + "/fail", Map.of("reason", "x"));
          default -> () -> http.post("/api/v1/executors/" + ex + "/outcomes", Map.of("outcomes", List.of(outcome)));
        };
        long n = l.get("trialNumber").asLong();
        return new Write(request, 200, () -> {
          assertThat(trialState(id, n)).isEqualTo(how.contains("fail") ? "FAILED" : "COMPLETED");
          assertThat(state(id)).isEqualTo(how.contains("fail") ? "FAILED" : "COMPLETED");
        });
      }));
    }
    c.add(new Case("executor heartbeat", many, true, false, id -> {
      String ex = executor("cc-hb-" + id);
      JsonNode l = lease(ex);
      long trialId = l.get("trialId").asLong();
      int attempt = l.get("attempt").asInt();
      return new Write(() -> http.post("/api/v1/executors/" + ex + "/heartbeat",
          Map.of("leases", List.of(Map.of("trialId", trialId, "attempt", attempt)))), 200,
          () -> assertThat(trialState(id, l.get("trialNumber").asLong())).isEqualTo("RUNNING"));
    }));
    c.add(new Case("executor measurement", many, true, false, id -> {
      String ex = executor("cc-em-" + id);
      JsonNode l = lease(ex);
      long n = l.get("trialNumber").asLong();
      return new Write(() -> http.post("/api/v1/executors/" + ex + "/leases/" + l.get("trialId").asLong() + "/"
          + l.get("attempt").asInt() + "/measurements", Map.of("step", 1, "values", Map.of("loss", 0.7))), 200,
          () -> assertThat(http.get("/api/v1/studies/" + id + "/trials/" + n).json().get("measurements")).hasSize(1));
    }));
    return c;
  }

  @Test
  void everyStudyWriteSucceedsAfterWaitingForAConcurrentChangeOfTheStudy() throws Exception {
    for (Case c : cases()) {
      pool = newPool(); // the previous case's study would otherwise hand out this case's lease
      long id = study("cc", c.limits(), c.evaluator());
      Write w = c.prepare().apply(id);
      Http.Res r;
      try (Connection other = dataSource.getConnection()) {
        other.setAutoCommit(false);
        try (var st = other.prepareStatement("update study set version = version + 1 where id = ?")) {
          st.setLong(1, id);
          assertThat(st.executeUpdate()).isEqualTo(1);
        }
        CompletableFuture<Http.Res> done = CompletableFuture.supplyAsync(w.request());
        // commit only once the write is seen waiting for a lock (or has finished without needing one)
        boolean waited = false;
        try (Connection probe = dataSource.getConnection();
            var st = probe.prepareStatement("select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                + "and datname = current_database()")) {
          for (long end = System.nanoTime() + 10_000_000_000L; !done.isDone() && System.nanoTime() < end; ) {
            try (var rs = st.executeQuery()) {
              rs.next();
              if (rs.getLong(1) > 0) {
                waited = true;
                break;
              }
            }
            Thread.sleep(10);
          }
        }
        other.commit();
        r = done.get(30, TimeUnit.SECONDS);
        if (c.mustWait()) {
          assertThat(waited).as(c.name() + " waited for the study row").isTrue();
        }
      }
      assertThat(r.status()).as(c.name() + ": " + r.text()).isEqualTo(w.status());
      w.check().run();
      // and the study is still usable afterwards
      if (!c.name().equals("delete")) {
        assertThat(http.get("/api/v1/studies/" + id + "/export?format=json").status()).as(c.name()).isEqualTo(200);
      }
    }
  }
}
