package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.evaluators.executor.DispatchPort;
import io.sextant.evaluators.executor.ExecutorInfo;
import io.sextant.evaluators.executor.FailureReason;
import io.sextant.evaluators.executor.Lease;
import io.sextant.evaluators.executor.LeaseRef;
import io.sextant.evaluators.executor.Outcome;
import io.sextant.evaluators.executor.StaleLeaseException;
import io.sextant.evaluators.executor.UnknownExecutorException;
import io.sextant.engine.study.OutcomeConstraint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The {@link DispatchPort} contract, run against every implementation (Optuna's StorageTestCase idea): the
 * in-process one ({@code DispatchService}, called directly) and the REST one ({@code RestDispatchPort} against this
 * server). Each subclass only says how to get its port; every behaviour an executor node relies on is checked here
 * once, so the two paths cannot drift: leasing, reports, completion, failure, batches, ownership of leases (a report
 * names its executor, and only the lease's holder is heard), expired leases, and the one failure-reason limit.
 *
 * <p>Same properties as {@link LeaseExpiryTest}, so the three share one application context.
 */
@TestPropertySource(properties = {"sextant.executor.in-process.enabled=false", "sextant.dispatch.lease-seconds=3"})
abstract class DispatchPortContract extends ApiTestBase {
  /** The implementation under test, talking to this test's server. */
  protected abstract DispatchPort dispatch();

  /** Each test's studies and executors are in a pool of their own: its executors see only its studies. */
  protected final String pool = newPool();

  private long study(int maxTrials, int maxAttempts) {
    return create(inPool(Map.of("name", unique("contract"),
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "loss")),
        "constraints", List.of(Map.of("metric", "mem", "op", "le", "bound", 8)),
        "evaluator", Map.of("name", "noop"),
        "limits", Map.of("maxTrials", maxTrials, "maxAttempts", maxAttempts)), pool));
  }

  private String register(String name) {
    String id = dispatch().register(new ExecutorInfo(name, 4, 2, List.of(), Map.of("contract", "yes"), List.of(),
        java.util.Optional.of(pool)));
    assertThat(id).isNotBlank();
    return id;
  }

  private List<Lease> lease(String executor, int n) {
    List<Lease> got = dispatch().lease(executor, n, Duration.ofSeconds(5));
    assertThat(got).hasSize(n);
    return got;
  }

  private JsonNode trial(long study, Lease lease) {
    return http.get("/api/v1/studies/" + study + "/trials/" + lease.trialNumber()).json();
  }

  @Test
  void leaseCarriesTheProblemAndReportCompleteRecordTheOutcome() {
    long id = study(3, 2);
    String ex = register("contract-a");
    List<Lease> leases = lease(ex, 2);
    Lease l = leases.getFirst();
    assertThat(l.studyId()).isEqualTo(id);
    assertThat(l.ref().attempt()).isEqualTo(1);
    assertThat(l.evaluator()).isEqualTo("noop");
    assertThat(l.params()).containsOnlyKeys("x");
    assertThat(l.problem().objectives().getFirst().metric()).isEqualTo("loss");
    // the alias "le" of the study body arrives as the op it means
    assertThat(l.problem().constraints())
        .containsExactly(new OutcomeConstraint("mem", OutcomeConstraint.Op.LE, 8));
    assertThat(l.expiresAt()).isAfter(java.time.Instant.now().minusSeconds(60));

    assertThat(dispatch().heartbeat(ex, List.of(l.ref()))).isEmpty();
    assertThat(dispatch().report(ex, l.ref(), 1, Map.of("loss", 0.7))).isFalse();
    dispatch().complete(ex, l.ref(), Map.of("loss", 0.5, "mem", 1.0));
    JsonNode t = trial(id, l);
    assertThat(t.get("state").asString()).isEqualTo("COMPLETED");
    assertThat(t.get("values").get("loss").asDouble()).isEqualTo(0.5);
    assertThat(t.get("measurements")).hasSize(1);
    assertThat(t.get("executorId").asString()).isEqualTo(ex);
    // finished: any further report on it is stale and changes nothing
    assertThatThrownBy(() -> dispatch().complete(ex, l.ref(), Map.of("loss", 9.0, "mem", 1.0)))
        .isInstanceOf(StaleLeaseException.class);
    assertThat(trial(id, l).get("values").get("loss").asDouble()).isEqualTo(0.5);
    dispatch().deregister(ex);
    assertThat(trial(id, leases.get(1)).get("state").asString()).isEqualTo("WAITING");
  }

  @Test
  void aFailedAttemptIsRequeuedWhileAttemptsRemainThenFails() {
    long id = study(1, 2);
    String ex = register("contract-fail");
    Lease first = lease(ex, 1).getFirst();
    dispatch().fail(ex, first.ref(), "exit status 3");
    JsonNode t = trial(id, first);
    assertThat(t.get("state").asString()).isEqualTo("WAITING");
    assertThat(t.get("attempt").asInt()).isEqualTo(2);
    assertThat(t.get("failureReason").asString()).isEqualTo("exit status 3");
    Lease second = lease(ex, 1).getFirst();
    assertThat(second.ref()).isEqualTo(new LeaseRef(first.ref().trialId(), 2));
    dispatch().fail(ex, second.ref(), " "); // blank: the server's words
    t = trial(id, second);
    assertThat(t.get("state").asString()).isEqualTo("FAILED");
    assertThat(t.get("failureReason").asString()).isEqualTo("evaluation failed (attempt 2 of 2)");
    dispatch().deregister(ex);
  }

  @Test
  void aBatchIsJudgedOutcomeByOutcomeAndCanBringNewLeases() {
    long id = study(6, 2);
    String ex = register("contract-batch");
    List<Lease> got = lease(ex, 3);
    LeaseRef wrongAttempt = new LeaseRef(got.get(2).ref().trialId(), 9);
    var answer = dispatch().finishAndLease(ex, List.of(
        Outcome.completed(got.get(0).ref(), Map.of("loss", 0.25, "mem", 1.0)),
        Outcome.failed(got.get(1).ref(), "out of memory"),
        Outcome.completed(wrongAttempt, Map.of("loss", 7.0, "mem", 1.0))), 2);
    assertThat(answer.stale()).containsExactly(wrongAttempt);
    assertThat(answer.leases()).hasSize(2);
    assertThat(answer.leases()).extracting(l -> l.ref().trialId()).contains(got.get(1).ref().trialId());
    assertThat(trial(id, got.get(0)).get("state").asString()).isEqualTo("COMPLETED");
    assertThat(trial(id, got.get(2)).get("state").asString()).isEqualTo("RUNNING"); // the stale one changed nothing
    assertThat(dispatch().finish(ex, List.of(Outcome.completed(got.get(0).ref(), Map.of("loss", 1.0)))))
        .containsExactly(got.get(0).ref());
    dispatch().deregister(ex);
  }

  /** The identity rule: a report names its executor, and only the executor holding the lease is heard. */
  @Test
  void aLeaseIsOnlyItsExecutorsAndNoExecutorMeansNoLease() {
    long id = study(2, 2);
    String owner = register("contract-owner");
    String other = register("contract-other");
    Lease l = lease(owner, 1).getFirst();
    LeaseRef ref = l.ref();
    assertThatThrownBy(() -> dispatch().report(other, ref, 1, Map.of("loss", 1.0)))
        .isInstanceOf(StaleLeaseException.class);
    assertThatThrownBy(() -> dispatch().complete(other, ref, Map.of("loss", 1.0, "mem", 1.0)))
        .isInstanceOf(StaleLeaseException.class);
    assertThatThrownBy(() -> dispatch().fail(other, ref, "taken over")).isInstanceOf(StaleLeaseException.class);
    assertThat(dispatch().finish(other, List.of(Outcome.failed(ref, "taken over")))).containsExactly(ref);
    assertThat(dispatch().heartbeat(other, List.of(ref))).containsExactly(ref);
    // an executor the server does not know holds no lease, and cannot lease or heartbeat
    assertThatThrownBy(() -> dispatch().complete("no-such-executor", ref, Map.of("loss", 1.0, "mem", 1.0)))
        .isInstanceOf(StaleLeaseException.class);
    assertThat(dispatch().finishAndLease("no-such-executor", List.of(Outcome.failed(ref, "x")), 1).stale())
        .containsExactly(ref);
    assertThatThrownBy(() -> dispatch().lease("no-such-executor", 1, Duration.ZERO))
        .isInstanceOf(UnknownExecutorException.class);
    assertThatThrownBy(() -> dispatch().heartbeat("no-such-executor", List.of(ref)))
        .isInstanceOf(UnknownExecutorException.class);
    // none of that touched the trial; its holder still completes it
    JsonNode t = trial(id, l);
    assertThat(t.get("state").asString()).isEqualTo("RUNNING");
    assertThat(t.get("measurements")).isEmpty();
    assertThat(t.get("executorId").asString()).isEqualTo(owner);
    dispatch().complete(owner, ref, Map.of("loss", 0.5, "mem", 1.0));
    assertThat(trial(id, l).get("state").asString()).isEqualTo("COMPLETED");
    dispatch().deregister(owner);
    dispatch().deregister(other);
  }

  @Test
  void anExpiredLeaseIsStaleAndItsTrialGoesToTheNextAttempt() throws Exception {
    long id = study(1, 2);
    String ex = register("contract-expiry");
    Lease l = lease(ex, 1).getFirst();
    // no heartbeats: after the lease time (3 s here) the reaper re-queues the trial with attempt 2
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode t = trial(id, l);
    while (t.get("attempt").asInt() < 2 && System.nanoTime() < end) {
      Thread.sleep(200);
      t = trial(id, l);
    }
    assertThat(t.get("attempt").asInt()).isEqualTo(2);
    assertThat(t.get("state").asString()).isEqualTo("WAITING");
    assertThat(t.get("failureReason").asString()).contains("lease expired");
    assertThatThrownBy(() -> dispatch().report(ex, l.ref(), 1, Map.of("loss", 1.0)))
        .isInstanceOf(StaleLeaseException.class);
    assertThatThrownBy(() -> dispatch().complete(ex, l.ref(), Map.of("loss", 1.0, "mem", 1.0)))
        .isInstanceOf(StaleLeaseException.class);
    assertThatThrownBy(() -> dispatch().fail(ex, l.ref(), "late")).isInstanceOf(StaleLeaseException.class);
    assertThat(dispatch().heartbeat(ex, List.of(l.ref()))).containsExactly(l.ref());
    t = trial(id, l);
    assertThat(t.get("state").asString()).isEqualTo("WAITING");
    assertThat(t.get("failureReason").asString()).contains("lease expired");
    Lease retry = lease(ex, 1).getFirst();
    assertThat(retry.ref()).isEqualTo(new LeaseRef(l.ref().trialId(), 2));
    dispatch().deregister(ex);
  }

  /** An over-long reason is fitted where it is made, the same on both paths, so the server never refuses it. */
  @Test
  void aFailureReasonIsFittedToTheOneLimit() {
    long id = study(1, 2);
    String ex = register("contract-reason");
    String head = "command exited with status 1; stderr tail:\n";
    String huge = head + "x".repeat(60_000) + "\nValueError: the real error";
    Lease first = lease(ex, 1).getFirst();
    dispatch().fail(ex, first.ref(), huge);
    String stored = trial(id, first).get("failureReason").asString();
    assertThat(stored).hasSizeLessThanOrEqualTo(FailureReason.MAX_LENGTH).startsWith(head)
        .endsWith("\nValueError: the real error").contains(" characters cut ...]");
    assertThat(stored).isEqualTo(FailureReason.fit(huge));
    // the last attempt: the server's "(attempt 2 of 2)" does not take it past the limit either
    Lease second = lease(ex, 1).getFirst();
    assertThat(dispatch().finish(ex, List.of(Outcome.failed(second.ref(), huge)))).isEmpty();
    JsonNode t = trial(id, second);
    assertThat(t.get("state").asString()).isEqualTo("FAILED");
    assertThat(t.get("failureReason").asString()).hasSizeLessThanOrEqualTo(FailureReason.MAX_LENGTH)
        .startsWith(head).endsWith("(attempt 2 of 2)");
    dispatch().deregister(ex);
  }
}
