package io.sextant.evaluators.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import io.sextant.evaluators.json.Json;
import io.sextant.evaluators.spi.Evaluator;
import io.sextant.evaluators.spi.Evaluators;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command evaluator against real processes: /bin/sh and python3 scripts written into a temp directory. */
class CommandEvaluatorTest {
  private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  private static final StudyProblem PROBLEM = new StudyProblem(
      new SearchSpace(List.of(new FloatParameter("lr", 1e-5, 1, false, java.util.OptionalDouble.empty(), Optional.empty()))),
      List.of(new Objective("loss", Direction.MINIMIZE), new Objective("acc", Direction.MAXIMIZE)), List.of());
  /** Generous bound for "promptly": far above what a kill takes, far below the scripts' sleeps. */
  private static final long PROMPT_SECONDS = 30;

  @TempDir
  Path dir;
  private Path work;

  @BeforeEach
  void setUp() {
    work = dir.resolve("work");
  }

  private Path script(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private static Evaluator evaluator(Map<String, Object> config) {
    return Evaluators.load().find("command").orElseThrow().create(PROBLEM, config);
  }

  private static boolean pythonAvailable() {
    try {
      return new ProcessBuilder(PYTHON, "-c", "pass").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Alive and not a zombie (a killed orphan may stay a zombie when nothing reaps it). */
  static boolean alive(long pid) {
    Path stat = Path.of("/proc/" + pid + "/stat");
    if (Files.exists(Path.of("/proc/self/stat"))) {
      try {
        String s = Files.readString(stat);
        char state = s.substring(s.lastIndexOf(')') + 2).charAt(0);
        return state != 'Z' && state != 'X';
      } catch (IOException e) {
        return false;
      }
    }
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private long pidFrom(Path file) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROMPT_SECONDS);
    while (System.nanoTime() < until) {
      if (Files.exists(file)) {
        String s = Files.readString(file).strip();
        if (!s.isEmpty()) {
          return Long.parseLong(s);
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no pid in " + file);
  }

  @Test
  void reportsIntermediateMeasurementsAndReturnsTheFinalValues() throws Exception {
    assumeTrue(pythonAvailable(), "python3 is needed");
    Path train = script("train.py", """
        import json, os, sys
        with open(os.environ["SEXTANT_PARAMS_FILE"]) as f:
            p = json.load(f)
        print("starting with", p)                       # free text is ignored
        for step in range(1, 4):
            print(json.dumps({"step": step, "values": {"loss": p["lr"] * step}}), flush=True)
        print("not json {")
        print(json.dumps({"values": {"loss": float("nan"), "acc": float("inf")}}))  # bare NaN/Infinity tokens
        print(json.dumps({"values": {"loss": 0.25, "acc": 0.75}}))                 # the last final line wins
        """);
    RecordingContext ctx = new RecordingContext(work);
    Map<String, Double> out = evaluator(Map.of("command", List.of(PYTHON, train.toString())))
        .evaluate(Map.of("lr", 0.5), ctx);
    assertThat(out).isEqualTo(Map.of("loss", 0.25, "acc", 0.75));
    assertThat(ctx.reports).containsExactly(
        new RecordingContext.Report(1, Map.of("loss", 0.5)),
        new RecordingContext.Report(2, Map.of("loss", 1.0)),
        new RecordingContext.Report(3, Map.of("loss", 1.5)));
  }

  @Test
  void passesParamsFileEnvironmentAndExactlyTheAssignedGpus() throws Exception {
    Path sh = script("env.sh", """
        pwd > cwd.txt
        env | grep -E '^(SEXTANT_|CUDA_VISIBLE_DEVICES=|FOO=)' | sort > env.txt
        cp "$SEXTANT_PARAMS_FILE" seen-params.json
        echo '{"values": {"loss": 1, "acc": "-Infinity"}}'
        """);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("lr", 0.001);
    params.put("n-layers", 3L);
    params.put("act", "relu");
    params.put("wide", true);
    params.put("tiny", 1e-7);
    Instant deadline = Instant.parse("2100-01-01T00:00:00Z");
    RecordingContext ctx = new RecordingContext(work, List.of(1, 3), deadline);
    Map<String, Double> out = evaluator(Map.of("command", List.of("/bin/sh", sh.toString()),
        "env", Map.of("FOO", "bar baz"), "gpus", 2)).evaluate(params, ctx);
    assertThat(out).isEqualTo(Map.of("loss", 1.0, "acc", Double.NEGATIVE_INFINITY));
    assertThat(Path.of(Files.readString(work.resolve("cwd.txt")).strip()).toRealPath()).isEqualTo(work.toRealPath());
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(work.resolve("env.txt"))) {
      env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
    }
    Path paramsFile = work.resolve("params.json");
    assertThat(env).containsEntry("CUDA_VISIBLE_DEVICES", "1,3")
        .containsEntry("FOO", "bar baz")
        .containsEntry("SEXTANT_PARAMS_FILE", paramsFile.toAbsolutePath().toString())
        .containsEntry("SEXTANT_WORK_DIR", work.toAbsolutePath().toString())
        .containsEntry("SEXTANT_TRIAL_NUMBER", "17")
        .containsEntry("SEXTANT_OBJECTIVES", "loss,acc")
        .containsEntry("SEXTANT_DEADLINE", "2100-01-01T00:00:00Z")
        .containsEntry("SEXTANT_PARAM_LR", "0.001")
        .containsEntry("SEXTANT_PARAM_N_LAYERS", "3")
        .containsEntry("SEXTANT_PARAM_ACT", "relu")
        .containsEntry("SEXTANT_PARAM_WIDE", "true")
        .containsEntry("SEXTANT_PARAM_TINY", "1.0E-7");
    assertThat(Json.parse(Files.readString(work.resolve("seen-params.json"))))
        .isEqualTo(Map.of("lr", 0.001, "n-layers", 3, "act", "relu", "wide", true, "tiny", 1e-7));
  }

  @Test
  void aTrialWithoutGpusSeesNone() throws Exception {
    Path sh = script("cuda.sh", """
        if [ "${CUDA_VISIBLE_DEVICES+set}" = set ] && [ -z "$CUDA_VISIBLE_DEVICES" ]; then
          echo '{"values": {"loss": 0, "acc": 0}}'
        else
          echo "CUDA_VISIBLE_DEVICES=${CUDA_VISIBLE_DEVICES-unset}" >&2; exit 1
        fi
        """);
    assertThat(evaluator(Map.of("command", List.of("/bin/sh", sh.toString())))
        .evaluate(Map.of(), new RecordingContext(work))).isEqualTo(Map.of("loss", 0.0, "acc", 0.0));
  }

  @Test
  void aStringCommandRunsThroughTheShellInTheConfiguredDirectory() throws Exception {
    Path there = Files.createDirectories(dir.resolve("there"));
    Map<String, Double> out = evaluator(Map.of(
        "command", "printf '%s\\n' \"{\\\"values\\\": {\\\"loss\\\": $SEXTANT_PARAM_X, \\\"acc\\\": $(ls | wc -l)}}\"",
        "workingDirectory", there.toString()))
        .evaluate(Map.of("x", 2.5), new RecordingContext(work));
    assertThat(out).isEqualTo(Map.of("loss", 2.5, "acc", 0.0));
  }

  @Test
  void aNonZeroExitFailsWithTheStderrTail() throws Exception {
    Path sh = script("fail.sh", """
        echo 'epoch 1' ; echo '{"step": 1, "values": {"loss": 2}}'
        i=0; while [ $i -lt 300 ]; do echo "noise line $i with some padding to make it long" >&2; i=$((i+1)); done
        echo 'Traceback (most recent call last):' >&2
        echo 'ValueError: learning rate too large' >&2
        exit 3
        """);
    Throwable t = catchThrowable(() -> evaluator(Map.of("command", List.of("/bin/sh", sh.toString())))
        .evaluate(Map.of(), new RecordingContext(work)));
    assertThat(t).isInstanceOf(IllegalStateException.class);
    assertThat(t.getMessage())
        .startsWith("command exited with status 3; stderr tail:\n")
        .endsWith("Traceback (most recent call last):\nValueError: learning rate too large")
        .doesNotContain("noise line 0 ");
    assertThat(t.getMessage().length()).isLessThanOrEqualTo(CommandRun.MAX_REASON);
  }

  @Test
  void aCleanExitWithoutFinalValuesFailsAndShowsStdoutWhenStderrIsEmpty() {
    Throwable t = catchThrowable(() -> evaluator(Map.of("command", List.of("/bin/sh", "-c",
        "echo '{\"step\": 1, \"values\": {\"loss\": 2}}'; echo 'forgot the result'")))
        .evaluate(Map.of(), new RecordingContext(work)));
    assertThat(t).isInstanceOf(IllegalStateException.class)
        .hasMessage("command exited with status 0 but printed no final {\"values\": {...}} line; stdout tail:\n"
            + "forgot the result");
  }

  @Test
  void aBrokenMetricsLineFailsTheRun() {
    Throwable t = catchThrowable(() -> evaluator(Map.of("command", List.of("/bin/sh", "-c",
        "echo '{\"values\": {\"loss\": \"fast\"}}'; sleep 300")))
        .evaluate(Map.of(), new RecordingContext(work)));
    assertThat(t).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("bad metrics line {\"values\": {\"loss\": \"fast\"}}: values.loss must be a number");
  }

  @Test
  void aMissingProgramFailsToStart() {
    assertThatThrownBy(() -> evaluator(Map.of("command", List.of(dir.resolve("nope").toString())))
        .evaluate(Map.of(), new RecordingContext(work)))
        .isInstanceOf(IOException.class).hasMessageContaining("could not start");
  }

  /** A script that forks a grandchild (records its pid), records its own pid, then waits. */
  private Path forkingScript(String firstLine) throws IOException {
    return script("fork.sh", firstLine + "\n"
        + "sleep 300 &\n"
        + "echo $! > \"" + dir.resolve("grandchild.pid") + "\"\n"
        + "echo $$ > \"" + dir.resolve("child.pid") + "\"\n"
        + "echo '{\"step\": 1, \"values\": {\"loss\": 1}}'\n"
        + "sleep 300\n");
  }

  @Test
  void aTimeoutKillsTheWholeProcessTree() throws Exception {
    Path sh = forkingScript("# timeout");
    long t0 = System.nanoTime();
    Throwable t = catchThrowable(() -> evaluator(Map.of("command", List.of("/bin/sh", "-c", "/bin/sh " + sh),
        "timeoutSeconds", 1)).evaluate(Map.of(), new RecordingContext(work)));
    assertThat(t).isInstanceOf(TimeoutException.class).hasMessageStartingWith("command timed out after");
    assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(PROMPT_SECONDS));
    long grandchild = pidFrom(dir.resolve("grandchild.pid"));
    long child = pidFrom(dir.resolve("child.pid"));
    assertThat(alive(grandchild)).as("grandchild %d alive", grandchild).isFalse();
    assertThat(alive(child)).as("child %d alive", child).isFalse();
  }

  @Test
  void theAttemptDeadlineAlsoBoundsTheRun() {
    RecordingContext ctx = new RecordingContext(work, List.of(), Instant.now().plusMillis(500));
    assertThatThrownBy(() -> evaluator(Map.of("command", List.of("/bin/sh", "-c", "sleep 300")))
        .evaluate(Map.of(), ctx)).isInstanceOf(TimeoutException.class);
  }

  @Test
  void aStopAnswerToAReportKillsTheTree() throws Exception {
    Path sh = forkingScript("# stop on report");
    RecordingContext ctx = new RecordingContext(work);
    ctx.stopAtReport = 1;
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> evaluator(Map.of("command", List.of("/bin/sh", sh.toString())))
        .evaluate(Map.of(), ctx)).isInstanceOf(CancellationException.class);
    assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(PROMPT_SECONDS));
    assertThat(ctx.reports).hasSize(1);
    assertThat(alive(pidFrom(dir.resolve("grandchild.pid")))).isFalse();
    assertThat(alive(pidFrom(dir.resolve("child.pid")))).isFalse();
  }

  @Test
  void aStopRequestedElsewhereKillsTheTree() throws Exception {
    Path sh = forkingScript("# stop from heartbeat");
    RecordingContext ctx = new RecordingContext(work);
    CompletableFuture<Map<String, Double>> run = CompletableFuture.supplyAsync(() -> {
      try {
        return evaluator(Map.of("command", List.of("/bin/sh", sh.toString()))).evaluate(Map.of(), ctx);
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    long grandchild = pidFrom(dir.resolve("grandchild.pid"));
    ctx.stop.set(true); // as a heartbeat answer or the executor's shutdown would
    assertThatThrownBy(() -> run.get(PROMPT_SECONDS, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(CancellationException.class);
    assertThat(alive(grandchild)).isFalse();
  }

  @Test
  void anInterruptKillsTheTreeAndPropagates() throws Exception {
    Path sh = forkingScript("# interrupt");
    RecordingContext ctx = new RecordingContext(work);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread worker = Thread.ofPlatform().start(() -> outcome.complete(catchThrowable(() ->
        evaluator(Map.of("command", List.of("/bin/sh", sh.toString()))).evaluate(Map.of(), ctx))));
    long grandchild = pidFrom(dir.resolve("grandchild.pid"));
    worker.interrupt();
    assertThat(outcome.get(PROMPT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(alive(grandchild)).isFalse();
  }

  @Test
  void processesLeftBehindByAFinishedCommandAreKilled() throws Exception {
    Path sh = script("leave.sh", "sleep 300 &\necho $! > \"" + dir.resolve("grandchild.pid") + "\"\n"
        + "sleep 1\necho '{\"values\": {\"loss\": 1, \"acc\": 2}}'\n");
    Map<String, Double> out = evaluator(Map.of("command", List.of("/bin/sh", sh.toString())))
        .evaluate(Map.of(), new RecordingContext(work));
    assertThat(out).isEqualTo(Map.of("loss", 1.0, "acc", 2.0));
    assertThat(alive(pidFrom(dir.resolve("grandchild.pid")))).isFalse();
  }

  @Test
  void configIsValidatedEagerly() {
    assertThat(field(Map.of())).isEqualTo("command");
    assertThat(field(Map.of("command", List.of()))).isEqualTo("command");
    assertThat(field(Map.of("command", List.of("a", 3)))).isEqualTo("command[1]");
    assertThat(field(Map.of("command", "x", "env", Map.of("SEXTANT_PARAM_LR", "1")))).isEqualTo("env.SEXTANT_PARAM_LR");
    assertThat(field(Map.of("command", "x", "env", Map.of("CUDA_VISIBLE_DEVICES", "0"))))
        .isEqualTo("env.CUDA_VISIBLE_DEVICES");
    assertThat(field(Map.of("command", "x", "timeoutSeconds", 0))).isEqualTo("timeoutSeconds");
    assertThat(field(Map.of("command", "x", "stderrTailBytes", -1))).isEqualTo("stderrTailBytes");
    assertThat(field(Map.of("command", "x", "gpus", 1.5))).isEqualTo("gpus");
    assertThat(field(Map.of("command", "x", "shell", true))).isEqualTo("shell");
    CommandConfig c = CommandConfig.parse(Map.of("command", "echo hi", "timeoutSeconds", 1.5, "gpus", 2));
    assertThat(c.argv()).containsExactly("/bin/sh", "-c", "echo hi");
    assertThat(c.timeout()).contains(Duration.ofMillis(1500));
    assertThat(c.gpus()).isEqualTo(2);
    assertThat(c.workingDirectory()).isEqualTo(Optional.empty());
    assertThat(c.stderrTailBytes()).isEqualTo(CommandConfig.DEFAULT_STDERR_TAIL_BYTES);
  }

  private static String field(Map<String, Object> config) {
    Throwable t = catchThrowable(() -> evaluator(config));
    assertThat(t).isInstanceOf(ConfigException.class);
    return ((ConfigException) t).field();
  }
}
