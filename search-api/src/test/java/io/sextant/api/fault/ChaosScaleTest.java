package io.sextant.api.fault;

import static io.sextant.api.fault.FaultSupport.LEASE_SECONDS;
import static io.sextant.api.fault.FaultSupport.REAP_MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.api.Http;
import io.sextant.api.fault.FaultSupport.Executor;
import io.sextant.evaluators.builtin.Noop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Many trials while executor processes are killed with SIGKILL and replaced at random, then all of them at once.
 *
 * <p>Scale: {@value #TRIALS} trials, as the issue asks (noop, {@value #SLEEP_MS} ms each, on 3 executors x 4 slots).
 * The properties checked: every trial ends exactly once (the database's audit shows one
 * terminal transition per trial and no change after it), counts add up (completed + failed = trials, gapless
 * numbers 1..N), each result is the one its own parameters give (no result lost, swapped or double-counted), the
 * predicted noop failures (failRate) all fail, other trials fail only if kills took all their attempts, and after
 * every executor is killed no trial stays RUNNING longer than the lease plus the reaper period (plus slack for this
 * machine).
 */
class ChaosScaleTest extends ProcessTestBase {
  static final int TRIALS = 1000;
  static final int SLEEP_MS = 150;
  static final double FAIL_RATE = 0.05;
  static final int MAX_ATTEMPTS = 6;


  private Executor spawn(String name) throws Exception {
    Executor e = FaultSupport.startExecutor(dir, name, server.url(), 4, Map.of());
    executors.add(e);
    return e;
  }

  private static Map<String, Long> counts(List<JsonNode> trials) {
    Map<String, Long> out = new TreeMap<>();
    trials.forEach(t -> out.merge(t.get("state").asString(), 1L, Long::sum));
    return out;
  }

  @Test
  void everyTrialEndsExactlyOnceWhileExecutorsAreKilledAtRandom() throws Exception {
    long t0 = System.nanoTime();
    String jdbc = FaultSupport.newDatabase();
    server = FaultSupport.startServer(jdbc);
    FaultSupport.installAudit(jdbc);
    Http http = server.http();
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    int spawned = 0;
    List<Executor> live = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      live.add(spawn("chaos-" + spawned++));
    }
    for (Executor e : live) {
      FaultSupport.awaitRegistered(http, e, Duration.ofSeconds(90));
    }
    long study = FaultSupport.create(http, FaultSupport.study("chaos",
        Map.of("name", "noop", "config", Map.of("sleepMs", SLEEP_MS, "failRate", FAIL_RATE, "reportEveryMs", 0)),
        Map.of("maxTrials", TRIALS, "maxAttempts", MAX_ATTEMPTS)));

    // chaos: every 1-2.5 s a random executor is killed with SIGKILL and a new one started, until 70% have ended
    int kills = 0;
    long chaosEnd = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < chaosEnd) {
      Thread.sleep(1000 + rnd.nextInt(1500));
      Map<String, Long> c = counts(FaultSupport.trials(http, study));
      long ended = c.getOrDefault("COMPLETED", 0L) + c.getOrDefault("FAILED", 0L);
      if (ended >= TRIALS * 0.7) {
        break;
      }
      Executor victim = live.remove(rnd.nextInt(live.size()));
      victim.kill9();
      kills++;
      Thread.sleep(200);
      live.add(spawn("chaos-" + spawned++));
    }

    // all at once, while trials are running: none may stay RUNNING past the lease and the reaper
    FaultSupport.await("trials running", Duration.ofSeconds(60),
        () -> counts(FaultSupport.trials(http, study)).getOrDefault("RUNNING", 0L) > 0);
    long runningAtKill = counts(FaultSupport.trials(http, study)).getOrDefault("RUNNING", 0L);
    long killAll = System.nanoTime();
    for (Executor e : live) {
      e.kill9();
      kills++;
    }
    live.clear();
    double bound = LEASE_SECONDS + REAP_MS / 1000.0 + 2.0;
    FaultSupport.await("no trial RUNNING", Duration.ofMillis((long) (bound * 1000)),
        () -> counts(FaultSupport.trials(http, study)).getOrDefault("RUNNING", 0L) == 0);
    double cleared = (System.nanoTime() - killAll) / 1e9;
    assertThat(counts(FaultSupport.trials(http, study)).getOrDefault("WAITING", 0L)).isPositive();

    // fresh executors finish the study
    for (int i = 0; i < 3; i++) {
      live.add(spawn("chaos-" + spawned++));
    }
    try {
      FaultSupport.await("study completed", Duration.ofSeconds(150),
          () -> FaultSupport.studyState(http, study).equals("COMPLETED"));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + " " + counts(FaultSupport.trials(http, study))
          + FaultSupport.logs(live), e);
    }

    List<JsonNode> trials = FaultSupport.trials(http, study);
    FaultSupport.assertGapless(trials, TRIALS);
    Map<String, Long> c = counts(trials);
    int predictedFailures = 0;
    int exhaustedByKills = 0;
    int retried = 0;
    for (JsonNode t : trials) {
      long n = t.get("number").asLong();
      @SuppressWarnings("unchecked")
      Map<String, Object> params = Http.JSON.convertValue(t.get("params"), Map.class);
      String state = t.get("state").asString();
      if (t.get("attempt").asInt() > 1) {
        retried++;
      }
      if (Noop.fails(n, params, FAIL_RATE)) {
        predictedFailures++;
        assertThat(state).as("trial %d", n).isEqualTo("FAILED");
        // every attempt fails; the last one may also have been cut short by a kill
        assertThat(t.get("failureReason").asString()).as("trial %d", n)
            .containsAnyOf("simulated failure", "lease expired");
      } else if (state.equals("FAILED")) {
        // possible only if kills hit this trial on every attempt
        exhaustedByKills++;
        assertThat(t.get("attempt").asInt()).isEqualTo(MAX_ATTEMPTS);
        assertThat(t.get("failureReason").asString()).contains("lease expired");
      } else {
        assertThat(state).as("trial %d", n).isEqualTo("COMPLETED");
        assertThat(t.get("values").get("loss").asDouble()).as("trial %d", n).isEqualTo(Noop.value(params));
      }
    }
    assertThat(c.getOrDefault("COMPLETED", 0L) + c.getOrDefault("FAILED", 0L)).isEqualTo(TRIALS);
    assertThat(c.getOrDefault("FAILED", 0L)).isEqualTo(predictedFailures + exhaustedByKills);
    Map<Long, Integer> runs = FaultSupport.assertEachTrialEndedOnce(jdbc, study, TRIALS);
    int attempts = runs.values().stream().mapToInt(Integer::intValue).sum();
    assertThat(kills).isGreaterThanOrEqualTo(4);
    assertThat(retried).isPositive();

    System.out.printf("chaos (seed %d): %d trials, %s, %d kill -9, %d executor processes, %d attempts started, "
            + "%d trials retried, %d predicted failures, %d exhausted by kills; %d RUNNING at the final kill, all "
            + "re-queued after %.2f s; %.1f s in all%n", seed, TRIALS, c, kills, spawned, attempts, retried,
        predictedFailures, exhaustedByKills, runningAtKill, cleared, (System.nanoTime() - t0) / 1e9);
  }
}
