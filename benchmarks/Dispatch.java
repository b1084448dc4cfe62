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
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Dispatch overhead of executor nodes against a running search-api (in-process executor off), with the JDK's source
 * launcher and the executor jar on the class path (for its JSON reader):
 *
 * <pre>java -cp evaluators/target/sextant-executor.jar benchmarks/Dispatch.java URL EXECUTOR_JAR [seconds=20]
 *     [leaseSeconds=3] [shapes]</pre>
 *
 * (with {@code shapes}, e.g. {@code 4x16,1x8}: only the throughput of those process x slot shapes, for profiling)
 *
 * <ol>
 *   <li>Throughput: no-op trials (noop evaluator, sleepMs 0, random designer) completed per second, end to end
 *       (lease, evaluate, complete over REST, the next lease), with 1 slot (1 process x 1), 8 slots (1 x 8) and 64
 *       slots (4 processes x 16). Counted from the study's COMPLETED count over the measured window, after a
 *       warm-up.
 *   <li>Lease handoff latency: trials enqueued one at a time (POST /trials, WAITING) at a steady rate below
 *       capacity while one executor with 8 slots long-polls; latency = startedAt - createdAt of each trial as the
 *       API reports them (the server's timestamps). The study's designer is kept out of it: maxTrials 1, and that
 *       one trial is held by an ask/tell client until the end.
 *   <li>Kill -9 to re-dispatch: a noop trial (sleepMs 60000) runs on one of two 1-slot executors; that process is
 *       killed with SIGKILL; the time until the trial is RUNNING again (attempt 2, its startedAt) is reported. Target:
 *       within the server's lease (leaseSeconds, which must match the server's sextant.dispatch.lease-seconds) + 1 s.
 * </ol>
 */
public class Dispatch {
  static String base;
  static String executorJar;
  static double leaseSeconds;
  static Path logs;
  static int spawned;
  /** Every executor process started, killed at exit whatever happens. */
  static final List<Process> ALL = java.util.Collections.synchronizedList(new ArrayList<>());
  /** Each phase's executors carry label bench=&lt;phase&gt; and its study requires it: strays cannot interfere. */
  static String phase = "none";

