package io.sextant.evaluators.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.evaluators.executor.ExecutorOptions;
import io.sextant.evaluators.executor.GpuSelection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sbatch script, run by bash as a Slurm task would run it (Slurm's variables set by hand) with a stand-in
 * {@code java} that records its arguments and environment: what the executor gets, and that the token travels only
 * through the environment.
 */
class BatchScriptTest {
  private static final String TOKEN = "sxt_0123456789abcdef";
  @TempDir Path dir;
  Path tokenFile;
  Path jdk;

  @BeforeEach
  void fakeJdkAndToken() throws Exception {
    tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
    jdk = dir.resolve("jdk");
    Files.createDirectories(jdk.resolve("bin"));
    Path java = jdk.resolve("bin/java");
    Files.writeString(java, """
        #!/bin/bash
        if [ "$1" = -XshowSettings:properties ]; then echo '    java.specification.version = 25'; exit 0; fi
        { printf '%s\\n' "$@"; echo "SEXTANT_TOKEN=$SEXTANT_TOKEN"; } > "$ARGS_OUT"
        """);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private SubmitOptions options(String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("--server", "http://api.internal:8080", "--token-file",
        tokenFile.toString(), "--tasks", "3"));
    args.addAll(List.of(extra));
    return SubmitOptions.parse(args, Map.of());
  }

  private record Run(int status, String stderr, List<String> args) {}

  /** Runs the script as task 2 of array job 41 on node cn7 with 6 CPUs and {@code env} on top. */
  private Run run(String script, Map<String, String> env) throws Exception {
    Process p = start(script, env);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return finished(p);
  }

  private Run finished(Process p) throws Exception {
    Path argsOut = dir.resolve("args.txt");
    List<String> args = Files.exists(argsOut) ? Files.readAllLines(argsOut) : List.of();
    return new Run(p.exitValue(), Files.readString(dir.resolve("err.txt")), args);
  }

  private Process start(String script, Map<String, String> env) throws Exception {
    Path file = dir.resolve("job.sh");
    Files.writeString(file, script);
    Path argsOut = dir.resolve("args.txt");
    Files.deleteIfExists(argsOut);
    ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).redirectError(dir.resolve("err.txt").toFile());
    Map<String, String> e = pb.environment();
    e.remove("SEXTANT_TOKEN");
    e.remove("CUDA_VISIBLE_DEVICES");
    e.putAll(Map.of("JAVA_HOME", jdk.toString(), "SLURM_ARRAY_JOB_ID", "41", "SLURM_ARRAY_TASK_ID", "2",
        "SLURM_JOB_ID", "43", "SLURMD_NODENAME", "cn7", "SLURM_CPUS_ON_NODE", "6", "TMPDIR", dir.toString(),
        "ARGS_OUT", argsOut.toString()));
    e.putAll(env);
    return pb.start();
  }

  /** What follows the main class: the executor's own command line. */
  private static List<String> executorArgs(List<String> javaArgs) {
    return javaArgs.subList(javaArgs.indexOf(BatchScript.MAIN) + 1, javaArgs.size() - 1);
  }

  @Test
  void theScriptAsksSlurmForTheArrayAndAWarningSignalAndNamesNoSecret() {
    String s = BatchScript.render(options("--slots", "2", "--partition", "cpu", "--time", "02:00:00",
        "--idle-exit", "300"), "/shared/sextant-executor.jar");
    assertThat(s.lines().filter(l -> l.startsWith("#SBATCH")).toList()).containsExactly(
        "#SBATCH --job-name=sextant-executor",
        "#SBATCH --array=0-2",
        "#SBATCH --output=sextant-executor-%A_%a.out",
        "#SBATCH --cpus-per-task=2",
        "#SBATCH --partition=cpu",
        "#SBATCH --time=02:00:00",
        "#SBATCH --signal=B:TERM@50",
        "#SBATCH --comment=sextant;server=http://api.internal:8080;token-file=" + BatchScript.encode(
            tokenFile.toString()));
    assertThat(s).doesNotContain(TOKEN).contains("\"$jdk/bin/java\" --enable-native-access=ALL-UNNAMED");
    assertThat(BatchScript.parseComment(BatchScript.comment(options()))).isEqualTo(
        Map.of("server", "http://api.internal:8080", "token-file", tokenFile.toString()));
    assertThat(BatchScript.decode(BatchScript.encode("/a b/ü;x%y"))).isEqualTo("/a b/ü;x%y");
  }

  @Test
  void aTaskRunsTheExecutorWithItsSlurmLabelsAllocatedCpusAndTheTokenInItsEnvironmentOnly() throws Exception {
    String script = BatchScript.render(options("--labels", "team=ml", "--idle-exit", "120", "--", "--allow-commands",
        "--pool", "team-ml"),
        "/shared/sextant-executor.jar");
    Run r = run(script, Map.of());
    assertThat(r.status()).as(r.stderr()).isZero();
    assertThat(r.stderr()).contains("task 2 of job 41 on cn7: 6 slot(s), GPUs none");
    List<String> a = r.args();
    assertThat(a.getLast()).isEqualTo("SEXTANT_TOKEN=" + TOKEN);
    assertThat(a.subList(0, a.size() - 1)).noneMatch(x -> x.contains(TOKEN));
    assertThat(a).containsSequence("-cp", "/shared/sextant-executor.jar", BatchScript.MAIN);
    ExecutorOptions o = ExecutorOptions.parse(executorArgs(a), Map.of("SEXTANT_TOKEN", TOKEN)).orElseThrow();
    assertThat(o.server().toString()).isEqualTo("http://api.internal:8080");
    assertThat(o.token()).contains(TOKEN);
    assertThat(o.name()).contains("slurm-41_2");
    assertThat(o.slots()).isEqualTo(OptionalInt.of(6));
    assertThat(o.gpus()).isEqualTo(new GpuSelection.None());
    assertThat(o.labels()).isEqualTo(Map.of("slurm.job", "41", "slurm.task", "2", "slurm.node", "cn7",
        "team", "ml"));
    assertThat(o.pool()).contains("team-ml"); // executor flags after -- reach every task's executor
    assertThat(o.workDir()).contains(dir.resolve("sextant-executor-43"));
    assertThat(o.idleExit()).contains(Duration.ofSeconds(120));
    assertThat(o.allowCommands()).isTrue();
  }

  @Test
  void gpusComeFromWhatSlurmAllocatedAndSlotsFromTheOptionWhenGiven() throws Exception {
    String script = BatchScript.render(options("--gpus-per-task", "2", "--slots", "2"), "/x.jar");
    assertThat(script).contains("#SBATCH --gres=gpu:2\n", "#SBATCH --cpus-per-task=2\n");
    Run cvd = run(script, Map.of("CUDA_VISIBLE_DEVICES", "1,3", "SLURM_JOB_GPUS", "5,7"));
    assertThat(cvd.status()).as(cvd.stderr()).isZero();
    ExecutorOptions o = ExecutorOptions.parse(executorArgs(cvd.args()), Map.of()).orElseThrow();
    assertThat(o.gpus()).isEqualTo(new GpuSelection.Indices(List.of(1, 3)));
    assertThat(o.slots()).isEqualTo(OptionalInt.of(2));
    Run jobGpus = run(script, Map.of("SLURM_JOB_GPUS", "5,7"));
    assertThat(ExecutorOptions.parse(executorArgs(jobGpus.args()), Map.of()).orElseThrow().gpus())
        .isEqualTo(new GpuSelection.Indices(List.of(5, 7)));
    Run neither = run(script, Map.of("CUDA_VISIBLE_DEVICES", "GPU-8f3c,GPU-11aa"));
    assertThat(ExecutorOptions.parse(executorArgs(neither.args()), Map.of()).orElseThrow().gpus())
        .isEqualTo(new GpuSelection.Auto());
  }

  @Test
  void aTaskThatCannotReadTheTokenFileSaysSoAndStartsNothing() throws Exception {
    String script = BatchScript.render(options(), "/x.jar");
    Files.delete(tokenFile);
    Run r = run(script, new HashMap<>());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.stderr()).contains("cannot read the token file " + tokenFile);
    assertThat(r.args()).isEmpty();
  }

  @Test
  void argumentsAreQuotedForTheShell() throws Exception {
    String script = BatchScript.render(options("--", "--work-dir", "/scratch/it's here"), "/x.jar");
    Run r = run(script, Map.of());
    assertThat(r.status()).as(r.stderr()).isZero();
    assertThat(ExecutorOptions.parse(executorArgs(r.args()), Map.of()).orElseThrow().workDir())
        .contains(Path.of("/scratch/it's here"));
  }

  /** A stand-in JVM that runs until SIGTERM, then exits with {@code onTerm} (the JVM's own is 143). */
  private Path slowJdk(int onTerm) throws Exception {
    Path slow = dir.resolve("jdk-slow-" + onTerm);
    Files.createDirectories(slow.resolve("bin"));
    Path java = slow.resolve("bin/java");
    Files.writeString(java, """
        #!/bin/bash
        if [ "$1" = -XshowSettings:properties ]; then echo '    java.specification.version = 25'; exit 0; fi
        trap 'echo term >> "$ARGS_OUT.term"; exit %d' TERM
        printf '%%s\\n' "$@" > "$ARGS_OUT"
        while :; do sleep 0.1; done
        """.formatted(onTerm));
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return slow;
  }

  @Test
  void slurmsWarningSignalToTheBatchShellReachesTheExecutorAndItsDrainEndsTheTaskCleanly() throws Exception {
    String script = BatchScript.render(options("--time", "01:00:00"), "/x.jar");
    assertThat(script).contains("#SBATCH --signal=B:TERM@50\n");
    Process p = start(script, Map.of("JAVA_HOME", slowJdk(143).toString()));
    Path argsOut = dir.resolve("args.txt");
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(argsOut) && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    assertThat(p.isAlive()).isTrue();
    p.destroy(); // SIGTERM to the batch shell only, as --signal=B:TERM does
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Run r = finished(p);
    assertThat(Files.readString(dir.resolve("args.txt.term"))).isEqualTo("term\n");
    assertThat(r.status()).as(r.stderr()).isZero();
    assertThat(r.stderr()).contains("the executor drained after SIGTERM");
  }

  @Test
  void anExecutorThatFailsFailsTheTask() throws Exception {
    Process p = start(BatchScript.render(options(), "/x.jar"), Map.of("JAVA_HOME", slowJdk(1).toString()));
    Path argsOut = dir.resolve("args.txt");
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(argsOut) && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    p.destroy();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
  }
}
