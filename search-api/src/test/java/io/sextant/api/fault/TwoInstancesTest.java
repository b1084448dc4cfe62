package io.sextant.api.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.api.Http;
import io.sextant.api.fault.FaultSupport.Change;
import io.sextant.api.fault.FaultSupport.Executor;
import io.sextant.api.fault.FaultSupport.Server;
import io.sextant.evaluators.builtin.Noop;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two search-api instances on one PostgreSQL (the tests' own server, reached through {@code spring.datasource.url}
 * as an external database is): an executor process on each instance and four ask/tell clients that alternate
 * between them, on an executor-run study and an ask/tell study at once. Half-way, instance A is stopped. Work goes
 * on through B: B's reaper re-queues the leases of A's executor (which can no longer report), B's executor runs
 * them, the clients fail over to B (asking again with the same workerId gets back a trial whose answer was lost).
 * Both studies complete with every trial ended exactly once (database audit) and numbers 1..N without gaps.
 */
class TwoInstancesTest {
  static final int EXECUTOR_TRIALS = 100;
  static final int ASK_TELL_TRIALS = 120;

  @TempDir
  Path dir;

  private final List<Server> servers = new ArrayList<>();
  private final List<Executor> executors = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (Executor e : executors) {
      e.close();
    }
    for (Server s : servers) {
      s.close();
    }
  }

  /** Ask/tell bookkeeping of the clients. */
  private final AtomicInteger servedByA = new AtomicInteger();
  private final AtomicInteger servedByB = new AtomicInteger();
  private final AtomicInteger failovers = new AtomicInteger();
  private final AtomicInteger toldTwice = new AtomicInteger();
  private final ConcurrentLinkedQueue<Throwable> clientErrors = new ConcurrentLinkedQueue<>();
  /**
   * Opened when instance A has stopped. The clients hold after half of the ask/tell study is told until then, so that
   * work goes on after the stop however fast asks and tells are (they once finished the whole study first).
   */
  private final java.util.concurrent.CountDownLatch aStopped = new java.util.concurrent.CountDownLatch(1);
  private final AtomicInteger told = new AtomicInteger();

  /** A request to the preferred instance, else the other one (connection refused or 5xx: not served). */
  private Http.Res send(int preferred, java.util.function.Function<Http, Http.Res> call) {
    RuntimeException last = null;
    for (int k = 0; k < 2; k++) {
      int i = (preferred + k) % 2;
      Server s = servers.get(i);
      try {
        Http.Res r = call.apply(s.http());
        if (r.status() < 500) {
          (i == 0 ? servedByA : servedByB).incrementAndGet();
          return r;
        }
        last = new IllegalStateException("HTTP " + r.status() + " " + r.text());
      } catch (UncheckedIOException | IllegalStateException e) {
        last = e;
      }
      failovers.incrementAndGet();
    }
    throw last;
  }

  private static double askTellLoss(JsonNode params) {
    return params.get("x").asDouble() * 10 + params.get("k").asDouble();
  }

  private void client(long study, String worker) {
    try {
      int turn = worker.hashCode() & 1;
      while (true) {
        Http.Res ask = send(turn++ % 2, h -> h.post("/api/v1/studies/" + study + "/suggestions",
            Map.of("count", 1, "workerId", worker)));
        if (ask.status() == 409) {
          return; // study completed
        }
        assertThat(ask.status()).as(ask.text()).isEqualTo(200);
        JsonNode got = ask.json().get("trials");
        if (got.isEmpty()) {
          if (studyDone(study)) {
            return;
          }
          Thread.sleep(50); // all issued, some still with other clients
          continue;
        }
        JsonNode t = got.get(0);
        long n = t.get("number").asLong();
        Thread.sleep(5);
        Map<String, Object> body = Map.of("values", Map.of("loss", askTellLoss(t.get("params"))));
        String path = "/api/v1/studies/" + study + "/trials/" + n + "/complete";
        int before = failovers.get();
        Http.Res tell = send(turn++ % 2, h -> h.post(path, body));
        if (tell.status() == 409 && failovers.get() > before) {
          toldTwice.incrementAndGet(); // the first tell got through but its answer was lost: refused, no change
        } else {
          assertThat(tell.status()).as(tell.text()).isEqualTo(200);
        }
        if (told.incrementAndGet() >= ASK_TELL_TRIALS / 2) {
          aStopped.await(150, java.util.concurrent.TimeUnit.SECONDS);
        }
      }
    } catch (Throwable e) {
      clientErrors.add(e);
    }
  }

  private boolean studyDone(long study) {
    return send(1, h -> h.get("/api/v1/studies/" + study)).json().get("state").asString().equals("COMPLETED");
  }

  @Test
  void twoInstancesServeExecutorsAndClientsAndWorkGoesOnWhenOneStops() throws Exception {
    long t0 = System.nanoTime();
    String jdbc = FaultSupport.newDatabase();
    servers.add(FaultSupport.startServer(jdbc));
    FaultSupport.installAudit(jdbc);
    servers.add(FaultSupport.startServer(jdbc));
    Server a = servers.get(0);
    Server b = servers.get(1);

    Executor ea = FaultSupport.startExecutor(dir, "on-a", a.url(), 3, Map.of());
    Executor eb = FaultSupport.startExecutor(dir, "on-b", b.url(), 3, Map.of());
    executors.addAll(List.of(ea, eb));
    String idA = FaultSupport.awaitRegistered(a.http(), ea, Duration.ofSeconds(90));
    String idB = FaultSupport.awaitRegistered(b.http(), eb, Duration.ofSeconds(90));
    // one database: each instance lists both executors
    assertThat(a.http().get("/api/v1/executors").json().get("executors")).hasSize(2);

    long run = FaultSupport.create(a.http(), FaultSupport.study("two-exec",
        Map.of("name", "noop", "config", Map.of("sleepMs", 200, "reportEveryMs", 0)),
        Map.of("maxTrials", EXECUTOR_TRIALS, "maxAttempts", 5)));
    long askTell = FaultSupport.create(b.http(), FaultSupport.study("two-asktell", null,
        Map.of("maxTrials", ASK_TELL_TRIALS)));

    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String worker = "client-" + i;
      clients.add(Thread.ofPlatform().name(worker).start(() -> client(askTell, worker)));
    }

    // both instances busy; then stop A
    FaultSupport.await("a third of the work done", Duration.ofSeconds(120), () ->
        FaultSupport.trials(b.http(), run).stream().filter(t -> t.get("state").asString().equals("COMPLETED"))
            .count() >= EXECUTOR_TRIALS / 3
        && FaultSupport.trials(b.http(), askTell).stream()
            .filter(t -> t.get("state").asString().equals("COMPLETED")).count() >= ASK_TELL_TRIALS / 3);
    int servedByABeforeStop = servedByA.get();
    OffsetDateTime stoppedAt = OffsetDateTime.now();
    a.close();
    assertThat(a.ctx().isActive()).isFalse();
    aStopped.countDown();

    // a client that met an unexpected answer stops asking: report its error rather than wait for the study
    FaultSupport.await("both studies completed", Duration.ofSeconds(150), () -> !clientErrors.isEmpty()
        || FaultSupport.studyState(b.http(), run).equals("COMPLETED")
        && FaultSupport.studyState(b.http(), askTell).equals("COMPLETED"));
    assertThat(clientErrors).as("client errors").isEmpty();
    for (Thread c : clients) {
      c.join(30_000);
      assertThat(c.isAlive()).isFalse();
    }
    assertThat(clientErrors).isEmpty();

    // executor-run study: gapless, each result its own, ended once; both executors ran trials, work went on
    List<JsonNode> runTrials = FaultSupport.trials(b.http(), run);
    FaultSupport.assertGapless(runTrials, EXECUTOR_TRIALS);
    int afterStop = 0;
    for (JsonNode t : runTrials) {
      assertThat(t.get("state").asString()).as(t.toString()).isEqualTo("COMPLETED");
      @SuppressWarnings("unchecked")
      Map<String, Object> params = Http.JSON.convertValue(t.get("params"), Map.class);
      assertThat(t.get("values").get("loss").asDouble()).isEqualTo(Noop.value(params));
      if (OffsetDateTime.parse(t.get("finishedAt").asString()).isAfter(stoppedAt)) {
        afterStop++;
      }
    }
    FaultSupport.assertEachTrialEndedOnce(jdbc, run, EXECUTOR_TRIALS);
    List<Change> changes = FaultSupport.audit(jdbc, run);
    Set<String> holders = new HashSet<>();
    changes.stream().filter(c -> c.executorId() != null).forEach(c -> holders.add(c.executorId()));
    assertThat(holders).containsExactlyInAnyOrder(idA, idB);
    assertThat(afterStop).as("executor trials finished after A stopped").isPositive();

    // ask/tell study: gapless, each value the client's, ended once; both instances answered, B alone at the end
    List<JsonNode> atTrials = FaultSupport.trials(b.http(), askTell);
    FaultSupport.assertGapless(atTrials, ASK_TELL_TRIALS);
    int atAfterStop = 0;
    for (JsonNode t : atTrials) {
      assertThat(t.get("state").asString()).isEqualTo("COMPLETED");
      assertThat(t.get("values").get("loss").asDouble()).isEqualTo(askTellLoss(t.get("params")));
      if (OffsetDateTime.parse(t.get("finishedAt").asString()).isAfter(stoppedAt)) {
        atAfterStop++;
      }
    }
    FaultSupport.assertEachTrialEndedOnce(jdbc, askTell, ASK_TELL_TRIALS);
    assertThat(servedByABeforeStop).isPositive();
    assertThat(servedByB.get()).isPositive();
    assertThat(atAfterStop).as("ask/tell trials finished after A stopped").isPositive();
    long requeued = changes.stream().filter(c -> "WAITING".equals(c.newState()) && "RUNNING".equals(c.oldState()))
        .count();
    System.out.printf("two instances: executor study %d trials (%d finished after A stopped, %d attempts re-queued),"
            + " ask/tell study %d trials (%d after the stop); requests served by A %d, by B %d, failovers %d, "
            + "tells refused after a lost answer %d; %.1f s in all%n", EXECUTOR_TRIALS, afterStop, requeued,
        ASK_TELL_TRIALS, atAfterStop, servedByA.get(), servedByB.get(), failovers.get(), toldTwice.get(),
        (System.nanoTime() - t0) / 1e9);
  }
}
