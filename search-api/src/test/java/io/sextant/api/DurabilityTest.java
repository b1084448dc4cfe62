package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * kill -9 of search-api in the middle of a busy study (ask/tell clients and the in-process executor at work), then a
 * restart on the same data directory: no acknowledged result is lost or changed, numbers stay gapless, the
 * executor's interrupted trials are re-run after their lease and the study finishes, each trial exactly once.
 */
class DurabilityTest {
  @TempDir
  Path dir;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** search-api as a separate JVM on the test class path (what `./sextant run` starts, minus the build). */
  private Process start(int port) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), SextantApplication.class.getName(),
        "--server.port=" + port, "--sextant.data-dir=" + dir.resolve("pg"),
        "--sextant.admin-token=" + Http.ADMIN_TOKEN, "--sextant.dispatch.lease-seconds=3",
        "--sextant.executor.in-process.slots=2", "--logging.level.root=warn");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("server-" + port + ".log").toFile()).start();
    Http h = new Http(port);
    long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < end) {
      try {
        if (h.get("/actuator/health").status() == 200) {
          return p;
        }
      } catch (RuntimeException e) {
        // not up yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("search-api did not start: " + Files.readString(dir.resolve("server-" + port + ".log")));
  }

  @Test
  void killMinus9MidStudyLosesNothing() throws Exception {
    int port = freePort();
    Process a = start(port);
    Http h = new Http(port);
    long evaluated = h.post("/api/v1/studies", Map.of("name", "executor-run",
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "y")),
        "evaluator", Map.of("name", "noop", "config", Map.of("sleepMs", 300)),
        "limits", Map.of("maxTrials", 30, "maxParallel", 2, "maxAttempts", 5))).json().get("id").asLong();
    long told = h.post("/api/v1/studies", Map.of("name", "client-run",
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "y")))).json().get("id").asLong();

    // clients ask and tell until the server dies; every acknowledged tell is recorded
    Map<Long, Double> acknowledged = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      String worker = "w" + c;
      clients.add(Thread.ofPlatform().start(() -> {
        Http client = new Http(port);
        while (!stop.get()) {
          try {
            JsonNode t = client.post("/api/v1/studies/" + told + "/suggestions",
                Map.of("count", 1, "workerId", worker)).json().get("trials").get(0);
            long n = t.get("number").asLong();
            double v = n * 0.5;
            if (client.post("/api/v1/studies/" + told + "/trials/" + n + "/complete",
                Map.of("values", Map.of("y", v))).status() == 200) {
              acknowledged.put(n, v);
            }
          } catch (RuntimeException e) {
            return; // the server is gone
          }
        }
      }));
    }
    Thread.sleep(4000);
    a.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, its PostgreSQL is left running
    stop.set(true);
    for (Thread t : clients) {
      t.join(10_000);
    }
    assertThat(acknowledged).isNotEmpty();

    Process b = start(port);
    try {
      h = new Http(port);
      for (var e : acknowledged.entrySet()) {
        JsonNode t = h.get("/api/v1/studies/" + told + "/trials/" + e.getKey()).json();
        assertThat(t.get("state").asString()).isEqualTo("COMPLETED");
        assertThat(t.get("values").get("y").asDouble()).isEqualTo(e.getValue());
      }
      // numbering continues without gaps or reuse
      long issued = h.get("/api/v1/studies/" + told).json().get("trialsIssued").asLong();
      long next = h.post("/api/v1/studies/" + told + "/suggestions", Map.of("count", 1)).json()
          .get("trials").get(0).get("number").asLong();
      assertThat(next).isEqualTo(issued + 1);

      // the executor study finishes after the interrupted leases expire; every trial ended exactly once
      JsonNode s = null;
      long end = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      while (System.nanoTime() < end) {
        s = h.get("/api/v1/studies/" + evaluated).json();
        if (s.get("state").asString().equals("COMPLETED")) {
          break;
        }
        Thread.sleep(500);
      }
      assertThat(s.get("state").asString()).isEqualTo("COMPLETED");
      assertThat(s.get("trialsIssued").asLong()).isEqualTo(30);
      assertThat(s.get("trialCounts").get("COMPLETED").asLong()).isEqualTo(30);
      JsonNode page = h.get("/api/v1/studies/" + evaluated + "/trials?limit=100").json().get("trials");
      for (int i = 0; i < page.size(); i++) {
        assertThat(page.get(i).get("number").asLong()).isEqualTo(i + 1);
      }
    } finally {
      b.destroy(); // SIGTERM: a clean stop, which also stops its PostgreSQL
      b.waitFor();
    }
    assertThat(Files.exists(dir.resolve("pg").resolve("postmaster.pid"))).as("PostgreSQL stopped with the service")
        .isFalse();
    assertThat(new File(dir.toFile(), "pg").isDirectory()).isTrue();
  }
}
