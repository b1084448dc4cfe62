import io.sextant.evaluators.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Executors through a Slurm job array against the same executors started directly (the peer, same run), on a
 * running search-api and Slurm cluster (benchmarks/slurm.sh sets both up), with the JDK's source launcher:
 *
 * <pre>java -cp evaluators/target/sextant-executor.jar benchmarks/SlurmArray.java URL EXECUTOR_JAR TOKEN_FILE
 *     [tasks=3] [slots=2] [trials=1000] [rounds=direct,slurm,direct,slurm]</pre>
 *
 * For each round (the way executors start: direct or slurm, alternating so the server's warm-up and the machine's
 * load drift hit both): a noop study (sleepMs 0, random designer) of {@code trials}
 * trials that only this round's executors can lease (label), created before the executors exist; then either
 * {@code ./sextant slurm submit --tasks T --slots S --idle-exit 5} or T executor processes with --slots S and the
 * same flags. Reports the time from submit (or process start) to the first lease (the first trial's startedAt, the
 * server's clock, same machine) and no-op trials per second after the first tenth of the trials (start-up ramp
 * left out): (trials - trials/10) / (last finishedAt - finishedAt of trial number trials/10 in finishing order).
 */
public class SlurmArray {
  static String base;
  static final List<Process> ALL = java.util.Collections.synchronizedList(new ArrayList<>());

  public static void main(String[] args) throws Exception {
    base = args[0];
    BenchHttp.base = base;
    String jar = args[1];
    Path tokenFile = Path.of(args[2]);

    int tasks = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    int slots = args.length > 4 ? Integer.parseInt(args[4]) : 2;
    int trials = args.length > 5 ? Integer.parseInt(args[5]) : 1000;
    List<String> rounds = List.of((args.length > 6 ? args[6] : "direct,slurm,direct,slurm").split(","));
    Path logs = Files.createTempDirectory("slurm-bench");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.forEach(Process::destroyForcibly)));
    System.out.println("outputs in " + logs + "; " + tasks + " executors x " + slots + " slots, " + trials
        + " no-op trials per round");
    List<String> flags = List.of("--lease-seconds", "3", "--poll-seconds", "5", "--drain-seconds", "2");
    for (String way : rounds) {
      String label = way + "-" + System.nanoTime();
      long study = createStudy(label, trials);
      Instant t0 = Instant.now();
      List<Process> direct = new ArrayList<>();
      if (way.equals("slurm")) {
        List<String> cmd = new ArrayList<>(List.of(Path.of("sextant").toAbsolutePath().toString(), "slurm", "submit", "--server", base, "--token-file",
            tokenFile.toString(), "--tasks", Integer.toString(tasks), "--slots", Integer.toString(slots),
            "--labels", "bench=" + label, "--idle-exit", "5", "--"));
        cmd.addAll(flags);
        Process p = new ProcessBuilder(cmd).directory(logs.toFile()).redirectErrorStream(true)
            .redirectOutput(logs.resolve("submit-" + label + ".txt").toFile()).start();
        // ./sextant cds to its own directory; it runs sbatch from the caller's, here the logs directory
        p.waitFor(120, TimeUnit.SECONDS);
        if (p.exitValue() != 0) {
          throw new IllegalStateException("submit failed: " + Files.readString(logs.resolve("submit-" + label
              + ".txt")));
        }
      } else {
        for (int i = 0; i < tasks; i++) {
          List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
              .toString(), "--enable-native-access=ALL-UNNAMED", "-cp", jar,
              "io.sextant.evaluators.executor.ExecutorMain", "--server", base, "--name", label + "-" + i, "--slots",
              Integer.toString(slots), "--gpus", "none", "--labels", "bench=" + label, "--work-dir",
              logs.resolve("work-" + label + "-" + i).toString()));
          cmd.addAll(flags);
          ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
              .redirectOutput(logs.resolve(label + "-" + i + ".log").toFile());
          pb.environment().put("SEXTANT_TOKEN", Files.readString(tokenFile).strip());
          Process p = pb.start();
          ALL.add(p);
          direct.add(p);
        }
      }
      long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (!state(study).equals("COMPLETED")) {
        if (System.nanoTime() > end) {
          throw new IllegalStateException(way + ": study " + study + " not done after 10 minutes");
        }
        Thread.sleep(200);
      }
      for (Process p : direct) {
        p.destroy(); // SIGTERM: drain
        p.waitFor(30, TimeUnit.SECONDS);
      }
      List<Instant> starts = new ArrayList<>();
      List<Instant> ends = new ArrayList<>();
      for (Map<String, Object> t : trials(study)) {
        starts.add(OffsetDateTime.parse((String) t.get("startedAt")).toInstant());
        ends.add(OffsetDateTime.parse((String) t.get("finishedAt")).toInstant());
      }
      starts.sort(null);
      ends.sort(null);
      int skip = trials / 10;
      double rate = (trials - skip) / (Duration.between(ends.get(skip - 1), ends.getLast()).toNanos() / 1e9);
      System.out.printf("%-6s: %s -> first lease %.2f s; %.0f no-op trials/s (%d trials, first tenth left out)%n",
          way, way.equals("slurm") ? "submit" : "process start", Duration.between(t0, starts.getFirst()).toMillis()
              / 1000.0, rate, trials);
      if (way.equals("slurm")) { // the array ends by --idle-exit; give it time so rounds do not overlap
        Thread.sleep(8000);
      }
    }
  }

  static long createStudy(String label, int trials) throws Exception {
    Map<String, Object> body = Map.of(
        "name", label,
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "loss")),
        "algorithm", Map.of("name", "random"),
        "evaluator", Map.of("name", "noop", "config", Map.of("sleepMs", 0)),
        "resources", Map.of("labels", Map.of("bench", label)),
        "limits", Map.of("maxTrials", trials));
    return ((Number) BenchHttp.obj(BenchHttp.call("POST", "/api/v1/studies", body)).get("id")).longValue();
  }

  static String state(long study) throws Exception {
    return (String) BenchHttp.obj(BenchHttp.call("GET", "/api/v1/studies/" + study, null)).get("state");
  }

  static List<Map<String, Object>> trials(long study) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    long after = 0;
    while (true) {
      Map<String, Object> page = BenchHttp.obj(BenchHttp.call("GET", "/api/v1/studies/" + study
          + "/trials?limit=1000&measurements=false&after=" + after, null));
      List<Object> ts = BenchHttp.list(page.get("trials"));
      ts.forEach(t -> out.add(BenchHttp.obj(t)));
      if (page.get("next") == null || ts.isEmpty()) {
        return out;
      }
      after = ((Number) page.get("next")).longValue();
    }
  }
}
