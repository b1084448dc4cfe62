package io.sextant.evaluators.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./sextant slurm against a stand-in Slurm: what is submitted, what is refused, what status shows. */
class SlurmMainTest {
  @TempDir Path dir;
  Path tokenFile;
  final FakeSlurm slurm = new FakeSlurm();
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final List<String> asked = new ArrayList<>();
  String executorsJson = "{\"executors\":[]}";
  IOException executorsError;

  @BeforeEach
  void token() throws IOException {
    tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, "sxt_secret\n");
    Files.setPosixFilePermissions(tokenFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
  }

  static final class FakeSlurm implements Slurm {
    final List<String> submitted = new ArrayList<>();
    List<String> gres = List.of("debug*|(null)");
    List<String> records = List.of();

    @Override
    public String submit(String script) {
      submitted.add(script);
      return "57";
    }

    @Override
    public List<String> partitionGres() {
      return gres;
    }

    @Override
    public List<String> showJob(String job) {
      return records;
    }
  }

  private int run(String... args) {
    return SlurmMain.run(List.of(args), Map.of("SEXTANT_EXECUTOR_CLASSPATH", "/shared/sextant-executor.jar"),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), slurm,
        (URI url, String token) -> {
          asked.add(url + " " + token);
          if (executorsError != null) {
            throw executorsError;
          }
          return executorsJson;
        });
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void submitPrintsTheJobIdOfTheScriptItSubmitted() {
    assertThat(run("submit", "--server", "http://api:8080", "--token-file", tokenFile.toString(), "--tasks", "3"))
        .as(err()).isZero();
    assertThat(out()).isEqualTo("57\n");
    assertThat(slurm.submitted).hasSize(1);
    assertThat(slurm.submitted.getFirst()).contains("#SBATCH --array=0-2", "-cp '/shared/sextant-executor.jar'")
        .doesNotContain("sxt_secret");
    assertThat(err()).contains("submitted job array 57").doesNotContain("warning");
  }

  @Test
  void dryRunPrintsTheScriptAndSubmitsNothing() {
    assertThat(run("submit", "--server", "http://api:8080", "--token-file", tokenFile.toString(), "--tasks", "2",
        "--gpus-per-task", "1", "--dry-run")).isZero();
    assertThat(out()).startsWith("#!/bin/bash\n").contains("#SBATCH --gres=gpu:1");
    assertThat(slurm.submitted).isEmpty();
  }

  @Test
  void aGpuRequestOnAPartitionWithoutGpusIsRefusedWithAClearMessage() {
    assertThat(run("submit", "--server", "http://api:8080", "--token-file", tokenFile.toString(), "--tasks", "1",
        "--gpus-per-task", "1")).isEqualTo(1);
    assertThat(err()).contains("--gpus-per-task 1: the nodes of partition 'debug' have no GPUs",
        "nothing was submitted");
    assertThat(slurm.submitted).isEmpty();
  }

  @Test
  void gpuCapacityIsJudgedPerPartition() {
    List<String> rows = List.of("cpu*|(null)", "gpu|gpu:a100:4(S:0-1)", "gpu|gpu:a100:2(S:0),nvme:1",
        "mig|gpu:1g.10gb:7");
    assertThat(SlurmMain.gpuRefusal(rows, Optional.of("gpu"), 4)).isEmpty();
    assertThat(SlurmMain.gpuRefusal(rows, Optional.of("gpu"), 8)).get().asString()
        .contains("partition 'gpu' have at most 4 GPU(s) each");
    assertThat(SlurmMain.gpuRefusal(rows, Optional.empty(), 1)).get().asString().contains("partition 'cpu'");
    assertThat(SlurmMain.gpuRefusal(rows, Optional.of("unknown"), 1)).isEmpty(); // sbatch names the bad partition
    assertThat(SlurmMain.gpuCount("gpu:a100:4(S:0-1),gpu:v100:2")).isEqualTo(6);
    assertThat(SlurmMain.gpuCount("(null)")).isZero();
  }

  @Test
  void badCommandLinesAndUnreadableTokenFilesAreUsageErrors() throws IOException {
    assertThat(run("submit", "--server", "http://api:8080", "--token-file", dir.resolve("none").toString(),
        "--tasks", "1")).isEqualTo(2);
    assertThat(err()).contains("--token-file " + dir.resolve("none") + ": cannot read it");
    Files.writeString(tokenFile, "two\nlines\n");
    assertThat(run("submit", "--server", "http://api:8080", "--token-file", tokenFile.toString(), "--tasks", "1"))
        .isEqualTo(2);
    assertThat(err()).contains("must hold the token alone, on one line");
    assertThat(run("launch")).isEqualTo(2);
    assertThat(err()).contains("unknown command 'launch'");
    assertThat(slurm.submitted).isEmpty();
  }

