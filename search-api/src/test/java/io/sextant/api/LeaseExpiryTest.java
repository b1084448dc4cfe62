package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.api.dispatch.DispatchService;
import io.sextant.evaluators.executor.ExecutorInfo;
import io.sextant.evaluators.executor.Lease;
import io.sextant.evaluators.executor.StaleLeaseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** Leases judged by the database clock: an executor that stops heartbeating loses its trial to a retry. */
@TestPropertySource(properties = {"sextant.executor.in-process.enabled=false", "sextant.dispatch.lease-seconds=3"})
class LeaseExpiryTest extends ApiTestBase {
  @Autowired
  DispatchService dispatch;

  /** Each test's studies and executors are in a pool of their own: its executors see only its studies. */
  private final String pool = newPool();

  private String register(String name, int slots) {
    return dispatch.register(new ExecutorInfo(name, slots, slots, List.of(), Map.of(), List.of(), Optional.of(pool)));
  }

  @Test
  void expiredLeasesAreRequeuedThenFailedAfterMaxAttemptsAndStaleReportsChangeNothing() throws Exception {
    long id = create(inPool(Map.of("name", unique("lease"),
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "y")),
        "evaluator", Map.of("name", "noop"),
        "limits", Map.of("maxTrials", 1, "maxAttempts", 2)), pool));
    String ghost = register("ghost", 1);
    List<Lease> first = dispatch.lease(ghost, 1, Duration.ofSeconds(5));
    assertThat(first).hasSize(1);
    Lease lease = first.getFirst();
    assertThat(lease.ref().attempt()).isEqualTo(1);
    assertThat(lease.trialNumber()).isEqualTo(1);
    // heartbeats keep it
    assertThat(dispatch.heartbeat(ghost, List.of(lease.ref()))).isEmpty();
    assertThat(dispatch.report(ghost, lease.ref(), 1, Map.of("y", 0.5))).isFalse();

    // no more heartbeats: after the lease time the reaper puts the trial back with attempt 2
    Lease second = awaitLease(ghost, Duration.ofSeconds(15));
    assertThat(second.ref().trialId()).isEqualTo(lease.ref().trialId());
    assertThat(second.ref().attempt()).isEqualTo(2);
    JsonNode t = http.get("/api/v1/studies/" + id + "/trials/1").json();
    assertThat(t.get("failureReason").asString()).contains("lease expired");

    // the first lease is stale now: its reports are refused and change nothing
    assertThatThrownBy(() -> dispatch.complete(ghost, lease.ref(), Map.of("y", 1.0)))
        .isInstanceOf(StaleLeaseException.class);
    assertThatThrownBy(() -> dispatch.report(ghost, lease.ref(), 2, Map.of("y", 1.0)))
        .isInstanceOf(StaleLeaseException.class);
    assertThat(dispatch.heartbeat(ghost, List.of(lease.ref()))).containsExactly(lease.ref());
    assertThat(http.get("/api/v1/studies/" + id + "/trials/1").json().get("state").asString()).isEqualTo("RUNNING");

    // the second attempt also expires: maxAttempts = 2, so the trial fails, and the study, whose only trial failed,
    // ends FAILED
    long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    do {
      t = http.get("/api/v1/studies/" + id + "/trials/1").json();
      Thread.sleep(200);
    } while (!t.get("state").asString().equals("FAILED") && System.nanoTime() < end);
    assertThat(t.get("state").asString()).isEqualTo("FAILED");
    assertThat(t.get("attempt").asInt()).isEqualTo(2);
    assertThatThrownBy(() -> dispatch.complete(ghost, second.ref(), Map.of("y", 1.0)))
        .isInstanceOf(StaleLeaseException.class);
    JsonNode study = http.get("/api/v1/studies/" + id).json();
    assertThat(study.get("state").asString()).isEqualTo("FAILED");
    assertThat(study.get("stateReason").asString()).startsWith("no trial completed");
  }

  @Test
  void aCompletedLeaseRecordsTheValuesAndADeregisteredExecutorHandsItsTrialsBack() {
    long id = create(inPool(Map.of("name", unique("lease-ok"),
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "y")),
        "evaluator", Map.of("name", "noop"),
        "limits", Map.of("maxTrials", 2, "maxAttempts", 3)), pool));
    String ex = register("worker", 2);
    List<Lease> leases = dispatch.lease(ex, 2, Duration.ofSeconds(5));
    assertThat(leases).hasSize(2);
    dispatch.complete(ex, leases.get(0).ref(), Map.of("y", 0.25));
    JsonNode t = http.get("/api/v1/studies/" + id + "/trials/" + leases.get(0).trialNumber()).json();
    assertThat(t.get("state").asString()).isEqualTo("COMPLETED");
    assertThat(t.get("values").get("y").asDouble()).isEqualTo(0.25);
    assertThat(t.get("measurements")).isEmpty();

    dispatch.deregister(ex);
    JsonNode back = http.get("/api/v1/studies/" + id + "/trials/" + leases.get(1).trialNumber()).json();
    assertThat(back.get("state").asString()).isEqualTo("WAITING");
    assertThat(back.get("attempt").asInt()).isEqualTo(2);
  }

  private Lease awaitLease(String executor, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      List<Lease> got = dispatch.lease(executor, 1, Duration.ofMillis(500));
      if (!got.isEmpty()) {
        return got.getFirst();
      }
    }
    throw new AssertionError("no lease within " + timeout);
  }
}
