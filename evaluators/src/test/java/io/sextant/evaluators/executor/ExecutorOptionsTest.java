package io.sextant.evaluators.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ExecutorOptionsTest {
  private static ExecutorOptions parse(String... args) {
    return ExecutorOptions.parse(List.of(args), Map.of()).orElseThrow();
  }

  @Test
  void defaultsNeedOnlyTheServer() {
    ExecutorOptions o = parse("--server", "http://api:8080");
    assertThat(o.server()).isEqualTo(URI.create("http://api:8080"));
    assertThat(o.token()).isEmpty();
    assertThat(o.slots()).isEqualTo(OptionalInt.empty());
    assertThat(o.gpus()).isEqualTo(new GpuSelection.Auto());
    assertThat(o.labels()).isEmpty();
    assertThat(o.leaseDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.drainGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.pollWait()).isEqualTo(Duration.ofSeconds(20));
    assertThat(o.trialTimeout()).isEqualTo(Duration.ofHours(24));
    assertThat(o.name()).isEmpty();
    assertThat(o.workDir()).isEmpty();
    assertThat(o.idleExit()).isEmpty();
    assertThat(o.pool()).isEmpty();
  }

  @Test
  void poolNamesTheExecutorPoolAndReachesTheRegistration() {
    ExecutorOptions o = parse("--server", "http://a", "--pool", "team-a.gpu");
    assertThat(o.pool()).contains("team-a.gpu");
    assertThat(ExecutorMain.info(o, 4, "host", c -> java.util.Optional.empty()).pool()).contains("team-a.gpu");
    assertThat(ExecutorMain.info(parse("--server", "http://a"), 4, "host", c -> java.util.Optional.empty()).pool())
        .isEmpty();
    assertUsage("--pool must be 1 to 64 letters", "--server", "http://a", "--pool", "a b");
    assertUsage("--pool must be 1 to 64 letters", "--server", "http://a", "--pool", "");
    assertUsage("given twice", "--server", "http://a", "--pool", "a", "--pool", "b");
  }

  @Test
  void idleExitInSeconds() {
    assertThat(parse("--server", "http://a", "--idle-exit", "90").idleExit()).contains(Duration.ofSeconds(90));
    assertThat(parse("--server", "http://a", "--idle-exit=0.5").idleExit()).contains(Duration.ofMillis(500));
    assertUsage("--idle-exit must be a number of seconds > 0", "--server", "http://a", "--idle-exit", "0");
    assertUsage("--idle-exit must be a number of seconds > 0", "--server", "http://a", "--idle-exit", "soon");
  }

  @Test
  void everyFlagInBothSpellings() {
    ExecutorOptions o = parse("--server=https://api.example/sextant", "--token", "t0k", "--slots=3", "--gpus", "1,0",
        "--labels", "zone=b,tier=gpu", "--labels=pool=x", "--name", "box-1", "--work-dir", "/tmp/w",
        "--lease-seconds", "9", "--drain-seconds=0", "--poll-seconds", "2.5", "--trial-timeout-seconds", "60");
    assertThat(o.server()).isEqualTo(URI.create("https://api.example/sextant"));
    assertThat(o.token()).contains("t0k");
    assertThat(o.slots()).hasValue(3);
    assertThat(o.gpus()).isEqualTo(new GpuSelection.Indices(List.of(0, 1)));
    assertThat(o.labels()).isEqualTo(Map.of("zone", "b", "tier", "gpu", "pool", "x"));
    assertThat(o.name()).contains("box-1");
    assertThat(o.workDir()).contains(Path.of("/tmp/w"));
    assertThat(o.leaseDuration()).isEqualTo(Duration.ofSeconds(9));
    assertThat(o.drainGrace()).isEqualTo(Duration.ZERO);
    assertThat(o.pollWait()).isEqualTo(Duration.ofMillis(2500));
    assertThat(o.trialTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(parse("--server", "http://a", "--gpus", "none").gpus()).isEqualTo(new GpuSelection.None());
  }

  @Test
  void serverAndTokenMayComeFromTheEnvironment() {
    ExecutorOptions o = ExecutorOptions.parse(List.of(),
        Map.of("SEXTANT_SERVER", "http://env:1", "SEXTANT_TOKEN", "from-env")).orElseThrow();
    assertThat(o.server()).isEqualTo(URI.create("http://env:1"));
    assertThat(o.token()).contains("from-env");
    assertThat(ExecutorOptions.parse(List.of("--server", "http://flag", "--token", "flag"),
        Map.of("SEXTANT_TOKEN", "env")).orElseThrow().token()).contains("flag");
  }

  @Test
  void programsRunOnlyWhenTheOperatorAllowsThem() {
    assertThat(parse("--server", "http://a").allowCommands()).isFalse();
    assertThat(parse("--server", "http://a", "--allow-commands", "--slots", "2").allowCommands()).isTrue();
    var all = io.sextant.evaluators.spi.Evaluators.load();
    assertThat(all.all()).containsKey("command");
    assertThat(all.withoutPrograms().all()).doesNotContainKey("command").containsKey("branin");
  }

  @Test
  void helpIsEmpty() {
    assertThat(ExecutorOptions.parse(List.of("--server", "http://a", "--help"), Map.of())).isEmpty();
    assertThat(ExecutorOptions.parse(List.of("-h"), Map.of())).isEmpty();
  }

  @Test
  void badCommandLinesAreUsageErrors() {
    assertUsage("--server URL is required");
    assertUsage("must be an http", "--server", "ftp://x");
    assertUsage("must be an http", "--server", "localhost:8080");
    assertUsage("unknown option '--slot'", "--server", "http://a", "--slot", "2");
    assertUsage("needs a value", "--server", "http://a", "--slots");
    assertUsage("needs a value", "--server", "--slots", "2");
    assertUsage("--slots must be a whole number >= 1", "--server", "http://a", "--slots", "0");
    assertUsage("--slots must be a whole number >= 1", "--server", "http://a", "--slots", "two");
    assertUsage("--gpus must be auto, none or distinct", "--server", "http://a", "--gpus", "0,0");
    assertUsage("--gpus must be auto, none or distinct", "--server", "http://a", "--gpus", "all");
    assertUsage("--labels must be key=value", "--server", "http://a", "--labels", "zone");
    assertUsage("--lease-seconds must be a number of seconds > 0", "--server", "http://a", "--lease-seconds", "0");
    assertUsage("--drain-seconds must be a number of seconds >= 0", "--server", "http://a", "--drain-seconds", "-1");
    assertUsage("unexpected argument 'extra'", "--server", "http://a", "extra");
    assertUsage("given twice", "--server", "http://a", "--slots", "1", "--slots", "2");
  }

  private static void assertUsage(String message, String... args) {
    assertThatThrownBy(() -> ExecutorOptions.parse(List.of(args), Map.of()))
        .isInstanceOf(UsageException.class).hasMessageContaining(message);
  }

  @Test
  void mainExitsWithTwoAndUsageOnABadCommandLineAndZeroOnHelp() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ExecutorMain.run(List.of("--bogus"), Map.of(), new PrintStream(out), new PrintStream(err));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("sextant-executor: unknown option '--bogus'")
        .contains("Usage: java -jar sextant-executor.jar --server URL");
    assertThat(out.size()).isZero();
    err.reset();
    assertThat(ExecutorMain.run(List.of("--help"), Map.of(), new PrintStream(out), new PrintStream(err))).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--gpus auto|none|0,1");
    assertThat(err.size()).isZero();
  }

  @Test
  void infoFillsInTheMachinesDefaultsAndDetectedGpus() {
    List<ExecutorInfo.Gpu> detected = List.of(new ExecutorInfo.Gpu(0, "A", 100), new ExecutorInfo.Gpu(1, "B", 200));
    ExecutorInfo auto = ExecutorMain.info(parse("--server", "http://a"), 8, "host-1", cmd -> {
      assertThat(cmd).isEqualTo("nvidia-smi");
      return Optional.of(detected);
    });
    assertThat(auto).isEqualTo(new ExecutorInfo("host-1", 8, 8, detected, Map.of()));
    ExecutorInfo absent = ExecutorMain.info(parse("--server", "http://a", "--slots", "2", "--name", "n"), 8, "h",
        cmd -> Optional.empty());
    assertThat(absent).isEqualTo(new ExecutorInfo("n", 2, 8, List.of(), Map.of()));
    ExecutorInfo chosen = ExecutorMain.info(parse("--server", "http://a", "--gpus", "1,5"), 4, "h",
        cmd -> Optional.of(detected));
    assertThat(chosen.gpus()).containsExactly(new ExecutorInfo.Gpu(1, "B", 200), new ExecutorInfo.Gpu(5, "GPU 5", 0));
    ExecutorInfo none = ExecutorMain.info(parse("--server", "http://a", "--gpus", "none"), 4, "h",
        cmd -> { throw new AssertionError("nvidia-smi must not run for --gpus none"); });
    assertThat(none.gpus()).isEmpty();
  }
}