  @Test
  void aTokenFileOthersMayReadIsSubmittedWithAWarning() throws IOException {
    Files.setPosixFilePermissions(tokenFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(run("submit", "--server", "http://api:8080", "--token-file", tokenFile.toString(), "--tasks", "1"))
        .isZero();
    assertThat(err()).contains("warning: others may read the token file");
  }

  private static String record(String id, String task, String state, String node, String time, String comment) {
    return "JobId=" + id + " ArrayJobId=57 ArrayTaskId=" + task + " JobName=sextant-executor JobState=" + state
        + " Reason=None RunTime=" + time + " TimeLimit=01:00:00 NodeList=" + node + " Comment=" + comment
        + " StdErr=/x";
  }

  @Test
  void statusShowsEachTaskWithItsExecutorFromTheServerTheJobWasSubmittedTo() throws IOException {
    String comment = "sextant;server=http://api:8080/;token-file=" + BatchScript.encode(tokenFile.toString());
    slurm.records = List.of(record("57", "3-4", "PENDING", "", "00:00:00", comment),
        record("60", "2", "CANCELLED", "cn1", "00:00:40", comment),
        record("59", "1", "RUNNING", "cn2", "00:01:10", comment),
        record("58", "0", "RUNNING", "cn1", "00:01:11", comment));
    executorsJson = """
        {"executors": [
          {"id": "1b2c3d4e-aaaa", "name": "slurm-57_0", "state": "ACTIVE", "slots": 2, "slotsInUse": 1,
           "labels": {"slurm.job": "57", "slurm.task": "0", "slurm.node": "cn1"}, "trialsCompleted": 70,
           "attemptsFailed": 1},
          {"id": "99999999-bbbb", "name": "slurm-57_1", "state": "ACTIVE", "slots": 2, "slotsInUse": 2,
           "labels": {"slurm.job": "57", "slurm.task": "1", "slurm.node": "cn2"}, "trialsCompleted": 68,
           "attemptsFailed": 0},
          {"id": "other", "name": "slurm-12_0", "state": "ACTIVE", "slots": 8, "slotsInUse": 0,
           "labels": {"slurm.job": "12", "slurm.task": "0"}, "trialsCompleted": 5, "attemptsFailed": 0}]}""";
    assertThat(run("status", "57")).as(err()).isZero();
    assertThat(asked).containsExactly("http://api:8080/api/v1/executors sxt_secret");
    List<String> lines = out().lines().toList();
    assertThat(lines.get(0)).startsWith("TASK").contains("SLURM", "NODE", "EXECUTOR", "COMPLETED", "FAILED");
    assertThat(lines.get(1).split("\\s+")).containsExactly("0", "RUNNING", "cn1", "00:01:11", "1b2c3d4e", "ACTIVE",
        "1/2", "70", "1");
    assertThat(lines.get(2).split("\\s+")).containsExactly("1", "RUNNING", "cn2", "00:01:10", "99999999", "ACTIVE",
        "2/2", "68", "0");
    assertThat(lines.get(3).split("\\s+")).containsExactly("2", "CANCELLED", "cn1", "00:00:40", "-");
    assertThat(lines.get(4).split("\\s+")).containsExactly("3", "PENDING", "-", "-", "-");
    assertThat(lines.get(5).split("\\s+")).containsExactly("4", "PENDING", "-", "-", "-");
    assertThat(lines.get(6)).isEqualTo("job 57: 5 task(s): 2 running, 2 pending, 1 ended; 2 executor(s) active,"
        + " 0 lost; 138 trial(s) completed, 1 failed attempt(s) by the executors still registered");
  }

  @Test
  void statusSaysWhyItHasNoExecutorsAndWhenSlurmForgotTheJob() {
    slurm.records = List.of(record("58", "0", "RUNNING", "cn1", "00:00:05",
        "sextant;server=http://api:8080;token-file=/nowhere"));
    executorsError = new SlurmMain.HttpStatusException(403, "forbidden");
    assertThat(run("status", "57", "--token-file", tokenFile.toString())).isZero();
    assertThat(out()).contains("EXECUTOR tokens cannot list executors");
    slurm.records = List.of();
    assertThat(run("status", "57")).isEqualTo(1);
    assertThat(err()).contains("Slurm does not know job 57");
    assertThat(run("status", "x57")).isEqualTo(2);
  }

  @Test
  void taskIdSpecsExpand() {
    assertThat(ArrayStatus.taskIds("4-6")).containsExactly(4, 5, 6);
    assertThat(ArrayStatus.taskIds("1,3,5-7%2")).containsExactly(1, 3, 5, 6, 7);
    assertThat(ArrayStatus.taskIds("0-8:4")).containsExactly(0, 4, 8);
  }
}
