package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** POST /trials/{n}/prune: a client's own early stop (Optuna's TrialPruned) ends a RUNNING trial PRUNED. */
class TrialPruneTest extends ApiTestBase {

  private String prune(long id, long number) {
    return "/api/v1/studies/" + id + "/trials/" + number + "/prune";
  }

  @Test
  void aRunningTrialBecomesPrunedWithItsReason() {
    var body = demoStudy(unique("prune"));
    body.put("limits", Map.of("maxTrials", 2));
    long id = create(body);
    JsonNode ts = suggest(id, 2, null);
    long a = ts.get(0).get("number").asLong();
    long b = ts.get(1).get("number").asLong();

    Http.Res r = http.post(prune(id, a), Map.of("reason", "loss plateaued at step 3"));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().get("state").asString()).isEqualTo("PRUNED");
    assertThat(r.json().get("failureReason").asString()).isEqualTo("loss plateaued at step 3");
    assertThat(r.json().get("finishedAt").isNull()).isFalse();

    // no body: the default reason; the last pending trial finishing ends the study (FAILED: none completed)
    r = http.post(prune(id, b), "");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().get("failureReason").asString()).isEqualTo("pruned by the client");
    JsonNode study = http.get("/api/v1/studies/" + id).json();
    assertThat(study.get("trialCounts").get("PRUNED").asLong()).isEqualTo(2);
    assertThat(study.get("state").asString()).isEqualTo("FAILED");
    assertThat(study.get("stateReason").asString()).contains("no trial completed").contains("2 PRUNED");
  }

  @Test
  void badInputAndFinishedOrWaitingTrialsAreRefusedAndChangeNothing() {
    long id = create(demoStudy(unique("prune-bad")));
    long running = suggest(id, 1, null).get(0).get("number").asLong();

    Http.Res r = http.post(prune(id, running), Map.of("reason", ""));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("field").asString()).isEqualTo("reason");
    r = http.post(prune(id, running), Map.of("why", "x"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("field").asString()).isEqualTo("why");
    r = http.post(prune(id, 999), Map.of());
    assertThat(r.status()).isEqualTo(404);
    assertThat(http.get("/api/v1/studies/" + id + "/trials/" + running).json().get("state").asString())
        .isEqualTo("RUNNING");

    assertThat(complete(id, running, 0.5).status()).isEqualTo(200);
    r = http.post(prune(id, running), Map.of());
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().get("field").asString()).isEqualTo("state");
    assertThat(http.get("/api/v1/studies/" + id + "/trials/" + running).json().get("state").asString())
        .isEqualTo("COMPLETED");

    long waiting = http.post("/api/v1/studies/" + id + "/trials",
        Map.of("params", Map.of("lr", 0.01, "layers", 2, "opt", "adam"))).json().get("number").asLong();
    r = http.post(prune(id, waiting), Map.of());
    assertThat(r.status()).isEqualTo(409);
    assertThat(http.get("/api/v1/studies/" + id + "/trials/" + waiting).json().get("state").asString())
        .isEqualTo("WAITING");
  }
}
