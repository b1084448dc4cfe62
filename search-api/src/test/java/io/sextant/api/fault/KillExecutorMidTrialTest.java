package io.sextant.api.fault;

import static io.sextant.api.fault.FaultSupport.LEASE_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.api.Http;
import io.sextant.api.fault.FaultSupport.Change;
import io.sextant.api.fault.FaultSupport.Executor;
import io.sextant.evaluators.builtin.Noop;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Three executor processes ({@code java -jar sextant-executor.jar}, one slot each) against a search-api with a 3 s
 * lease on real PostgreSQL; the one running the trial is killed with SIGKILL half-way through it. The trial must be
 * re-run by another executor (the next attempt: 2) and end COMPLETED exactly once (checked on the database's own audit of
 * state changes), within the lease time plus a little of the kill, and a late report of the dead attempt is refused
 * with 409 and changes nothing.
 */
class KillExecutorMidTrialTest extends ProcessTestBase {

  @Test
  void aTrialWhoseExecutorIsKilledIsRerunElsewhereAndCompletesOnce() throws Exception {
    String jdbc = FaultSupport.newDatabase();
    server = FaultSupport.startServer(jdbc);
    FaultSupport.installAudit(jdbc);
    Http http = server.http();

    for (int i = 0; i < 3; i++) {
      executors.add(FaultSupport.startExecutor(dir, "node-" + i, server.url(), 1, Map.of()));
    }
    Map<String, Executor> byId = new LinkedHashMap<>();
    for (Executor e : executors) {
      byId.put(FaultSupport.awaitRegistered(http, e, Duration.ofSeconds(90)), e);
    }

    long study = FaultSupport.create(http, FaultSupport.study("kill9",
        Map.of("name", "noop", "config", Map.of("sleepMs", 4000, "reportEveryMs", 500)),
        Map.of("maxTrials", 1, "maxAttempts", 3)));

    // the trial runs on one of the three; wait until it is well under way (it has reported a measurement)
    JsonNode[] t = new JsonNode[1];
    FaultSupport.await("trial 1 running with a measurement", Duration.ofSeconds(60), () -> {
      Http.Res r = http.get("/api/v1/studies/" + study + "/trials/1");
      if (r.status() != 200) {
        return false;
      }
      t[0] = r.json();
      return t[0].get("state").asString().equals("RUNNING") && !t[0].get("measurements").isEmpty();
    });
    String victimId = t[0].get("executorId").asString();
    long trialId = t[0].get("id").asLong();
    Executor victim = byId.get(victimId);
    assertThat(victim).as("executor %s of trial 1 is one of ours", victimId).isNotNull();
    // attempt 1 normally; more if this (shared, loaded) machine starved an executor past its lease before the kill
    int attempt = t[0].get("attempt").asInt();

    Instant killedAt = Instant.now();
    victim.kill9();
    assertThat(victim.process.isAlive()).isFalse();

    // another executor takes it over after the lease expires, and finishes it
    FaultSupport.await("trial 1 completed", Duration.ofSeconds(60), () ->
        http.get("/api/v1/studies/" + study + "/trials/1").json().get("state").asString().equals("COMPLETED"));
    JsonNode done = http.get("/api/v1/studies/" + study + "/trials/1").json();
    assertThat(done.get("attempt").asInt()).as(done.toString()).isEqualTo(attempt + 1);
    assertThat(done.get("executorId").asString()).isNotEqualTo(victimId).isIn(byId.keySet());
    Map<String, Object> params = Http.JSON.convertValue(done.get("params"), Map.class);
    assertThat(done.get("values").get("loss").asDouble()).isEqualTo(Noop.value(params));
    assertThat(FaultSupport.studyState(http, study)).isEqualTo("COMPLETED");

    // the database saw: RUNNING on the victim, WAITING (reaped), RUNNING elsewhere, COMPLETED - once
    Map<Long, Integer> runs = FaultSupport.assertEachTrialEndedOnce(jdbc, study, 1);
    assertThat(runs).containsExactly(Map.entry(1L, attempt + 1));
    List<Change> changes = FaultSupport.audit(jdbc, study);
    List<String> path = new ArrayList<>();
    changes.forEach(c -> {
      if (path.isEmpty() || !path.getLast().equals(c.newState())) {
        path.add(c.newState());
      }
    });
    assertThat(path).as("%s", changes).startsWith("RUNNING").endsWith("RUNNING", "WAITING", "RUNNING", "COMPLETED")
        .containsOnly("RUNNING", "WAITING", "COMPLETED");
    List<String> holders = FaultSupport.leaseHolders(changes);
    assertThat(holders).hasSize(attempt + 1);
    assertThat(holders.get(attempt - 1)).isEqualTo(victimId);
    assertThat(holders.getLast()).isNotEqualTo(victimId).isEqualTo(done.get("executorId").asString());

    // re-dispatched within the lease (the victim's last heartbeat was at most a third of it before the kill)
    // plus the reaper period plus slack for this shared machine
    OffsetDateTime restarted = OffsetDateTime.parse(done.get("startedAt").asString());
    double redispatch = Duration.between(killedAt, restarted.toInstant()).toMillis() / 1000.0;
    System.out.printf("kill -9 -> re-dispatch: %.2f s (lease %.1f s)%n", redispatch, LEASE_SECONDS);
    assertThat(redispatch).isBetween(0.0, LEASE_SECONDS + 3.0);

    // a zombie report of the dead attempt (as if the victim had come back) is refused and changes nothing
    int audited = FaultSupport.audit(jdbc, study).size();
    Http.Res late = http.post("/api/v1/executors/" + victimId + "/leases/" + trialId + "/" + attempt + "/complete",
        Map.of("values", Map.of("loss", 123.0)));
    assertThat(late.status()).as(late.text()).isIn(404, 409);
    JsonNode after = http.get("/api/v1/studies/" + study + "/trials/1").json();
    assertThat(after.get("values").get("loss").asDouble()).isEqualTo(Noop.value(params));
    assertThat(FaultSupport.audit(jdbc, study)).hasSize(audited);
  }
}
