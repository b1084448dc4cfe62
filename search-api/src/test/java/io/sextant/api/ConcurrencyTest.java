package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * 16 concurrent clients asking and telling against one study never share a trial; numbers stay gapless. Concurrent
 * asks and tells of one study are served in batches (one transaction each): a request refused inside a batch gets
 * its own answer and changes nothing, and the others of its batch are served as if it had not been there.
 */
class ConcurrencyTest extends ApiTestBase {

  @Test
  void sixteenClientsNeverShareATrialAndNumbersAreGapless() throws Exception {
    long id = create(demoStudy(unique("race")).entrySet().stream()
        .filter(e -> !e.getKey().equals("limits"))
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    int clients = 16;
    int perClient = 25;
    List<Long> issued = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        String worker = "client-" + c;
        fs.add(pool.submit(() -> {
          Http h = new Http(port);
          for (int i = 0; i < perClient; i++) {
            // alternate single asks with a worker id and batch asks without one
            Map<String, Object> body = i % 2 == 0 ? Map.of("count", 1, "workerId", worker) : Map.of("count", 2);
            Http.Res r = h.post("/api/v1/studies/" + id + "/suggestions", body);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            for (JsonNode t : r.json().get("trials")) {
              long n = t.get("number").asLong();
              issued.add(n);
              Http.Res done = h.post("/api/v1/studies/" + id + "/trials/" + n + "/complete",
                  Map.of("values", Map.of("loss", n)));
              assertThat(done.status()).as(done.text()).isEqualTo(200);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    int expected = clients * (perClient / 2 + 1) + clients * (perClient / 2) * 2;
    assertThat(issued).hasSize(expected).doesNotHaveDuplicates();
    List<Long> sorted = new ArrayList<>(issued);
    Collections.sort(sorted);
    for (int i = 0; i < sorted.size(); i++) {
      assertThat(sorted.get(i)).isEqualTo(i + 1L);
    }
    JsonNode s = http.get("/api/v1/studies/" + id).json();
    assertThat(s.get("trialsIssued").asLong()).isEqualTo(expected);
    assertThat(s.get("trialCounts").get("COMPLETED").asLong()).isEqualTo(expected);
    // 16 clients on one study: asks and tells were served in batches of more than one
    String prometheus = http.get("/actuator/prometheus").text();
    for (String kind : List.of("ask", "tell")) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("sextant_batch_size_max\\{kind=\"" + kind
          + "\"[^}]*\\} (\\S+)").matcher(prometheus);
      assertThat(m.find()).as(kind + " batch sizes in %s", prometheus.lines()
          .filter(l -> l.contains("batch")).toList()).isTrue();
      assertThat(Double.parseDouble(m.group(1))).as(kind + " batches").isGreaterThan(1);
    }
  }

  @Test
  void refusedRequestsAmongConcurrentOnesGetTheirOwnAnswerAndTheOthersAreServed() throws Exception {
    long id = create(demoStudy(unique("mixed")).entrySet().stream()
        .filter(e -> !e.getKey().equals("limits"))
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    // a MEMBER token of the admin who created the study as ADMIN may not change it (403)
    Http member = new Http(port, http.post("/api/v1/tokens", Map.of("name", unique("m"), "role", "MEMBER")).json()
        .get("token").asString());
    int clients = 12;
    int rounds = 20;
    List<Long> issued = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        fs.add(pool.submit(() -> {
          Http h = client % 3 == 0 ? member : new Http(port);
          for (int i = 0; i < rounds; i++) {
            Http.Res r = h.post("/api/v1/studies/" + id + "/suggestions", Map.of("count", 1));
            if (client % 3 == 0) {
              assertThat(r.status()).as(r.text()).isEqualTo(403);
              assertThat(r.text()).contains("MEMBER token may not change it");
              // tells refused before they write: a trial that does not exist (404), a bad value (400)
              Http.Res missing = new Http(port).post("/api/v1/studies/" + id + "/trials/999999/complete",
                  Map.of("values", Map.of("loss", 1)));
              assertThat(missing.status()).as(missing.text()).isEqualTo(404);
              Http.Res bad = new Http(port).post("/api/v1/studies/" + id + "/trials/1/complete",
                  Map.of("values", Map.of("nope", 1)));
              assertThat(bad.status()).as(bad.text()).isEqualTo(400);
              continue;
            }
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            long n = r.json().get("trials").get(0).get("number").asLong();
            issued.add(n);
            Http.Res done = h.post("/api/v1/studies/" + id + "/trials/" + n + "/complete",
                Map.of("values", Map.of("loss", n)));
            assertThat(done.status()).as(done.text()).isEqualTo(200);
            assertThat(done.json().get("state").asString()).isEqualTo("COMPLETED");
            // telling it again the same is answered unchanged; telling it something else is a 409
            Http.Res again = h.post("/api/v1/studies/" + id + "/trials/" + n + "/complete",
                Map.of("values", Map.of("loss", n)));
            assertThat(again.status()).as(again.text()).isEqualTo(200);
            Http.Res other = h.post("/api/v1/studies/" + id + "/trials/" + n + "/complete",
                Map.of("values", Map.of("loss", n + 0.5)));
            assertThat(other.status()).as(other.text()).isEqualTo(409);
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    int expected = (clients - clients / 3) * rounds;
    List<Long> sorted = new ArrayList<>(issued);
    Collections.sort(sorted);
    assertThat(sorted).hasSize(expected).doesNotHaveDuplicates();
    assertThat(sorted.getLast()).as("no number taken by a refused ask").isEqualTo((long) expected);
    JsonNode s = http.get("/api/v1/studies/" + id).json();
    assertThat(s.get("trialsIssued").asLong()).isEqualTo(expected);
    assertThat(s.get("trialCounts").get("COMPLETED").asLong()).isEqualTo(expected);
    for (long n : List.of(1L, (long) expected)) {
      assertThat(http.get("/api/v1/studies/" + id + "/trials/" + n).json().get("values").get("loss").asDouble())
          .isEqualTo((double) n);
    }
  }

  @Test
  void concurrentTellsEndAStudyWithMaxTrialsExactlyOnceAllIssuedTrialsAreDone() throws Exception {
    long id = create(demoStudy(unique("ends"))); // maxTrials 100
    int clients = 16;
    List<Long> told = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        fs.add(pool.submit(() -> {
          Http h = new Http(port);
          while (true) {
            Http.Res r = h.post("/api/v1/studies/" + id + "/suggestions", Map.of("count", 1));
            if (r.status() == 409 || (r.status() == 200 && r.json().get("trials").isEmpty())) {
              return null; // the study ended, or every trial is issued
            }
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            long n = r.json().get("trials").get(0).get("number").asLong();
            Http.Res done = h.post("/api/v1/studies/" + id + "/trials/" + n + "/complete",
                Map.of("values", Map.of("loss", n)));
            assertThat(done.status()).as(done.text()).isEqualTo(200);
            told.add(n);
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    assertThat(told).hasSize(100).doesNotHaveDuplicates();
    JsonNode s = http.get("/api/v1/studies/" + id).json();
    assertThat(s.get("state").asString()).isEqualTo("COMPLETED");
    assertThat(s.get("trialsIssued").asLong()).isEqualTo(100);
    assertThat(s.get("trialCounts").get("COMPLETED").asLong()).isEqualTo(100);
  }

  @Test
  void concurrentAsksClaimEveryEnqueuedTrialOnceBeforeNewOnes() throws Exception {
    long id = create(demoStudy(unique("enqueued")));
    for (int i = 0; i < 5; i++) {
      Http.Res e = http.post("/api/v1/studies/" + id + "/trials", Map.of("params",
          Map.of("lr", 0.001 * (i + 1), "layers", 2, "opt", "adam")));
      assertThat(e.status()).as(e.text()).isEqualTo(201);
    }
    int clients = 12;
    List<Long> got = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        fs.add(pool.submit(() -> {
          Http.Res r = new Http(port).post("/api/v1/studies/" + id + "/suggestions", Map.of("count", 1));
          assertThat(r.status()).as(r.text()).isEqualTo(200);
          got.add(r.json().get("trials").get(0).get("number").asLong());
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    // the five enqueued trials (numbers 1-5) went to five of the asks, the other seven got new trials 6-12
    assertThat(got).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
    JsonNode s = http.get("/api/v1/studies/" + id).json();
    assertThat(s.get("trialCounts").get("RUNNING").asLong()).isEqualTo(12);
    JsonNode counts = s.get("trialCounts");
    assertThat(counts.has("WAITING") ? counts.get("WAITING").asLong() : 0L).as(counts.toString()).isZero();
  }

  @org.springframework.beans.factory.annotation.Autowired
  javax.sql.DataSource dataSource;

  /**
   * Tells of one trial arriving together, combined into one batch: another transaction holds the row of a second
   * trial locked, a tell of that trial starts a batch that waits for the lock, and the tells of the first queue
   * behind it meanwhile, to be served as one batch once it is released. The trial is finished once, by the first
   * tell of that batch, with its measurements in the answer and its values exactly as told; every tell of the winning
   * values is answered with the trial unchanged and every tell of other values is a 409.
   */
  @Test
  void concurrentTellsOfOneTrialFinishItOnceWithItsMeasurementsAndExactValues() throws Exception {
    long id = create(demoStudy(unique("same-trial")));
    int clients = 8;
    for (int k = 0; k < 3; k++) {
      JsonNode two = http.post("/api/v1/studies/" + id + "/suggestions", Map.of("count", 2)).json().get("trials");
      long blocker = two.get(0).get("number").asLong();
      long n = two.get(1).get("number").asLong();
      Http.Res m = http.post("/api/v1/studies/" + id + "/trials/" + n + "/measurements",
          Map.of("step", 3, "values", Map.of("loss", 0.25)));
      assertThat(m.status()).as(m.text()).isEqualTo(200);
      double[] told = {Math.PI * 1e-7 * n, -Math.E * 1e12 / n}; // even clients tell the first, odd the second
      List<Map<String, Object>> bodies = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        bodies.add(Map.of("values", Map.of("loss", told[c % 2])));
      }
      List<Http.Res> rs = batchedBehind("select 1 from trial where study_id = " + id + " and number = " + blocker
          + " for update", "/api/v1/studies/" + id + "/trials/" + blocker + "/complete",
          Map.of("values", Map.of("loss", 1)), "/api/v1/studies/" + id + "/trials/" + n + "/complete", bodies);
      assertThat(rs.getFirst().status()).as(rs.getFirst().text()).isEqualTo(200);
      JsonNode trial = http.get("/api/v1/studies/" + id + "/trials/" + n).json();
      assertThat(trial.get("state").asString()).isEqualTo("COMPLETED");
      double won = trial.get("values").get("loss").asDouble();
      assertThat(won).isIn(told[0], told[1]);
      for (int c = 0; c < clients; c++) {
        Http.Res r = rs.get(c + 1);
        if (told[c % 2] == won) {
          assertThat(r.status()).as(r.text()).isEqualTo(200);
          assertThat(r.json().get("state").asString()).isEqualTo("COMPLETED");
          assertThat(r.json().get("values").get("loss").asDouble()).isEqualTo(won);
          assertThat(r.json().get("measurements")).as(r.text()).hasSize(1);
          assertThat(r.json().get("measurements").get(0).get("step").asLong()).isEqualTo(3);
        } else {
          assertThat(r.status()).as(r.text()).isEqualTo(409);
        }
      }
    }
    JsonNode s = http.get("/api/v1/studies/" + id).json();
    assertThat(s.get("trialCounts").get("COMPLETED").asLong()).isEqualTo(6);
  }

  /**
   * Asks combined into one batch (another transaction holds the study row, an ask's batch waits for it, the others
   * queue behind it): asks of one worker id get the one trial that worker holds, as they would one after another,
   * though the batch writes its new trials together; asks without a worker id get new trials each.
   */
  @Test
  void asksOfOneWorkerInOneBatchGetTheTrialItHolds() throws Exception {
    long id = create(demoStudy(unique("worker-batch")));
    List<Map<String, Object>> bodies = new ArrayList<>();
    for (int c = 0; c < 6; c++) {
      bodies.add(c % 2 == 0 ? Map.of("count", 1, "workerId", "w") : Map.of("count", 1));
    }
    String asks = "/api/v1/studies/" + id + "/suggestions";
    List<Http.Res> rs = batchedBehind("select 1 from study where id = " + id + " for update", asks,
        Map.of("count", 1), asks, bodies);
    assertThat(rs.getFirst().status()).isEqualTo(200);
    List<Long> held = new ArrayList<>();
    List<Long> numbers = new ArrayList<>(List.of(rs.getFirst().json().get("trials").get(0).get("number").asLong()));
    for (int c = 0; c < 6; c++) {
      Http.Res r = rs.get(c + 1);
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      long number = r.json().get("trials").get(0).get("number").asLong();
      if (c % 2 == 0) {
        held.add(number);
      } else {
        numbers.add(number);
      }
    }
    assertThat(held).as("one trial for worker w").containsOnly(held.getFirst());
    numbers.add(held.getFirst());
    assertThat(numbers).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
    JsonNode s = http.get("/api/v1/studies/" + id).json();
    assertThat(s.get("trialsIssued").asLong()).isEqualTo(5);
    assertThat(s.get("trialCounts").get("RUNNING").asLong()).isEqualTo(5);
  }

  /**
   * Asks combined into one batch on a study with maxParallel 3: the batch's new trials are written before an ask
   * counts the RUNNING trials, so three asks get a trial each and the other three get none, as one at a time.
   */
  @Test
  void asksInOneBatchRespectMaxParallel() throws Exception {
    Map<String, Object> body = demoStudy(unique("parallel-batch"));
    body.put("limits", Map.of("maxTrials", 100, "maxParallel", 3));
    long id = create(body);
    String asks = "/api/v1/studies/" + id + "/suggestions";
    List<Http.Res> rs = batchedBehind("select 1 from study where id = " + id + " for update", asks,
        Map.of("count", 1), asks, java.util.Collections.nCopies(6, Map.of("count", 1)));
    List<Long> got = new ArrayList<>();
    for (Http.Res r : rs) {
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      r.json().get("trials").forEach(t -> got.add(t.get("number").asLong()));
    }
    assertThat(got).containsExactlyInAnyOrder(1L, 2L, 3L);
    JsonNode s = http.get("/api/v1/studies/" + id).json();
    assertThat(s.get("trialsIssued").asLong()).isEqualTo(3);
    assertThat(s.get("trialCounts").get("RUNNING").asLong()).isEqualTo(3);
  }

  /**
   * Sends requests so that they are served as one batch: holds a row lock ({@code lockSql}) from a raw connection,
   * POSTs {@code firstBody} to {@code firstPath}, whose batch then waits for the lock, POSTs each of {@code bodies}
   * to {@code path} meanwhile (they queue behind that batch), and releases the lock. Answers the first request's
   * response, then the others' in the order of {@code bodies}.
   */
  private List<Http.Res> batchedBehind(String lockSql, String firstPath, Map<String, Object> firstBody, String path,
      List<? extends Map<String, Object>> bodies) throws Exception {
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    List<Future<Http.Res>> fs = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(bodies.size() + 1)) {
      for (Map<String, Object> b : bodies) {
        fs.add(pool.submit(() -> {
          Http h = new Http(port);
          go.await();
          return h.post(path, b);
        }));
      }
      try (java.sql.Connection con = dataSource.getConnection()) {
        con.setAutoCommit(false);
        try (var st = con.createStatement()) {
          st.execute(lockSql);
          fs.addFirst(pool.submit(() -> new Http(port).post(firstPath, firstBody)));
          waitForLockWaits(st, 1); // the first request's batch waits for the lock
          go.countDown();
          Thread.sleep(1000); // the others queue behind it meanwhile
        } finally {
          go.countDown();
          con.rollback();
        }
      }
      List<Http.Res> out = new ArrayList<>();
      for (Future<Http.Res> f : fs) {
        out.add(f.get());
      }
      return out;
    }
  }

  /**
   * Waits until at least {@code atLeast} sessions of this database wait for a lock. Polled inside the transaction
   * that holds the lock, so each poll clears the statistics snapshot first (PostgreSQL freezes the list of sessions
   * at a transaction's first read of it, and a request's connection may be new).
   */
  private static void waitForLockWaits(java.sql.Statement st, int atLeast) throws Exception {
    for (int i = 0; i < 300; i++) {
      st.execute("select pg_stat_clear_snapshot()");
      try (var r = st.executeQuery("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
          + " and datname = current_database()")) {
        r.next();
        if (r.getInt(1) >= atLeast) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no request waited for the row lock held by the test within 15 s");
  }
}
