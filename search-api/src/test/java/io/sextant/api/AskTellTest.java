package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AskTellTest extends ApiTestBase {

  @Test
  void suggestIsIdempotentPerWorker() {
    long id = create(demoStudy(unique("idem")));
    JsonNode first = suggest(id, 1, "w1");
    JsonNode again = suggest(id, 1, "w1");
    assertThat(again.get(0).get("number").asLong()).isEqualTo(first.get(0).get("number").asLong());
    assertThat(again.get(0).get("params")).isEqualTo(first.get(0).get("params"));
    JsonNode other = suggest(id, 1, "w2");
    assertThat(other.get(0).get("number").asLong()).isNotEqualTo(first.get(0).get("number").asLong());
    // asking for more returns the held trial plus new ones
    JsonNode more = suggest(id, 3, "w1");
    assertThat(more).hasSize(3);
    assertThat(more.get(0).get("number").asLong()).isEqualTo(first.get(0).get("number").asLong());
    // once told, the worker gets a new trial
    assertThat(complete(id, first.get(0).get("number").asLong(), 1.0).status()).isEqualTo(200);
    assertThat(suggest(id, 1, "w1").get(0).get("number").asLong()).isNotEqualTo(first.get(0).get("number").asLong());
  }

  @Test
  void enqueuedTrialsAreHandedOutFirst() {
    long id = create(demoStudy(unique("enqueue")));
    Http.Res r = http.post("/api/v1/studies/" + id + "/trials",
        Map.of("params", Map.of("lr", 0.01, "layers", 2, "opt", "sgd", "momentum", 0.9)));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    assertThat(r.json().get("state").asString()).isEqualTo("WAITING");
    JsonNode t = suggest(id, 1, "w").get(0);
    assertThat(t.get("number").asLong()).isEqualTo(r.json().get("number").asLong());
    assertThat(t.get("params").get("momentum").asDouble()).isEqualTo(0.9);
  }

  @Test
  void completeInfeasibleFailAndNonFiniteValues() {
    long id = create(demoStudy(unique("tell")));
    JsonNode ts = suggest(id, 4, null);
    long a = ts.get(0).get("number").asLong();
    long b = ts.get(1).get("number").asLong();
    long c = ts.get(2).get("number").asLong();
    long d = ts.get(3).get("number").asLong();

    JsonNode done = complete(id, a, 0.25).json();
    assertThat(done.get("state").asString()).isEqualTo("COMPLETED");
    assertThat(done.get("values").get("loss").asDouble()).isEqualTo(0.25);
    assertThat(done.get("finishedAt").isNull()).isFalse();

    JsonNode inf = http.post("/api/v1/studies/" + id + "/trials/" + b + "/complete",
        Map.of("infeasible", "diverged")).json();
    assertThat(inf.get("state").asString()).isEqualTo("INFEASIBLE");
    assertThat(inf.get("infeasibleReason").asString()).isEqualTo("diverged");

    JsonNode nan = http.post("/api/v1/studies/" + id + "/trials/" + c + "/complete",
        Map.of("values", Map.of("loss", "NaN"))).json();
    assertThat(nan.get("state").asString()).isEqualTo("FAILED");
    assertThat(nan.get("failureReason").asString()).contains("NaN");
    assertThat(nan.get("values")).isNull();

    JsonNode infinite = http.post("/api/v1/studies/" + id + "/trials/" + d + "/complete",
        Map.of("values", Map.of("loss", "Infinity"))).json();
    assertThat(infinite.get("state").asString()).isEqualTo("COMPLETED");
    assertThat(infinite.get("values").get("loss").asString()).isEqualTo("Infinity");
    assertThat(http.get("/api/v1/studies/" + id + "/trials/" + d).json().get("values").get("loss").asString())
        .isEqualTo("Infinity");

    long e = suggest(id, 1, null).get(0).get("number").asLong();
    JsonNode failed = http.post("/api/v1/studies/" + id + "/trials/" + e + "/fail", Map.of("reason", "OOM")).json();
    assertThat(failed.get("state").asString()).isEqualTo("FAILED");
    assertThat(failed.get("failureReason").asString()).isEqualTo("OOM");

    assertThat(http.get("/api/v1/studies/" + id + "/best").json().get("number").asLong()).isEqualTo(a);
    assertThat(http.get("/api/v1/studies/" + id + "/trials?state=FAILED").json().get("trials")).hasSize(2);
  }

  @Test
  void measurementsAreStoredAndAnswered() {
    long id = create(demoStudy(unique("measure")));
    long n = suggest(id, 1, null).get(0).get("number").asLong();
    for (int step = 0; step < 3; step++) {
      Http.Res r = http.post("/api/v1/studies/" + id + "/trials/" + n + "/measurements",
          Map.of("step", step * 10, "values", Map.of("loss", 1.0 / (step + 1))));
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      assertThat(r.json().get("stop").isBoolean()).isTrue();
    }
    JsonNode t = http.get("/api/v1/studies/" + id + "/trials/" + n).json();
    assertThat(t.get("measurements")).hasSize(3);
    assertThat(t.get("measurements").get(2).get("step").asLong()).isEqualTo(20);
    assertThat(t.get("measurements").get(2).get("values").get("loss").asDouble()).isEqualTo(1.0 / 3);
  }

  @Test
  void maxTrialsCompletesTheStudyAndMaxParallelCapsRunningTrials() {
    Map<String, Object> body = demoStudy(unique("limits"));
    body.put("limits", Map.of("maxTrials", 5, "maxParallel", 2));
    long id = create(body);
    assertThat(suggest(id, 5, null)).hasSize(2);
    assertThat(suggest(id, 1, null)).isEmpty();
    // drain: complete what runs, ask again, until the study has issued and finished its 5 trials
    for (int round = 0; round < 20; round++) {
      JsonNode running = http.get("/api/v1/studies/" + id + "/trials?state=RUNNING").json().get("trials");
      assertThat(running.size()).isLessThanOrEqualTo(2);
      for (JsonNode t : running) {
        complete(id, t.get("number").asLong(), 1.0);
      }
      if (http.get("/api/v1/studies/" + id).json().get("state").asString().equals("COMPLETED")) {
        break;
      }
      suggest(id, 2, null);
    }
    JsonNode s = http.get("/api/v1/studies/" + id).json();
    assertThat(s.get("trialsIssued").asLong()).isEqualTo(5);
    assertThat(s.get("trialCounts").get("COMPLETED").asLong()).isEqualTo(5);
    assertThat(s.get("state").asString()).isEqualTo("COMPLETED");
    assertThat(http.post("/api/v1/studies/" + id + "/suggestions", Map.of("count", 1)).status()).isEqualTo(409);
  }

  @Test
  void paretoSetForMixedDirections() {
    Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of(
        "name", unique("pareto"),
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "cost", "direction", "MINIMIZE"),
            Map.of("metric", "acc", "direction", "MAXIMIZE"))));
    long id = create(body);
    double[][] values = {{1, 0.5}, {2, 0.9}, {3, 0.8}, {0.5, 0.1}, {2, 0.5}};
    JsonNode ts = suggest(id, values.length, null);
    for (int i = 0; i < values.length; i++) {
      Http.Res r = http.post("/api/v1/studies/" + id + "/trials/" + ts.get(i).get("number").asLong() + "/complete",
          Map.of("values", Map.of("cost", values[i][0], "acc", values[i][1])));
      assertThat(r.status()).as(r.text()).isEqualTo(200);
    }
    List<Long> front = new ArrayList<>();
    http.get("/api/v1/studies/" + id + "/pareto").json().get("trials")
        .forEach(t -> front.add(t.get("number").asLong()));
    // (3, 0.8) is dominated by (2, 0.9); (2, 0.5) by (1, 0.5)
    assertThat(front).containsExactlyInAnyOrder(ts.get(0).get("number").asLong(), ts.get(1).get("number").asLong(),
        ts.get(3).get("number").asLong());
    assertThat(http.get("/api/v1/studies/" + id + "/best").status()).isEqualTo(400);
  }

  @Test
  void exportCsvAndJsonAndTrialPagination() {
    long id = create(demoStudy(unique("export")));
    JsonNode ts = suggest(id, 25, null);
    for (JsonNode t : ts) {
      complete(id, t.get("number").asLong(), t.get("number").asDouble());
    }
    Http.Res csv = http.get("/api/v1/studies/" + id + "/export?format=csv");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.contentType()).startsWith("text/csv");
    String[] lines = csv.text().split("\n");
    assertThat(lines).hasSize(26);
    assertThat(lines[0]).startsWith("number,state,params.lr,params.layers,params.opt,params.momentum,values.loss");
    assertThat(lines[1]).startsWith("1,COMPLETED,");
    JsonNode json = http.get("/api/v1/studies/" + id + "/export?format=json").json();
    assertThat(json.get("trials")).hasSize(25);

    List<Long> seen = new ArrayList<>();
    String after = "0";
    while (after != null) {
      JsonNode page = http.get("/api/v1/studies/" + id + "/trials?limit=10&after=" + after).json();
      page.get("trials").forEach(t -> seen.add(t.get("number").asLong()));
      after = page.get("next").isNull() ? null : page.get("next").asString();
    }
    assertThat(seen).hasSize(25).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void compactRowsCarryWhatTheFullListingSaysAndPage() {
    long id = create(demoStudy(unique("rows")));
    JsonNode ts = suggest(id, 5, "w");
    assertThat(complete(id, ts.get(0).get("number").asLong(), 0.5).status()).isEqualTo(200);
    assertThat(http.post("/api/v1/studies/" + id + "/trials/" + ts.get(1).get("number").asLong() + "/complete",
        Map.of("values", Map.of("loss", "-Infinity"))).status()).isEqualTo(200);
    assertThat(http.post("/api/v1/studies/" + id + "/trials/" + ts.get(2).get("number").asLong() + "/fail",
        Map.of("reason", "x")).status()).isEqualTo(200);
    JsonNode full = http.get("/api/v1/studies/" + id + "/trials?measurements=false").json().get("trials");
    JsonNode compact = http.get("/api/v1/studies/" + id + "/trials/compact").json();
    assertThat(compact.get("metrics").get(0).asString()).isEqualTo("loss");
    assertThat(compact.get("next").isNull()).isTrue();
    assertThat(compact.get("trials")).hasSize(full.size());
    for (int i = 0; i < full.size(); i++) {
      JsonNode f = full.get(i);
      JsonNode r = compact.get("trials").get(i);
      assertThat(r.get(0).asLong()).isEqualTo(f.get("number").asLong());
      assertThat(r.get(1).asString()).isEqualTo(f.get("state").asString());
      assertThat(r.get(2)).isEqualTo(f.get("params"));
      if (f.has("values")) {
        assertThat(r.get(3).get(0)).isEqualTo(f.get("values").get("loss"));
      } else {
        assertThat(r.get(3).isNull()).isTrue();
      }
      assertThat(r.get(4).asInt()).isEqualTo(f.get("attempt").asInt());
      assertThat(java.time.OffsetDateTime.parse(r.get(5).asString()).toInstant())
          .isEqualTo(java.time.OffsetDateTime.parse(f.get("startedAt").asString()).toInstant());
    }
    // paging: the cursor is the last number of a full page
    JsonNode page = http.get("/api/v1/studies/" + id + "/trials/compact?limit=2").json();
    assertThat(page.get("trials")).hasSize(2);
    assertThat(page.get("next").asLong()).isEqualTo(2);
    JsonNode rest = http.get("/api/v1/studies/" + id + "/trials/compact?after=2").json();
    assertThat(rest.get("trials")).hasSize(3);
    assertThat(http.get("/api/v1/studies/" + id + "/trials/compact?limit=0").status()).isEqualTo(400);
    assertThat(http.get("/api/v1/studies/" + id + "/trials/compact?after=-1").field()).isEqualTo("after");
    assertThat(http.get("/api/v1/studies/999999/trials/compact").status()).isEqualTo(404);
  }
}