  public static void main(String[] args) throws Exception {
    base = args[0];
    BenchHttp.base = base;
    executorJar = args[1];
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    leaseSeconds = args.length > 3 ? Double.parseDouble(args[3]) : 3;
    logs = Files.createTempDirectory("dispatch-bench");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.forEach(Process::destroyForcibly)));
    System.out.println("executor logs in " + logs);

    if (args.length > 4 && args[4].equals("handoff")) { // only the handoff measurement
      handoff(8, 20, Math.max(5, seconds / 2));
      return;
    }
    if (args.length > 4) { // only these throughput shapes, e.g. "4x16,1x8" (for profiling)
      for (String shape : args[4].split(",")) {
        String[] pn = shape.split("x");
        throughput(Integer.parseInt(pn[0]), Integer.parseInt(pn[1]), seconds);
      }
      return;
    }
    for (int[] shape : new int[][] {{1, 1}, {1, 8}, {4, 16}}) {
      throughput(shape[0], shape[1], seconds);
    }
    handoff(8, 20, Math.max(5, seconds / 2));
    for (int i = 0; i < 3; i++) {
      redispatch();
    }
  }

  static long createStudy(String name, Map<String, Object> noopConfig, Map<String, Object> limits) throws Exception {
    Map<String, Object> body = Map.of(
        "name", name + "-" + System.nanoTime(),
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "loss")),
        "algorithm", Map.of("name", "random"),
        "evaluator", Map.of("name", "noop", "config", noopConfig),
        "resources", Map.of("labels", Map.of("bench", phase)),
        "limits", limits);
    return ((Number) BenchHttp.obj(BenchHttp.call("POST", "/api/v1/studies", body)).get("id")).longValue();
  }

  static long completed(long study) throws Exception {
    Object c = BenchHttp.obj(BenchHttp.obj(BenchHttp.call("GET", "/api/v1/studies/" + study, null)).get("trialCounts")).get("COMPLETED");
    return c == null ? 0 : ((Number) c).longValue();
  }

  /** A trial, or an empty map while it does not exist yet. */
  static Map<String, Object> trial(long study, long number) throws Exception {
    HttpResponse<String> r = BenchHttp.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/studies/" + study
        + "/trials/" + number + "?measurements=false"))
        .header("Authorization", "Bearer " + System.getenv().getOrDefault("SEXTANT_TOKEN", "")).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 404 ? Map.of() : BenchHttp.obj(Json.parse(r.body()));
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

  // ---------------------------------------------------------------- executors

  static Process executor(int slots, String... more) throws Exception {
    String name = "bench-" + (spawned++);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-jar", executorJar, "--server", base, "--name", name, "--slots", Integer.toString(slots),
        "--gpus", "none", "--lease-seconds", Double.toString(leaseSeconds), "--poll-seconds", "5",
        "--drain-seconds", "2", "--work-dir", logs.resolve("work").toString(), "--labels", "bench=" + phase));
    cmd.addAll(List.of(more));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(logs.resolve(name + ".log").toFile()).start();
    ALL.add(p);
    long end = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < end) {
      for (Object e : BenchHttp.list(BenchHttp.obj(BenchHttp.call("GET", "/api/v1/executors", null)).get("executors"))) {
        if (name.equals(BenchHttp.obj(e).get("name"))) {
          return p;
        }
      }
      if (!p.isAlive()) {
        throw new IllegalStateException(name + " exited; see " + logs.resolve(name + ".log"));
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(name + " did not register");
  }

  static String executorName(String id) throws Exception {
    for (Object e : BenchHttp.list(BenchHttp.obj(BenchHttp.call("GET", "/api/v1/executors", null)).get("executors"))) {
      if (id.equals(BenchHttp.obj(e).get("id"))) {
        return (String) BenchHttp.obj(e).get("name");
      }
    }
    return null;
  }

  static void stop(List<Process> ps) throws Exception {
    ps.forEach(Process::destroy); // SIGTERM: drain and deregister
    for (Process p : ps) {
      if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
  }

  // ---------------------------------------------------------------- the measurements

  static void throughput(int processes, int slots, int seconds) throws Exception {
    phase = "throughput-" + processes + "x" + slots + "-" + System.nanoTime();
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      ps.add(executor(slots));
    }
    long study = createStudy("dispatch-" + processes + "x" + slots, Map.of("sleepMs", 0, "reportEveryMs", 0),
        Map.of("maxAttempts", 3));
    Thread.sleep(Math.max(3000, seconds * 200L)); // warm-up: JIT of server and executors
    long c0 = completed(study);
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long c1 = completed(study);
    double dt = (System.nanoTime() - t0) / 1e9;
    BenchHttp.call("POST", "/api/v1/studies/" + study + "/pause", null);
    stop(ps);
    System.out.printf("throughput: %d slot(s) (%d process(es) x %d): %.1f no-op trials/s (%d trials in %.1f s)%n",
        processes * slots, processes, slots, (c1 - c0) / dt, c1 - c0, dt);
  }

  static void handoff(int slots, double perSecond, int seconds) throws Exception {
    phase = "handoff-" + System.nanoTime();
    long study = createStudy("handoff", Map.of("sleepMs", 0, "reportEveryMs", 0), Map.of("maxTrials", 1));
    // the designer's one trial goes to an ask/tell client that holds it: no designer trials, the study stays open
    Object asked = BenchHttp.call("POST", "/api/v1/studies/" + study + "/suggestions", Map.of("count", 1, "workerId", "holder"));
    long held = ((Number) BenchHttp.obj(BenchHttp.list(BenchHttp.obj(asked).get("trials")).get(0)).get("number")).longValue();
    List<Process> ps = List.of(executor(slots));
    Thread.sleep(2000);
    int n = (int) (perSecond * seconds);
    long period = (long) (1e9 / perSecond);
    long next = System.nanoTime();
    for (int i = 0; i < n; i++) {
      BenchHttp.call("POST", "/api/v1/studies/" + study + "/trials", Map.of("params", Map.of("x", (i % 100) / 100.0)));
      next += period;
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      }
    }
    long end = System.nanoTime() + 60_000_000_000L;
    while (completed(study) < n && System.nanoTime() < end) {
      Thread.sleep(200);
    }
    List<Double> ms = new ArrayList<>();
    for (Map<String, Object> t : trials(study)) {
      if (((Number) t.get("number")).longValue() == held || t.get("startedAt") == null) {
        continue;
      }
      Instant created = OffsetDateTime.parse((String) t.get("createdAt")).toInstant();
      Instant started = OffsetDateTime.parse((String) t.get("startedAt")).toInstant();
      ms.add(Duration.between(created, started).toNanos() / 1e6);
    }
    BenchHttp.call("POST", "/api/v1/studies/" + study + "/trials/" + held + "/complete", Map.of("values", Map.of("loss", 0)));
    stop(ps);
    Collections.sort(ms);
    System.out.printf("lease handoff (WAITING -> RUNNING, %d trials enqueued at %.0f/s, 1 executor x %d slots): "
            + "p50 %.1f ms, p95 %.1f ms, max %.1f ms, %d over 100 ms%n", ms.size(), perSecond, slots, pct(ms, 50),
        pct(ms, 95), ms.getLast(), ms.stream().filter(x -> x > 100).count());
  }

  static double pct(List<Double> sorted, double p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  static void redispatch() throws Exception {
    phase = "redispatch-" + System.nanoTime();
    Process a = executor(1);
    Process b = executor(1);
    String nameA = "bench-" + (spawned - 2);
    long study = createStudy("redispatch", Map.of("sleepMs", 60_000, "reportEveryMs", 0),
        Map.of("maxTrials", 1, "maxAttempts", 3));
    Map<String, Object> t;
    do {
      Thread.sleep(50);
      t = trial(study, 1);
    } while (!"RUNNING".equals(t.get("state")));
    Thread.sleep(1500); // well into the trial, between heartbeats
    Process victim = nameA.equals(executorName((String) t.get("executorId"))) ? a : b;
    Process other = victim == a ? b : a;
    Instant killed = Instant.now();
    victim.destroyForcibly(); // SIGKILL
    victim.waitFor();
    long end = System.nanoTime() + 60_000_000_000L;
    do {
      Thread.sleep(20);
      t = trial(study, 1);
    } while (!("RUNNING".equals(t.get("state")) && ((Number) t.get("attempt")).intValue() == 2)
        && System.nanoTime() < end);
    Instant restarted = OffsetDateTime.parse((String) t.get("startedAt")).toInstant();
    double s = Duration.between(killed, restarted).toMillis() / 1000.0;
    BenchHttp.call("POST", "/api/v1/studies/" + study + "/pause", null);
    stop(List.of(other));
    System.out.printf("kill -9 -> re-dispatch: %.2f s (lease %.1f s; target <= %.1f s: %s)%n", s, leaseSeconds,
        leaseSeconds + 1, s <= leaseSeconds + 1 ? "met" : "MISSED");
  }
}
