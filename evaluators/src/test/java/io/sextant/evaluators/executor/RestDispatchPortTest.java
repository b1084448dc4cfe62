package io.sextant.evaluators.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.IntParameter;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.OutcomeConstraint;
import io.sextant.evaluators.executor.RecordingServer.Answer;
import io.sextant.evaluators.json.Json;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RestDispatchPortTest {
  private static final String LEASE = """
      {"trialId": 41, "attempt": 2, "studyId": 7, "trialNumber": 12,
       "params": {"lr": 0.01, "layers": 3, "act": "relu"},
       "evaluator": "command", "evaluatorConfig": {"command": ["python3", "train.py"], "gpus": 1},
       "problem": {
         "space": {"parameters": [
           {"name": "lr", "type": "float", "low": 1e-5, "high": 1, "log": true},
           {"name": "layers", "type": "int", "low": 1, "high": 8},
           {"name": "act", "type": "categorical", "choices": ["relu", "tanh"]}]},
         "objectives": [{"metric": "loss", "direction": "MINIMIZE"}, {"metric": "acc", "direction": "MAXIMIZE"}],
         "constraints": [{"metric": "mem", "op": "<=", "bound": 8.5}, {"metric": "acc", "op": ">=", "bound": "-Infinity"}]},
       "gpus": [0, 2], "expiresAt": "2030-01-02T03:04:05.123Z"}
      """;

  private final RecordingServer server = new RecordingServer();
  private RestDispatchPort port = new RestDispatchPort(server.uri(), Optional.of("s3cret"));

  @AfterEach
  void tearDown() {
    port.close();
    server.close();
  }

  private static Object json(String s) {
    return Json.parse(s);
  }

  private String registered() {
    server.answer = r -> Answer.json(201, "{\"id\": \"ex-1\"}");
    return port.register(new ExecutorInfo("node-a", 4, 16, List.of(new ExecutorInfo.Gpu(0, "NVIDIA H100", 81559)),
        Map.of("zone", "b")));
  }

  @Test
  void registerPostsTheExecutorAndReturnsItsId() {
    assertThat(registered()).isEqualTo("ex-1");
    RecordingServer.Request r = server.last();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/api/v1/executors");
    assertThat(r.authorization()).isEqualTo("Bearer s3cret");
    assertThat(r.contentType()).isEqualTo("application/json");
    assertThat(json(r.body())).isEqualTo(json("""
        {"name": "node-a", "slots": 4, "cpuCores": 16,
         "gpus": [{"index": 0, "name": "NVIDIA H100", "memoryMiB": 81559}], "labels": {"zone": "b"}}"""));
  }

  @Test
  void withoutATokenNoAuthorizationIsSentAndAPathPrefixIsKept() {
    port.close();
    port = new RestDispatchPort(URI.create(server.uri() + "/sextant/"), Optional.empty());
    registered();
    assertThat(server.last().authorization()).isNull();
    assertThat(server.last().path()).isEqualTo("/sextant/api/v1/executors");
  }

  @Test
  void leaseLongPollsAndReadsEveryFieldOfALease() {
    String id = registered();
    server.answer = r -> Answer.json(200, "{\"leases\": [" + LEASE + "]}");
    List<Lease> leases = port.lease(id, 3, Duration.ofSeconds(2));
    RecordingServer.Request r = server.last();
    assertThat(r.path()).isEqualTo("/api/v1/executors/ex-1/leases");
    assertThat(json(r.body())).isEqualTo(json("{\"max\": 3, \"waitSeconds\": 2}"));
    assertThat(leases).hasSize(1);
    Lease l = leases.getFirst();
    assertThat(l.ref()).isEqualTo(new LeaseRef(41, 2));
    assertThat(l.studyId()).isEqualTo(7);
    assertThat(l.trialNumber()).isEqualTo(12);
    assertThat(l.params()).isEqualTo(Map.of("lr", 0.01, "layers", 3L, "act", "relu"));
    assertThat(l.evaluator()).isEqualTo("command");
    assertThat(l.evaluatorConfig()).isEqualTo(Map.of("command", List.of("python3", "train.py"), "gpus", 1));
    assertThat(l.problem().space().parameters()).hasSize(3);
    assertThat(l.problem().space().parameters().get(0)).isInstanceOf(FloatParameter.class);
    assertThat(((FloatParameter) l.problem().space().parameters().get(0)).log()).isTrue();
    assertThat(l.problem().space().parameters().get(1)).isInstanceOf(IntParameter.class);
    assertThat(l.problem().objectives()).containsExactly(new Objective("loss", Direction.MINIMIZE),
        new Objective("acc", Direction.MAXIMIZE));
    assertThat(l.problem().constraints()).containsExactly(
        new OutcomeConstraint("mem", OutcomeConstraint.Op.LE, 8.5),
        new OutcomeConstraint("acc", OutcomeConstraint.Op.GE, Double.NEGATIVE_INFINITY));
    assertThat(l.gpus()).containsExactly(0, 2);
    assertThat(l.expiresAt()).isEqualTo(Instant.parse("2030-01-02T03:04:05.123Z"));
  }

  @Test
  void fractionalWaitsAreSentAsFractionalSecondsAndOptionalLeaseFieldsDefault() {
    String id = registered();
    String minimal = """
        {"trialId": 1, "attempt": 0, "studyId": 1, "trialNumber": 0, "evaluator": "noop",
         "problem": {"space": {"parameters": []}, "objectives": [{"metric": "y", "direction": "minimize"}]},
         "expiresAt": "2030-01-02T03:04:05+02:00"}""";
    server.answer = r -> Answer.json(200, "{\"leases\": [" + minimal + "]}");
    Lease l = port.lease(id, 1, Duration.ofMillis(250)).getFirst();
    assertThat(json(server.last().body())).isEqualTo(json("{\"max\": 1, \"waitSeconds\": 0.25}"));
    assertThat(l.evaluatorConfig()).isEmpty();
    assertThat(l.params()).isEmpty();
    assertThat(l.gpus()).isEmpty();
    assertThat(l.problem().constraints()).isEmpty();
    assertThat(l.expiresAt()).isEqualTo(Instant.parse("2030-01-02T01:04:05Z"));
  }

  @Test
  void anUnreadableLeaseIsFailedWithTheReasonAndTheOthersAreReturned() {
    String id = registered();
    String bad = LEASE.replace("\"trialId\": 41", "\"trialId\": 99").replace("\"type\": \"int\"", "\"type\": \"bogus\"");
    server.answer = r -> r.path().endsWith("/leases")
        ? Answer.json(200, "{\"leases\": [" + bad + ", " + LEASE + "]}")
        : Answer.json(200, "{}");
    List<Lease> leases = port.lease(id, 2, Duration.ofSeconds(1));
    assertThat(leases).extracting(Lease::ref).containsExactly(new LeaseRef(41, 2));
    RecordingServer.Request fail = server.last();
    assertThat(fail.path()).isEqualTo("/api/v1/executors/ex-1/leases/99/2/fail");
    assertThat((String) Json.object(json(fail.body()), "").get("reason"))
        .startsWith("executor could not read the lease: problem.space:")
        .contains("type must be one of");
  }

  @Test
  void heartbeatListsTheLeasesAndReturnsTheOnesToStop() {
    String id = registered();
    server.answer = r -> Answer.json(200, "{\"stop\": [{\"trialId\": 5, \"attempt\": 1}]}");
    List<LeaseRef> stop = port.heartbeat(id, List.of(new LeaseRef(5, 1), new LeaseRef(6, 3)));
    assertThat(stop).containsExactly(new LeaseRef(5, 1));
    assertThat(server.last().path()).isEqualTo("/api/v1/executors/ex-1/heartbeat");
    assertThat(json(server.last().body())).isEqualTo(json(
        "{\"leases\": [{\"trialId\": 5, \"attempt\": 1}, {\"trialId\": 6, \"attempt\": 3}]}"));
  }

  @Test
  void measurementsEncodeNonFiniteValuesAsStringsAndReturnTheStopAnswer() {
    String id = registered();
    server.answer = r -> Answer.json(200, "{\"stop\": true}");
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("loss", Double.POSITIVE_INFINITY);
    values.put("low", Double.NEGATIVE_INFINITY);
    values.put("nan", Double.NaN);
    values.put("acc", 0.5);
    assertThat(port.report(id, new LeaseRef(41, 2), 10, values)).isTrue();
    assertThat(server.last().path()).isEqualTo("/api/v1/executors/ex-1/leases/41/2/measurements");
    assertThat(server.last().body()).isEqualTo(
        "{\"step\":10,\"values\":{\"loss\":\"Infinity\",\"low\":\"-Infinity\",\"nan\":\"NaN\",\"acc\":0.5}}");
    server.answer = r -> Answer.json(200, "{\"stop\": false}");
    assertThat(port.report(id, new LeaseRef(41, 2), 11, Map.of("acc", 0.6))).isFalse();
  }

  @Test
  void completeAndFailPostTheirBodies() {
    String id = registered();
    server.answer = r -> Answer.json(200, "");
    port.complete(id, new LeaseRef(41, 2), Map.of("loss", Double.NaN));
    assertThat(server.last().path()).isEqualTo("/api/v1/executors/ex-1/leases/41/2/complete");
    assertThat(server.last().body()).isEqualTo("{\"values\":{\"loss\":\"NaN\"}}");
    port.fail(id, new LeaseRef(42, 0), "exit status 1: \"boom\"\n");
    assertThat(server.last().path()).isEqualTo("/api/v1/executors/ex-1/leases/42/0/fail");
    assertThat(json(server.last().body())).isEqualTo(Map.of("reason", "exit status 1: \"boom\"\n"));
  }

  @Test
  void finishPostsABatchAndReturnsTheStaleLeases() {
    String id = registered();
    server.answer = r -> Answer.json(200, "{\"stale\": [{\"trialId\": 42, \"attempt\": 0}]}");
    List<LeaseRef> stale = port.finish(id, List.of(Outcome.completed(new LeaseRef(41, 2), Map.of("loss", Double.NaN)),
        Outcome.failed(new LeaseRef(42, 0), "exit status 1")));
    assertThat(stale).containsExactly(new LeaseRef(42, 0));
    assertThat(server.last().path()).isEqualTo("/api/v1/executors/ex-1/outcomes");
    assertThat(server.last().body()).isEqualTo("{\"outcomes\":[{\"trialId\":41,\"attempt\":2,\"values\":"
        + "{\"loss\":\"NaN\"}},{\"trialId\":42,\"attempt\":0,\"reason\":\"exit status 1\"}]}");
    int before = server.requests.size();
    assertThat(port.finish(id, List.of())).isEmpty();
    assertThat(server.requests).hasSize(before); // nothing to send, nothing sent
    // with a lease request in the same round trip: the answer's leases come back
    server.answer = r -> Answer.json(200, "{\"stale\": [], \"leases\": [" + LEASE + "]}");
    DispatchPort.Exchange ex = port.finishAndLease("ex-1",
        List.of(Outcome.completed(new LeaseRef(43, 1), Map.of("loss", 2.0))), 3);
    assertThat(ex.stale()).isEmpty();
    assertThat(ex.leases()).hasSize(1);
    assertThat(Json.object(json(server.last().body()), "").get("lease")).isEqualTo(Map.of("max", 3));
    // the server forgot this executor: every lease in the batch is stale
    server.answer = r -> Answer.problem(404, "executor ex-1 is not registered");
    assertThat(port.finish(id, List.of(Outcome.completed(new LeaseRef(7, 1), Map.of("loss", 1.0)))))
        .containsExactly(new LeaseRef(7, 1));
  }

  @Test
  void conflictMeansAStaleLeaseForEveryReport() {
    String id = registered();
    server.answer = r -> Answer.problem(409, "lease 41/2 is no longer current");
    LeaseRef ref = new LeaseRef(41, 2);
    assertThatThrownBy(() -> port.report(id, ref, 1, Map.of("loss", 1.0)))
        .isInstanceOf(StaleLeaseException.class).hasMessage("lease 41/2 is no longer current");
    assertThatThrownBy(() -> port.complete(id, ref, Map.of("loss", 1.0))).isInstanceOf(StaleLeaseException.class);
    assertThatThrownBy(() -> port.fail(id, ref, "x")).isInstanceOf(StaleLeaseException.class);
  }

  @Test
  void otherErrorsCarryStatusAndDetail() {
    String id = registered();
    server.answer = r -> Answer.problem(500, "database is down");
    assertThatThrownBy(() -> port.heartbeat(id, List.of(new LeaseRef(1, 1))))
        .isInstanceOfSatisfying(DispatchHttpException.class, e -> {
          assertThat(e.status()).isEqualTo(500);
          assertThat(e.detail()).isEqualTo("database is down");
          assertThat(e).isNotInstanceOf(StaleLeaseException.class);
        });
    server.answer = r -> new Answer(403, "text/plain", "forbidden, bad token", 0);
    assertThatThrownBy(() -> port.register(new ExecutorInfo("n", 1, 1, List.of(), Map.of())))
        .isInstanceOfSatisfying(DispatchHttpException.class, e -> {
          assertThat(e.status()).isEqualTo(403);
          assertThat(e.detail()).isEqualTo("forbidden, bad token");
        });
    server.answer = r -> Answer.problem(404, "no executor ex-1");
    assertThatThrownBy(() -> port.lease(id, 1, Duration.ofSeconds(1))).isInstanceOf(UnknownExecutorException.class);
    port.deregister(id); // an unknown executor counts as gone
  }

  @Test
  void deregisterDeletesTheExecutor() {
    String id = registered();
    server.answer = r -> new Answer(204, "application/json", "", 0);
    port.deregister(id);
    assertThat(server.last().method()).isEqualTo("DELETE");
    assertThat(server.last().path()).isEqualTo("/api/v1/executors/ex-1");
  }

  @Test
  void connectionFailuresAreUncheckedIoExceptions() throws Exception {
    int freePort;
    try (ServerSocket s = new ServerSocket(0)) {
      freePort = s.getLocalPort();
    }
    try (RestDispatchPort dead = new RestDispatchPort(URI.create("http://127.0.0.1:" + freePort), Optional.empty())) {
      assertThatThrownBy(() -> dead.register(new ExecutorInfo("n", 1, 1, List.of(), Map.of())))
          .isInstanceOf(UncheckedIOException.class).hasMessageContaining("POST http://127.0.0.1:" + freePort);
    }
  }

  @Test
  void aLeaseRequestMayTakeLongerThanTheRequestTimeoutByItsWait() {
    port.close();
    port = new RestDispatchPort(server.uri(), Optional.empty(), Duration.ofMillis(500));
    String id = registered();
    // The server answers after 1.5 s: beyond the 0.5 s request timeout, within wait (3 s) + request timeout.
    server.answer = r -> new Answer(200, "application/json", "{\"leases\": []}", 1500);
    assertThat(port.lease(id, 1, Duration.ofSeconds(3))).isEmpty();
    assertThatThrownBy(() -> port.heartbeat(id, List.of(new LeaseRef(1, 1))))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void stopLeasingAbandonsALongPollAtOnce() throws Exception {
    String id = registered();
    server.answer = r -> new Answer(200, "application/json", "{\"leases\": [" + LEASE + "]}", 20_000);
    CompletableFuture<List<Lease>> poll = CompletableFuture.supplyAsync(() -> port.lease(id, 1, Duration.ofSeconds(30)));
    while (server.requests.size() < 2) {
      Thread.sleep(10);
    }
    port.stopLeasing();
    assertThat(poll.get(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(port.lease(id, 1, Duration.ofSeconds(30))).isEmpty();
    assertThat(server.requests).hasSize(2);
  }

  @Test
  void reportsNameTheirExecutorAndUrlsMustBeHttp() {
    assertThatThrownBy(() -> port.complete(null, new LeaseRef(1, 1), Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.requests).isEmpty();
    assertThatThrownBy(() -> new RestDispatchPort(URI.create("ftp://x"), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(RestDispatchPort.segment("a b/é")).isEqualTo("a%20b%2F%C3%A9");
  }
}
