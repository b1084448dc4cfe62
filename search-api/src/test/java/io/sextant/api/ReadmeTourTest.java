package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The README's curl tour runs as written: its bash block, extracted from README.md, runs as a script (with
 * {@code set -euo pipefail}, so every refused call fails it: the tour's curl uses --fail-with-body) twice against
 * this started server, and ends with the multi-objective Pareto read-out of the study it created.
 */
class ReadmeTourTest extends ApiTestBase {

  static Path root() {
    Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    return Files.exists(here.resolve("README.md")) ? here : here.getParent();
  }

  /** The first bash block after the tour's heading. */
  static String tour() throws Exception {
    String readme = Files.readString(root().resolve("README.md"));
    int heading = readme.indexOf("## A five-minute tour with curl");
    assertThat(heading).as("the tour's heading").isGreaterThan(0);
    Matcher m = Pattern.compile("(?s)```bash\n(.*?)```").matcher(readme);
    assertThat(m.find(heading)).as("a bash block in the tour").isTrue();
    return m.group(1);
  }

  record Run(int exit, String out) {}

  /** Runs the script with {@code set -euo pipefail} (at most 5 minutes); its exit status and output. */
  private Run run(Path script, String token) throws Exception {
    Path dir = script.getParent();
    Path out = Files.createTempFile(dir, "out", ".txt");
    ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", script.toString()).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(
            new java.io.File("/dev/null")));
    pb.environment().put("TOKEN", token);
    pb.environment().put("SEXTANT", "http://127.0.0.1:" + port);
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      return new Run(-1, "timed out after 300 s:\n" + Files.readString(out));
    }
    return new Run(p.exitValue(), Files.readString(out));
  }

  private static Path script() throws Exception {
    Path script = Files.createTempDirectory("readme-tour").resolve("tour.sh");
    Files.writeString(script, tour());
    return script;
  }

  @Test
  void theTourRunsAsWrittenTwice() throws Exception {
    String tour = tour();
    assertThat(tour).doesNotContain("alias ").contains("--fail-with-body");
    Path script = script();
    List<String> studies = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      Run r = run(script, Http.ADMIN_TOKEN);
      assertThat(r.exit()).as("run " + i + " of the tour:\n" + r.out()).isZero();
      String[] lines = r.out().strip().split("\n");
      // the last answer is the Pareto read-out of the zdt1 study: two objectives, a front, a hypervolume
      JsonNode pareto = Http.JSON.readTree(lines[lines.length - 1]);
      assertThat(pareto.get("referencePoint")).as(r.out()).hasSize(2);
      assertThat(pareto.get("hypervolume").asDouble()).isPositive();
      assertThat(pareto.get("trials").size()).isGreaterThan(1);
      for (JsonNode t : pareto.get("trials")) {
        assertThat(t.get("values").has("f1") && t.get("values").has("f2")).isTrue();
      }
      Matcher m = Pattern.compile("study (demo-\\S+) is \\S+/studies/(\\d+)").matcher(r.out());
      assertThat(m.find()).as(r.out()).isTrue();
      JsonNode demo = http.get("/api/v1/studies/" + m.group(2)).json();
      assertThat(demo.get("name").asString()).isEqualTo(m.group(1));
      assertThat(demo.get("trialCounts").get("COMPLETED").asLong()).isEqualTo(1);
      assertThat(demo.get("limits").get("heartbeatSeconds").asInt()).isEqualTo(600);
      studies.add(m.group(1));
    }
    assertThat(studies.get(0)).isNotEqualTo(studies.get(1));
  }

  @Test
  void theTourStopsAtTheFirstRefusedCall() throws Exception {
    Run r = run(script(), "sxt_not_a_token");
    assertThat(r.exit()).as(r.out()).isPositive();
    assertThat(r.out()).contains("401").doesNotContain("study demo-");
  }

  /** The other commands the README gives: the executor runs through ./sextant (JDK 25), apt waits for its lock. */
  @Test
  void theExecutorCommandUsesTheLauncherAndTheLauncherWaitsForTheAptLock() throws Exception {
    String readme = Files.readString(root().resolve("README.md"));
    assertThat(readme).contains("./sextant executor --server").doesNotContain("java -jar");
    // read, not run (installing packages is no test's business): every apt-get call goes through APT, which waits
    // for a held dpkg/apt lock (apt-get -o DPkg::Lock::Timeout); apt_install says so when the lock is held
    String script = Files.readString(root().resolve("sextant"));
    List<String> aptCalls = new ArrayList<>();
    for (String line : script.split("\n")) {
      if (line.contains("apt-get") && !line.strip().startsWith("#") && !line.contains("echo ")) {
        aptCalls.add(line.strip());
      }
    }
    assertThat(aptCalls).containsExactly("APT=(apt-get -o \"DPkg::Lock::Timeout=$APT_LOCK_WAIT\" -q)");
    assertThat(script).contains("APT_LOCK_WAIT=${APT_LOCK_WAIT:-300}").contains("\"${APT[@]}\" install -y")
        .contains("waiting up to $APT_LOCK_WAIT s");
  }
}
