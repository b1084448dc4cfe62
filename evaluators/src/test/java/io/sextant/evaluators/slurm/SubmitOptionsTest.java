package io.sextant.evaluators.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.evaluators.executor.UsageException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SubmitOptionsTest {
  private static SubmitOptions parse(String... args) {
    return SubmitOptions.parse(List.of(args), Map.of());
  }

  private static void assertUsage(String message, String... args) {
    assertThatThrownBy(() -> parse(args)).isInstanceOf(UsageException.class).hasMessageContaining(message);
  }

  @Test
  void theRequiredThreeAndTheDefaults() {
    SubmitOptions o = parse("--server", "http://api:8080", "--token-file", "tok", "--tasks", "3");
    assertThat(o.server()).isEqualTo(URI.create("http://api:8080"));
    assertThat(o.tokenFile()).isEqualTo(Path.of("tok").toAbsolutePath().normalize());
    assertThat(o.tasks()).isEqualTo(3);
    assertThat(o.slots()).isEqualTo(OptionalInt.empty());
    assertThat(o.partition()).isEmpty();
    assertThat(o.gpusPerTask()).isZero();
    assertThat(o.time()).isEmpty();
    assertThat(o.labels()).isEmpty();
    assertThat(o.idleExit()).isEmpty();
    assertThat(o.dryRun()).isFalse();
    assertThat(o.executorArgs()).isEmpty();
    assertThat(o.drainGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.signalLead()).isEqualTo(Duration.ofSeconds(50));
  }

  @Test
  void everyOption() {
    SubmitOptions o = parse("--server=https://h/sextant", "--token-file=/etc/t", "--tasks=8", "--slots", "4",
        "--partition", "gpu-a100", "--gpus-per-task", "2", "--time", "1-02:03:04", "--labels", "team=ml,zone=eu",
        "--idle-exit", "120", "--dry-run", "--", "--allow-commands", "--drain-seconds", "45", "--lease-seconds=10");
    assertThat(o.slots()).hasValue(4);
    assertThat(o.partition()).contains("gpu-a100");
    assertThat(o.gpusPerTask()).isEqualTo(2);
    assertThat(o.time()).contains("1-02:03:04");
    assertThat(o.timeLimit()).contains(Duration.ofMinutes(24 * 60 + 2 * 60 + 4)); // 04 s round up to a minute
    assertThat(o.labels()).isEqualTo(Map.of("team", "ml", "zone", "eu"));
    assertThat(o.idleExit()).contains(Duration.ofSeconds(120));
    assertThat(o.dryRun()).isTrue();
    assertThat(o.executorArgs()).containsExactly("--allow-commands", "--drain-seconds", "45", "--lease-seconds=10");
    assertThat(o.drainGrace()).isEqualTo(Duration.ofSeconds(45));
    assertThat(o.signalLead()).isEqualTo(Duration.ofSeconds(65));
  }

  @Test
  void theServerMayComeFromTheEnvironment() {
    SubmitOptions o = SubmitOptions.parse(List.of("--token-file", "t", "--tasks", "1"),
        Map.of("SEXTANT_SERVER", "http://env:1"));
    assertThat(o.server()).isEqualTo(URI.create("http://env:1"));
  }

  @Test
  void badCommandLinesNameTheOption() {
    assertUsage("--server URL is required", "--token-file", "t", "--tasks", "1");
    assertUsage("--token-file FILE is required", "--server", "http://a", "--tasks", "1");
    assertUsage("--tasks N is required", "--server", "http://a", "--token-file", "t");
    assertUsage("--tasks must be a whole number from 1", "--server", "http://a", "--token-file", "t", "--tasks", "0");
    assertUsage("--server must be an http", "--server", "api:8080", "--token-file", "t", "--tasks", "1");
    assertUsage("--slots must be", "--server", "http://a", "--token-file", "t", "--tasks", "1", "--slots", "x");
    assertUsage("--gpus-per-task must be", "--server", "http://a", "--token-file", "t", "--tasks", "1",
        "--gpus-per-task", "-1");
    assertUsage("--time must be HH:MM:SS", "--server", "http://a", "--token-file", "t", "--tasks", "1",
        "--time", "90");
    assertUsage("--time must be HH:MM:SS", "--server", "http://a", "--token-file", "t", "--tasks", "1",
        "--time", "01:75:00");
    assertUsage("--partition must be", "--server", "http://a", "--token-file", "t", "--tasks", "1",
        "--partition", "a b");
    assertUsage("--idle-exit must be a number of seconds > 0", "--server", "http://a", "--token-file", "t",
        "--tasks", "1", "--idle-exit", "0");
    assertUsage("slurm.job is set by the script", "--server", "http://a", "--token-file", "t", "--tasks", "1",
        "--labels", "slurm.job=7");
    assertUsage("--labels must be key=value", "--server", "http://a", "--token-file", "t", "--tasks", "1",
        "--labels", "a=$(reboot)");
    assertUsage("unknown option '--slot' (executor flags go after --)", "--server", "http://a", "--token-file", "t",
        "--tasks", "1", "--slot", "2");
    assertUsage("option '--tasks' given twice", "--server", "http://a", "--token-file", "t", "--tasks", "1",
        "--tasks", "2");
  }

  @Test
  void executorFlagsAreCheckedByTheExecutorsOwnParserAndTheOnesSubmitSetsAreRefused() {
    assertUsage("the token comes from --token-file", "--server", "http://a", "--token-file", "t", "--tasks", "1",
        "--", "--token", "secret");
    assertUsage("executor flag --slots after --: use submit's --slots", "--server", "http://a", "--token-file", "t",
        "--tasks", "1", "--", "--slots=2");
    assertUsage("executor flags after --: unknown option '--bogus'", "--server", "http://a", "--token-file", "t",
        "--tasks", "1", "--", "--bogus", "1");
    assertUsage("executor flags after --: --drain-seconds must be", "--server", "http://a", "--token-file", "t",
        "--tasks", "1", "--", "--drain-seconds", "-3");
  }

  @Test
  void aTimeLimitMustLeaveRoomToDrain() {
    // one minute, default drain 30 s + 20 s: SIGTERM 50 s before the limit, fine
    assertThat(parse("--server", "http://a", "--token-file", "t", "--tasks", "1", "--time", "00:00:30")
        .timeLimit()).contains(Duration.ofMinutes(1));
    assertUsage("leaves no time to drain: the executor gets SIGTERM 80 s before the limit", "--server", "http://a",
        "--token-file", "t", "--tasks", "1", "--time", "00:01:00", "--", "--drain-seconds", "60");
    assertThat(parse("--server", "http://a", "--token-file", "t", "--tasks", "1", "--time", "00:02:00", "--",
        "--drain-seconds", "60").signalLead()).isEqualTo(Duration.ofSeconds(80));
    assertThat(Optional.of(SubmitOptions.timeLimit("0-00:00:01"))).contains(Duration.ofMinutes(1));
  }
}
