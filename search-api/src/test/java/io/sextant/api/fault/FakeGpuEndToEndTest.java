package io.sextant.api.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.api.Http;
import io.sextant.api.fault.FaultSupport.Executor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The GPU path end to end without a GPU: a fake {@code nvidia-smi} on the PATH of an executor process reports two
 * devices. Against the real server: the executor registers them (detection), a study with {@code resources.gpus: 1}
 * is leased only to that executor (a CPU-only executor polls beside it) and never more trials at once than it has
 * free devices, each lease names a device (server-side assignment), and the {@code command} evaluator runs the trial
 * with exactly that device in CUDA_VISIBLE_DEVICES: the script reports it as a metric and logs start and end times,
 * from which the test checks that trials ran two at a time on distinct devices.
 */
class FakeGpuEndToEndTest extends ProcessTestBase {
  static final int TRIALS = 6;


  record Run(long trial, int device, long start, long end) {}

  @Test
  void fakeNvidiaSmiGpusAreDetectedAssignedAndExportedAsCudaVisibleDevices() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path smi = bin.resolve("nvidia-smi");
    Path smiArgs = dir.resolve("nvidia-smi.args");
    Files.writeString(smi, "#!/bin/sh\necho \"$@\" >> '" + smiArgs + "'\n"
        + "echo '0, Fake GPU A, 1024'\necho '1, Fake GPU B, 2048'\n");
    Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path runs = dir.resolve("runs.log");

    String jdbc = FaultSupport.newDatabase();
    server = FaultSupport.startServer(jdbc);
    Http http = server.http();
    String path = bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    Executor gpu = FaultSupport.startExecutor(dir, "gpu-box", server.url(), 4, Map.of("PATH", path),
        "--gpus", "auto", "--allow-commands");
    Executor cpu = FaultSupport.startExecutor(dir, "cpu-box", server.url(), 2, Map.of(), "--gpus", "none", "--allow-commands");
    executors.addAll(List.of(gpu, cpu));
    String gpuId = FaultSupport.awaitRegistered(http, gpu, Duration.ofSeconds(90));
    String cpuId = FaultSupport.awaitRegistered(http, cpu, Duration.ofSeconds(90));

    // detection: the executor ran nvidia-smi's CSV query and registered both devices
    assertThat(Files.readString(smiArgs)).contains("--query-gpu=index,name,memory.total")
        .contains("--format=csv,noheader,nounits");
    for (JsonNode e : http.get("/api/v1/executors").json().get("executors")) {
      if (e.get("id").asString().equals(gpuId)) {
        assertThat(e.get("gpus")).hasSize(2);
        assertThat(e.get("gpus").get(0).get("index").asInt()).isEqualTo(0);
        assertThat(e.get("gpus").get(0).get("name").asString()).isEqualTo("Fake GPU A");
        assertThat(e.get("gpus").get(1).get("memoryMiB").asLong()).isEqualTo(2048);
      } else {
        assertThat(e.get("gpus")).isEmpty();
      }
    }

    String script = "echo \"start $CUDA_VISIBLE_DEVICES $SEXTANT_TRIAL_NUMBER $(date +%s%N)\" >> '" + runs + "'; "
        + "sleep 1.2; "
        + "echo \"end $CUDA_VISIBLE_DEVICES $SEXTANT_TRIAL_NUMBER $(date +%s%N)\" >> '" + runs + "'; "
        + "echo \"{\\\"values\\\": {\\\"loss\\\": $SEXTANT_TRIAL_NUMBER, \\\"device\\\": $CUDA_VISIBLE_DEVICES}}\"";
    Map<String, Object> body = FaultSupport.study("gpu",
        Map.of("name", "command", "config", Map.of("command", script, "timeoutSeconds", 60)),
        Map.of("maxTrials", TRIALS, "maxAttempts", 2));
    body.put("resources", Map.of("gpus", 1));
    long study = FaultSupport.create(http, body);

    FaultSupport.await("study completed", Duration.ofSeconds(90),
        () -> FaultSupport.studyState(http, study).equals("COMPLETED"));
    List<JsonNode> trials = FaultSupport.trials(http, study);
    FaultSupport.assertGapless(trials, TRIALS);
    Map<Long, Integer> deviceOf = new HashMap<>();
    for (JsonNode t : trials) {
      assertThat(t.get("state").asString()).as(t.toString()).isEqualTo("COMPLETED");
      // only the executor with GPUs got them
      assertThat(t.get("executorId").asString()).isEqualTo(gpuId).isNotEqualTo(cpuId);
      // the device the server assigned is the one the process saw in CUDA_VISIBLE_DEVICES
      assertThat(t.get("gpus")).as(t.toString()).hasSize(1);
      int assigned = t.get("gpus").get(0).asInt();
      assertThat(assigned).isIn(0, 1);
      assertThat(t.get("metrics").get("device").asInt()).as(t.toString()).isEqualTo(assigned);
      assertThat(t.get("values").get("loss").asLong()).isEqualTo(t.get("number").asLong());
      deviceOf.put(t.get("number").asLong(), assigned);
    }

    // concurrency: intervals from the script's own log
    Map<Long, long[]> span = new HashMap<>();
    Map<Long, Integer> seen = new HashMap<>();
    for (String line : Files.readAllLines(runs)) {
      String[] f = line.split(" ");
      long n = Long.parseLong(f[2]);
      seen.put(n, Integer.parseInt(f[1]));
      span.computeIfAbsent(n, k -> new long[2])[f[0].equals("start") ? 0 : 1] = Long.parseLong(f[3]);
    }
    assertThat(seen).isEqualTo(deviceOf);
    List<Run> list = span.entrySet().stream()
        .map(e -> new Run(e.getKey(), seen.get(e.getKey()), e.getValue()[0], e.getValue()[1])).toList();
    int overlaps = 0;
    for (Run r : list) {
      List<Run> concurrent = list.stream().filter(o -> o != r && o.start() < r.end() && r.start() < o.end()).toList();
      // at most one other trial at any time (2 devices), and never on the same device
      long atStart = list.stream().filter(o -> o.start() <= r.start() && r.start() < o.end()).count();
      assertThat(atStart).as("trials running when trial %d started: %s", r.trial(), list).isLessThanOrEqualTo(2);
      for (Run o : concurrent) {
        assertThat(o.device()).as("trials %d and %d overlapped: %s", r.trial(), o.trial(), list)
            .isNotEqualTo(r.device());
        overlaps++;
      }
    }
    assertThat(overlaps).as("some trials ran at the same time: %s", list).isPositive();
    assertThat(deviceOf.values()).contains(0, 1);
    System.out.printf("fake GPUs: %d trials on devices %s, %d overlapping pairs, all on distinct devices%n",
        TRIALS, deviceOf, overlaps / 2);
  }
}
