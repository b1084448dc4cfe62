package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The life cycle of ask/tell trials and of studies (issue 20): client heartbeats judged by the database clock and
 * reaped by the server, late and repeated tells, and studies that end FAILED with a reason. The test profile reaps
 * every 200 ms.
 */
class TrialLifeCycleTest extends ApiTestBase {

  private static Map<String, Object> study(String name, Map<String, Object> limits) {
    Map<String, Object> s = demoStudy(unique(name));
    s.put("limits", limits);
    return s;
  }

  private JsonNode trial(long study, long number) {
    Http.Res r = http.get("/api/v1/studies/" + study + "/trials/" + number);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  private JsonNode studyJson(long id) {
    return http.get("/api/v1/studies/" + id).json();
  }

  /** Polls (at most 60 s) until the trial satisfies {@code done}; the trial. */
  private JsonNode awaitTrial(long study, long number, Predicate<JsonNode> done) throws InterruptedException {
    long end = System.nanoTime() + 60_000_000_000L;
    JsonNode t = trial(study, number);
    while (!done.test(t) && System.nanoTime() < end) {
      Thread.sleep(100);
      t = trial(study, number);
    }
    return t;
  }

  private JsonNode awaitStudy(long id, Predicate<JsonNode> done) throws InterruptedException {
    long end = System.nanoTime() + 120_000_000_000L;
    JsonNode s = studyJson(id);
    while (!done.test(s) && System.nanoTime() < end) {
      Thread.sleep(100);
      s = studyJson(id);
    }
    return s;
  }

  private static OffsetDateTime deadline(JsonNode trialOrHeartbeat) {
    return OffsetDateTime.parse(trialOrHeartbeat.get("leaseExpiresAt").asString());
  }

  private Http.Res post(String path, Object body) {
    return http.post(path, body);
  }

  @Test
  void aClientThatStopsHeartbeatingLosesItsAttemptAndItsLateReportsChangeNothing() throws Exception {
    // 2 s: room for the steps below before the first deadline, even on a slow machine
    long id = create(study("heartbeat", Map.of("maxTrials", 5, "maxAttempts", 2, "heartbeatSeconds", 2)));
    assertThat(studyJson(id).get("limits").get("heartbeatSeconds").asInt()).isEqualTo(2);
    JsonNode asked = suggest(id, 1, "w1").get(0);
    long n = asked.get("number").asLong();
    String base = "/api/v1/studies/" + id + "/trials/" + n;
    assertThat(asked.get("attempt").asInt()).isEqualTo(1);
    OffsetDateTime first = deadline(asked);

    // a heartbeat and a measurement each move the deadline (database clock + 2 s)
    Thread.sleep(50);
    Http.Res beat = post(base + "/heartbeat", Map.of());
    assertThat(beat.status()).as(beat.text()).isEqualTo(200);
    assertThat(beat.json().get("state").asString()).isEqualTo("RUNNING");
    assertThat(beat.json().get("attempt").asInt()).isEqualTo(1);
    OffsetDateTime second = deadline(beat.json());
    assertThat(second).isAfter(first);
    Thread.sleep(50);
    Http.Res measured = post(base + "/measurements", Map.of("step", 1, "values", Map.of("loss", 0.9)));
    assertThat(measured.status()).as(measured.text()).isEqualTo(200);
    assertThat(deadline(trial(id, n))).isAfter(second);

    // then silence: the server gives the attempt up and queues the same parameters as attempt 2
    JsonNode requeued = awaitTrial(id, n, t -> t.get("state").asString().equals("WAITING"));
    assertThat(requeued.get("state").asString()).isEqualTo("WAITING");
    assertThat(requeued.get("attempt").asInt()).isEqualTo(2);
    assertThat(requeued.get("failureReason").asString()).isEqualTo("no heartbeat for 2 s");
    assertThat(requeued.get("params")).isEqualTo(asked.get("params"));

    // the silent client's late reports are refused and change nothing
    for (Http.Res late : List.of(post(base + "/complete", Map.of("values", Map.of("loss", 0.1))),
        post(base + "/heartbeat", Map.of()),
        post(base + "/measurements", Map.of("step", 2, "values", Map.of("loss", 0.2))),
        post(base + "/fail", Map.of("reason", "gave up")))) {
      assertThat(late.status()).as(late.text()).isEqualTo(409);
      assertThat(late.contentType()).startsWith("application/problem+json");
      assertThat(late.json().get("detail").asString()).contains("no heartbeat for 2 s");
    }
    assertThat(trial(id, n)).isEqualTo(requeued);

    // the next ask gets the retry; the first client's complete, naming its attempt, is refused
    JsonNode retry = suggest(id, 1, "w2").get(0);
    assertThat(retry.get("number").asLong()).isEqualTo(n);
    assertThat(retry.get("attempt").asInt()).isEqualTo(2);
    Http.Res stale = post(base + "/complete", Map.of("values", Map.of("loss", 0.1), "attempt", 1));
    assertThat(stale.status()).as(stale.text()).isEqualTo(409);
    assertThat(stale.field()).isEqualTo("attempt");
    assertThat(trial(id, n).get("state").asString()).isEqualTo("RUNNING");
    Http.Res done = post(base + "/complete", Map.of("values", Map.of("loss", 0.4), "attempt", 2));
    assertThat(done.status()).as(done.text()).isEqualTo(200);
    assertThat(done.json().get("values").get("loss").asDouble()).isEqualTo(0.4);
    assertThat(done.json().has("leaseExpiresAt")).isFalse();
  }

  @Test
  void afterMaxAttemptsTheSilentTrialFailsAndAStudyWithoutAResultEndsFailed() throws Exception {
    long id = create(study("heartbeat-last", Map.of("maxTrials", 1, "maxAttempts", 1, "heartbeatSeconds", 1)));
    long n = suggest(id, 1, "w").get(0).get("number").asLong();
    JsonNode failed = awaitTrial(id, n, t -> t.get("state").asString().equals("FAILED"));
    assertThat(failed.get("state").asString()).isEqualTo("FAILED");
    assertThat(failed.get("failureReason").asString()).startsWith("no heartbeat for 1 s");
    Http.Res late = post("/api/v1/studies/" + id + "/trials/" + n + "/complete", Map.of("values", Map.of("loss", 1)));
    assertThat(late.status()).as(late.text()).isEqualTo(409);
    assertThat(trial(id, n)).isEqualTo(failed);
    JsonNode s = studyJson(id);
    assertThat(s.get("state").asString()).isEqualTo("FAILED");
    assertThat(s.get("stateReason").asString()).contains("no trial completed").contains("1 FAILED");
  }

  @Test
  void withoutHeartbeatSecondsNothingIsRequired() throws Exception {
    long id = create(demoStudy(unique("no-heartbeat")));
    assertThat(studyJson(id).get("limits").has("heartbeatSeconds")).isFalse();
    JsonNode t = suggest(id, 1, "w").get(0);
    assertThat(t.has("leaseExpiresAt")).isFalse();
    long n = t.get("number").asLong();
    Http.Res beat = http.post("/api/v1/studies/" + id + "/trials/" + n + "/heartbeat", "", "application/json");
    assertThat(beat.status()).as(beat.text()).isEqualTo(200);
    assertThat(beat.json().has("leaseExpiresAt")).isFalse();
    Thread.sleep(1500); // several reaper rounds: nothing happens to a trial without a deadline
    assertThat(trial(id, n).get("state").asString()).isEqualTo("RUNNING");
    assertThat(complete(id, n, 0.5).status()).isEqualTo(200);
  }

  @Test
  void aRepeatedTellAnswersTheTrialUnchangedAndADifferentOneIsRefused() {
    long id = create(study("repeat", Map.of("maxTrials", 10)));
    JsonNode ts = suggest(id, 4, "w");
    String s = "/api/v1/studies/" + id + "/trials/";
    long a = ts.get(0).get("number").asLong();
    JsonNode done = complete(id, a, 0.25).json();
    Http.Res again = complete(id, a, 0.25);
    assertThat(again.status()).as(again.text()).isEqualTo(200);
    assertThat(again.json()).isEqualTo(done);
    Http.Res withAttempt = post(s + a + "/complete", Map.of("values", Map.of("loss", 0.25), "attempt", 1));
    assertThat(withAttempt.status()).isEqualTo(200);
    Http.Res different = complete(id, a, 0.26);
    assertThat(different.status()).as(different.text()).isEqualTo(409);
    assertThat(different.field()).isEqualTo("state");
    assertThat(trial(id, a).get("values").get("loss").asDouble()).isEqualTo(0.25);
    assertThat(post(s + a + "/complete", Map.of("infeasible", "diverged")).status()).isEqualTo(409);

    long b = ts.get(1).get("number").asLong();
    JsonNode inf = post(s + b + "/complete", Map.of("infeasible", "diverged")).json();
    assertThat(post(s + b + "/complete", Map.of("infeasible", "diverged")).json()).isEqualTo(inf);
    assertThat(post(s + b + "/complete", Map.of("infeasible", "exploded")).status()).isEqualTo(409);
    assertThat(post(s + b + "/complete", Map.of("values", Map.of("loss", 1))).status()).isEqualTo(409);

    long c = ts.get(2).get("number").asLong();
    JsonNode nan = post(s + c + "/complete", Map.of("values", Map.of("loss", "NaN"))).json();
    assertThat(nan.get("state").asString()).isEqualTo("FAILED");
    Http.Res nanAgain = post(s + c + "/complete", Map.of("values", Map.of("loss", "NaN")));
    assertThat(nanAgain.status()).isEqualTo(200);
    assertThat(nanAgain.json()).isEqualTo(nan);

    long d = ts.get(3).get("number").asLong();
    JsonNode failed = post(s + d + "/fail", Map.of("reason", "OOM")).json();
    assertThat(post(s + d + "/fail", Map.of("reason", "OOM")).json()).isEqualTo(failed);
    assertThat(post(s + d + "/fail", Map.of("reason", "other")).status()).isEqualTo(409);
    assertThat(post(s + d + "/complete", Map.of("values", Map.of("loss", 1))).status()).isEqualTo(409);
  }

  /**
   * The same rules when the failures arrive as tells (`/complete` with a NaN objective), which run on the plain JDBC
   * path rather than the entity path `/fail` takes; and maxTrials reached with nothing completed ends the study FAILED
   * with how its trials ended.
   */
  @Test
  void theTellPathEndsTheStudyByMaxFailedTrialsAndByMaxTrialsWithNoneCompleted() {
    long id = create(study("max-failed-tell", Map.of("maxTrials", 10, "maxFailedTrials", 2)));
    JsonNode ts = suggest(id, 3, "w");
    String s = "/api/v1/studies/" + id + "/trials/";
    Map<String, Object> nan = Map.of("values", Map.of("loss", "NaN"));
    assertThat(post(s + ts.get(0).get("number").asLong() + "/complete", nan).json().get("state").asString())
        .isEqualTo("FAILED");
    assertThat(studyJson(id).get("state").asString()).isEqualTo("ACTIVE");
    long second = ts.get(1).get("number").asLong();
    assertThat(post(s + second + "/complete", nan).status()).isEqualTo(200);
    JsonNode failed = studyJson(id);
    assertThat(failed.get("state").asString()).isEqualTo("FAILED");
    assertThat(failed.get("stateReason").asString())
        .contains("2 trials failed").contains("limits.maxFailedTrials = 2").contains("trial " + second)
        .contains("NaN");
    assertThat(http.post("/api/v1/studies/" + id + "/suggestions", Map.of("count", 1)).status()).isEqualTo(409);

    long none = create(study("none-completed-tell", Map.of("maxTrials", 2)));
    JsonNode two = suggest(none, 2, "w");
    String n = "/api/v1/studies/" + none + "/trials/";
    assertThat(post(n + two.get(0).get("number").asLong() + "/complete", nan).status()).isEqualTo(200);
    assertThat(studyJson(none).get("state").asString()).isEqualTo("ACTIVE");
    assertThat(post(n + two.get(1).get("number").asLong() + "/complete",
        Map.of("infeasible", "outside the solver's range")).status()).isEqualTo(200);
    JsonNode ended = studyJson(none);
    assertThat(ended.get("state").asString()).isEqualTo("FAILED");
    assertThat(ended.get("stateReason").asString()).contains("no trial completed").contains("all 2 trials")
        .contains("1 FAILED").contains("1 INFEASIBLE");
  }

  @Test
  void maxFailedTrialsEndsTheStudyFailedWithTheReason() {
    long id = create(study("max-failed", Map.of("maxTrials", 10, "maxFailedTrials", 2)));
    assertThat(studyJson(id).get("limits").get("maxFailedTrials").asInt()).isEqualTo(2);
    JsonNode ts = suggest(id, 3, "w");
    String s = "/api/v1/studies/" + id + "/trials/";
    assertThat(post(s + ts.get(0).get("number").asLong() + "/fail", Map.of("reason", "CUDA OOM")).status())
        .isEqualTo(200);
    JsonNode one = studyJson(id);
    assertThat(one.get("state").asString()).isEqualTo("ACTIVE");
    assertThat(one.get("stateReason").isNull()).isTrue();
    long second = ts.get(1).get("number").asLong();
    assertThat(post(s + second + "/fail", Map.of("reason", "CUDA OOM again")).status()).isEqualTo(200);
    JsonNode failed = studyJson(id);
    assertThat(failed.get("state").asString()).isEqualTo("FAILED");
    assertThat(failed.get("stateReason").asString())
        .contains("2 trials failed").contains("limits.maxFailedTrials = 2").contains("trial " + second)
        .contains("CUDA OOM again");

    // a FAILED study issues nothing and cannot be resumed; its running trial may still report
    Http.Res ask = http.post("/api/v1/studies/" + id + "/suggestions", Map.of("count", 1));
    assertThat(ask.status()).isEqualTo(409);
    assertThat(http.post("/api/v1/studies/" + id + "/resume", "").status()).isEqualTo(409);
    assertThat(http.post("/api/v1/studies/" + id + "/pause", "").status()).isEqualTo(409);
    assertThat(http.post("/api/v1/studies/" + id + "/trials",
        Map.of("params", Map.of("lr", 0.01, "layers", 2, "opt", "adam"))).status()).isEqualTo(409);
    assertThat(complete(id, ts.get(2).get("number").asLong(), 0.5).status()).isEqualTo(200);
    JsonNode after = studyJson(id);
    assertThat(after.get("state").asString()).isEqualTo("FAILED");
    assertThat(after.get("stateReason")).isEqualTo(failed.get("stateReason"));
    assertThat(after.get("trialsIssued").asLong()).isEqualTo(3);
  }

  @Test
  void aStudyWithAResultCompletesAndOneWithoutFails() {
    long ok = create(study("some-result", Map.of("maxTrials", 2, "maxAttempts", 1)));
    JsonNode ts = suggest(ok, 2, "w");
    post("/api/v1/studies/" + ok + "/trials/" + ts.get(0).get("number").asLong() + "/fail", Map.of("reason", "x"));
    complete(ok, ts.get(1).get("number").asLong(), 0.5);
    JsonNode completed = studyJson(ok);
    assertThat(completed.get("state").asString()).isEqualTo("COMPLETED");
    assertThat(completed.get("stateReason").isNull()).isTrue();

    long none = create(study("no-result", Map.of("maxTrials", 3, "maxAttempts", 1)));
    ts = suggest(none, 3, "w");
    String s = "/api/v1/studies/" + none + "/trials/";
    post(s + ts.get(0).get("number").asLong() + "/fail", Map.of("reason", "x"));
    post(s + ts.get(1).get("number").asLong() + "/complete", Map.of("infeasible", "diverged"));
    assertThat(studyJson(none).get("state").asString()).isEqualTo("ACTIVE");
    post(s + ts.get(2).get("number").asLong() + "/complete", Map.of("values", Map.of("loss", "NaN")));
    JsonNode failed = studyJson(none);
    assertThat(failed.get("state").asString()).isEqualTo("FAILED");
    assertThat(failed.get("stateReason").asString())
        .isEqualTo("no trial completed: all 3 trials ended without a result (2 FAILED, 1 INFEASIBLE)");
    // the reason travels with an export and back
    String export = http.get("/api/v1/studies/" + none + "/export?format=json").text();
    Http.Res copy = http.post("/api/v1/studies/import?name=" + unique("copy"), export, "application/json");
    assertThat(copy.status()).as(copy.text()).isEqualTo(201);
    assertThat(copy.json().get("state").asString()).isEqualTo("FAILED");
    assertThat(copy.json().get("stateReason")).isEqualTo(failed.get("stateReason"));
  }

  @Test
  void executorRunStudiesEndFailedTooWhenEveryTrialFails() throws Exception {
    Map<String, Object> body = new LinkedHashMap<>(demoStudy(unique("all-fail")));
    body.put("evaluator", Map.of("name", "noop", "config", Map.of("failRate", 1.0)));
    body.put("limits", Map.of("maxTrials", 4, "maxAttempts", 1));
    long none = create(body);
    JsonNode s = awaitStudy(none, j -> !j.get("state").asString().equals("ACTIVE"));
    assertThat(s.get("state").asString()).isEqualTo("FAILED");
    assertThat(s.get("stateReason").asString()).contains("no trial completed").contains("4 FAILED");

    body.put("name", unique("fail-limit"));
    body.put("limits", Map.of("maxTrials", 1000, "maxAttempts", 1, "maxFailedTrials", 3));
    long limited = create(body);
    s = awaitStudy(limited, j -> !j.get("state").asString().equals("ACTIVE"));
    assertThat(s.get("state").asString()).isEqualTo("FAILED");
    assertThat(s.get("stateReason").asString()).contains("3 trials failed").contains("simulated failure");
    assertThat(s.get("trialsIssued").asLong()).isLessThan(1000);
  }
}
