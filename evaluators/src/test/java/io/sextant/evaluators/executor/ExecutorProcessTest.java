package io.sextant.evaluators.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.evaluators.executor.RecordingServer.Answer;
import io.sextant.evaluators.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor as a real process (ExecutorMain on this test's class path) against a recording HTTP server: GPU
 * detection through a fake nvidia-smi on the PATH, a command trial that gets exactly its GPUs, SIGTERM draining.
 * Waits are bounded generously (60 s); nothing passes or fails on speed.
 */
class ExecutorProcessTest {
  private static final long PATIENCE_MS = 60_000;

  @TempDir Path dir;
  private final RecordingServer server = new RecordingServer();
  private Process executor;

  @AfterEach
  void tearDown() throws Exception {
    if (executor != null && executor.isAlive()) {
      executor.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    server.close();
  }

  private static String lease(long trialId, List<String> command, int gpus) {
    return """
        {"trialId": %d, "attempt": 1, "studyId": 3, "trialNumber": %d, "params": {"lr": 0.1},
         "evaluator": "command", "evaluatorConfig": {"command": %s, "gpus": %d},
         "problem": {"space": {"parameters": [{"name": "lr", "type": "float", "low": 0.001, "high": 1}]},
                     "objectives": [{"metric": "loss", "direction": "MINIMIZE"}]},
         "gpus": [], "expiresAt": "2100-01-01T00:00:00Z"}""".formatted(trialId, trialId, Json.write(command), gpus);
  }

  private Process start(String... flags) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path smi = bin.resolve("nvidia-smi");
    Files.writeString(smi, "#!/bin/sh\necho '0, Fake GPU A, 1024'\necho '1, Fake GPU B, 2048'\necho '2, Fake GPU C, 4096'\n");
    Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
    String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
        "java").toString());
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        ExecutorMain.class.getName(), "--server", server.uri().toString(), "--token", "tkn",
        "--work-dir", dir.resolve("work").toString(), "--poll-seconds", "0.5", "--lease-seconds", "3",
        "--allow-commands")); // its trials run the command evaluator
    cmd.addAll(List.of(flags));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("executor.log").toFile());
    pb.environment().put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    executor = pb.start();
    return executor;
  }

  private void await(String what, BooleanSupplier condition) throws Exception {
    long end = System.currentTimeMillis() + PATIENCE_MS;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > end || executor != null && !executor.isAlive() && !condition.getAsBoolean()) {
        throw new AssertionError("gave up waiting until " + what + "; executor log:\n"
            + Files.readString(dir.resolve("executor.log")));
      }
      Thread.sleep(20);
    }
  }

  private List<RecordingServer.Request> requests(String pathSuffix) {
    return server.requests.stream().filter(r -> r.path().endsWith(pathSuffix)).toList();
  }

  @Test
  void detectsGpusRunsAGpuTrialOnItsDevicesAndDrainsOnSigterm() throws Exception {
    Path seen = dir.resolve("seen.txt");
    Path script = dir.resolve("trial.sh");
    Files.writeString(script, "echo \"$CUDA_VISIBLE_DEVICES\" > '" + seen + "'\n"
        + "echo '{\"step\": 1, \"values\": {\"loss\": 2}}'\n"
        + "echo \"{\\\"values\\\": {\\\"loss\\\": $SEXTANT_PARAM_LR}}\"\n");
    AtomicInteger leases = new AtomicInteger();
    server.answer = r -> {
      String p = r.path();
      if (p.equals("/api/v1/executors")) {
        return Answer.json(201, "{\"id\": \"ex-9\"}");
      } else if (p.endsWith("/leases")) {
        return leases.getAndIncrement() == 0
            ? Answer.json(200, "{\"leases\": [" + lease(11, List.of("/bin/sh", script.toString()), 2) + "]}")
            : new Answer(200, "application/json", "{\"leases\": []}", 200);
      } else if (p.endsWith("/measurements")) {
        return Answer.json(200, "{\"stop\": false}");
      } else if (p.endsWith("/heartbeat")) {
        return Answer.json(200, "{\"stop\": []}");
      } else if (r.method().equals("DELETE")) {
        return new Answer(204, "application/json", "", 0);
      }
      return Answer.json(200, "{}");
    };
    start("--slots", "2", "--labels", "zone=b");
    await("the trial completed", () -> !requests("/ex-9/outcomes").isEmpty());

    Map<String, Object> registration = new java.util.LinkedHashMap<>(
        Json.object(Json.parse(server.requests.getFirst().body()), ""));
    // the node declares the evaluators on its class path (the server leases it only trials of those)
    assertThat((List<Object>) registration.remove("evaluators")).contains("noop", "command", "branin", "sor");
    assertThat(registration).isEqualTo(Json.parse("""
        {"name": "%s", "slots": 2, "cpuCores": %d, "labels": {"zone": "b"},
         "gpus": [{"index": 0, "name": "Fake GPU A", "memoryMiB": 1024},
                  {"index": 1, "name": "Fake GPU B", "memoryMiB": 2048},
                  {"index": 2, "name": "Fake GPU C", "memoryMiB": 4096}]}"""
        .formatted(registration.get("name"), Runtime.getRuntime().availableProcessors())));
    assertThat(server.requests).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer tkn"));
    assertThat(Files.readString(seen).strip()).isEqualTo("0,1");
    assertThat(Json.parse(requests("/leases/11/1/measurements").getFirst().body()))
        .isEqualTo(Map.of("step", 1, "values", Map.of("loss", 2.0)));
    // outcomes travel in batches (one here): the lease and the final metrics
    // and ask for a lease for the slot it frees in the same round trip
    assertThat(Json.parse(requests("/ex-9/outcomes").getFirst().body())).isEqualTo(Map.of("outcomes",
        List.of(Map.of("trialId", 11, "attempt", 1, "values", Map.of("loss", 0.1))), "lease", Map.of("max", 1)));

    executor.destroy(); // SIGTERM
    assertThat(executor.waitFor(PATIENCE_MS, TimeUnit.MILLISECONDS)).isTrue();
    assertThat(server.requests.stream().filter(r -> r.method().equals("DELETE")).map(RecordingServer.Request::path))
        .containsExactly("/api/v1/executors/ex-9");
  }

  @Test
  void sigtermStopsALongTrialAfterTheGraceKillsItsProcessesAndHandsItBack() throws Exception {
    Path pid = dir.resolve("pid.txt");
    Path script = dir.resolve("long.sh");
    Files.writeString(script, "sleep 300 &\necho $! > '" + pid + "'\nsleep 300\n");
    AtomicInteger leases = new AtomicInteger();
    server.answer = r -> {
      String p = r.path();
      if (p.equals("/api/v1/executors")) {
        return Answer.json(201, "{\"id\": \"ex-5\"}");
      } else if (p.endsWith("/leases")) {
        return leases.getAndIncrement() == 0
            ? Answer.json(200, "{\"leases\": [" + lease(21, List.of("/bin/sh", script.toString()), 0) + "]}")
            : new Answer(200, "application/json", "{\"leases\": []}", 200);
      } else if (p.endsWith("/heartbeat")) {
        return Answer.json(200, "{\"stop\": []}");
      } else if (r.method().equals("DELETE")) {
        return new Answer(204, "application/json", "", 0);
      }
      return Answer.json(200, "{}");
    };
    start("--gpus", "none", "--drain-seconds", "1");
    await("the trial started", () -> Files.exists(pid) && !readOrEmpty(pid).isBlank());
    long grandchild = Long.parseLong(readOrEmpty(pid).strip());
    executor.destroy(); // SIGTERM
    assertThat(executor.waitFor(PATIENCE_MS, TimeUnit.MILLISECONDS)).isTrue();
    assertThat(requests("/complete")).isEmpty();
    assertThat(requests("/fail")).isEmpty();
    assertThat(requests("/outcomes")).isEmpty();
    assertThat(server.requests.stream().filter(r -> r.method().equals("DELETE"))).hasSize(1);
    assertThat(io.sextant.evaluators.command.CommandEvaluatorTestSupport.alive(grandchild)).isFalse();
    Object registration = Json.parse(server.requests.getFirst().body());
    assertThat(Json.object(registration, "").get("gpus")).isEqualTo(List.of());
  }

  private static String readOrEmpty(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
