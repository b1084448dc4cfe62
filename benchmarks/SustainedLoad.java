import io.sextant.evaluators.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sustained mixed load against a running search-api (in-process executor off), run with the JDK's source launcher
 * and the executor jar on the class path:
 *
 * <pre>java -cp evaluators/target/sextant-executor.jar benchmarks/SustainedLoad.java URL EXECUTOR_JAR SERVER_PID
 *     [minutes=10] [clients=32] [executors=8]</pre>
 *
 * <ul>
 *   <li>{@code clients} ask/tell clients, closed loop without think time, spread over four studies (random, sobol,
 *       2-objective nsga2, tsallis-inf over 8 arms): suggest (count 1, own workerId), two intermediate measurements,
 *       complete.
 *   <li>{@code executors} executor processes with 2 slots each, running two noop studies (80 ms per trial,
 *       a measurement every 20 ms) leased over REST.
 *   <li>4 UI pollers, each every 2 s doing what the study page does: list studies, the study, its last 1000 trials,
 *       /pareto or /best, /importance, /executors.
 * </ul>
 *
 * Every response other than 2xx counts as an error. Each minute it prints throughput, errors, p50/p99/max latency per
 * kind, the server's live heap right after a full GC (jcmd GC.run, then the Prometheus heap gauge), its RSS, Hikari
 * pool connections (active/total) and PostgreSQL's backend count; at the end the whole-run summary.
 */
public class SustainedLoad {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()).build();
  static final Pattern NUMBER = Pattern.compile("\"number\":(\\d+)");
  static final String TOKEN = System.getenv().getOrDefault("SEXTANT_TOKEN", "");
  static String base;
  static volatile boolean running = true;
  static final List<Process> PROCESSES = new CopyOnWriteArrayList<>();

  /** Latencies (microseconds) of one kind of request in the current minute and in the whole run. */
  static final class Kind {
    final String name;
    final List<long[]> minute = new ArrayList<>();
    long[] cur = new long[1 << 16];
    int n;
    final List<Long> all = new ArrayList<>();
    final AtomicLong errors = new AtomicLong();
    long errorsTotal;

    Kind(String name) {
      this.name = name;
    }

    synchronized void add(long micros) {
      if (n == cur.length) {
        cur = Arrays.copyOf(cur, n * 2);
      }
      cur[n++] = micros;
    }

    synchronized long[] take() {
      long[] out = Arrays.copyOf(cur, n);
      n = 0;
      for (long v : out) {
        all.add(v);
      }
      return out;
    }
  }

  static final Map<String, Kind> KINDS = new ConcurrentHashMap<>();
  static final List<String> ERROR_SAMPLES = new CopyOnWriteArrayList<>();

  static Kind kind(String name) {
    return KINDS.computeIfAbsent(name, Kind::new);
  }

  static String call(String kind, String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + TOKEN);
    if (body != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    long t0 = System.nanoTime();
    Kind k = kind(kind);
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      k.add((System.nanoTime() - t0) / 1000);
      // /best answers 404 until the study has a completed trial: a normal answer that the UI shows as such
      if (r.statusCode() >= 300 && !(r.statusCode() == 404 && path.endsWith("/best"))) {
        k.errors.incrementAndGet();
        if (ERROR_SAMPLES.size() < 20) {
          ERROR_SAMPLES.add(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return null;
      }
      return r.body();
    } catch (Exception e) {
      k.add((System.nanoTime() - t0) / 1000);
      k.errors.incrementAndGet();
      if (ERROR_SAMPLES.size() < 20) {
        ERROR_SAMPLES.add(method + " " + path + " -> " + e);
      }
      return null;
    }
  }

  static long createStudy(String body) {
    String r = call("setup", "POST", "/api/v1/studies", body);
    if (r == null) {
      throw new IllegalStateException("could not create a study: " + ERROR_SAMPLES);
    }
    return ((Number) ((Map<?, ?>) Json.parse(r)).get("id")).longValue();
  }

  static String floatSpace(int n) {
    List<String> ps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ps.add("{\"name\":\"x" + i + "\",\"type\":\"float\",\"low\":0,\"high\":1}");
    }
    return "{\"parameters\":[" + String.join(",", ps) + "]}";
  }

  public static void main(String[] args) throws Exception {
    base = args[0];
    String executorJar = args[1];
    long serverPid = Long.parseLong(args[2]);
    int minutes = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    int clients = args.length > 4 ? Integer.parseInt(args[4]) : 32;
    int executors = args.length > 5 ? Integer.parseInt(args[5]) : 8;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> PROCESSES.forEach(Process::destroyForcibly)));
    String tag = Long.toString(System.nanoTime(), 36);

    long[] askStudies = {
        createStudy("{\"name\":\"load-random-" + tag + "\",\"space\":" + floatSpace(4)
            + ",\"objectives\":[{\"metric\":\"loss\"}],\"algorithm\":{\"name\":\"random\"}}"),
        createStudy("{\"name\":\"load-sobol-" + tag + "\",\"space\":" + floatSpace(4)
            + ",\"objectives\":[{\"metric\":\"loss\"}],\"algorithm\":{\"name\":\"sobol\"}}"),
        createStudy("{\"name\":\"load-nsga2-" + tag + "\",\"space\":" + floatSpace(6)
            + ",\"objectives\":[{\"metric\":\"loss\"},{\"metric\":\"cost\"}],\"algorithm\":{\"name\":\"nsga2\"}}"),
        createStudy("{\"name\":\"load-bandit-" + tag + "\",\"space\":{\"parameters\":[{\"name\":\"arm\",\"type\":"
            + "\"categorical\",\"choices\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\"]}]}"
            + ",\"objectives\":[{\"metric\":\"loss\"}],\"algorithm\":{\"name\":\"tsallis-inf\"}}")};
    boolean[] twoObjectives = {false, false, true, false};
    long[] execStudies = new long[2];
    for (int i = 0; i < 2; i++) {
      execStudies[i] = createStudy("{\"name\":\"load-exec" + i + "-" + tag + "\",\"space\":" + floatSpace(3)
          + ",\"objectives\":[{\"metric\":\"loss\"}],\"algorithm\":{\"name\":\"random\"},\"evaluator\":{\"name\":"
          + "\"noop\",\"config\":{\"sleepMs\":80,\"reportEveryMs\":20}}}");
    }
    Path logs = Files.createTempDirectory("sustained");
    for (int i = 0; i < executors; i++) {
      PROCESSES.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:+UseSerialGC", "-Xmx128m", "-jar", executorJar, "--server", base, "--name", "load-" + i, "--slots", "2",
          "--gpus", "none", "--work-dir", logs.resolve("work" + i).toString())
          .redirectErrorStream(true).redirectOutput(logs.resolve("executor-" + i + ".log").toFile()).start());
    }
    System.out.printf("== %d ask/tell clients on studies %s, %d executors x 2 slots on %s, 4 UI pollers, %d min "
        + "(executor logs in %s)%n", clients, Arrays.toString(askStudies), executors, Arrays.toString(execStudies),
        minutes, logs);

    AtomicLong told = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int idx = c % askStudies.length;
      long study = askStudies[idx];
      String worker = "client-" + c;
      boolean two = twoObjectives[idx];
      threads.add(Thread.ofVirtual().start(() -> {
        java.util.SplittableRandom r = new java.util.SplittableRandom(worker.hashCode());
        String s = "/api/v1/studies/" + study;
        while (running) {
          String asked = call("suggest", "POST", s + "/suggestions", "{\"count\":1,\"workerId\":\"" + worker + "\"}");
          Matcher m = asked == null ? null : NUMBER.matcher(asked);
          if (m == null || !m.find()) {
            sleep(100);
            continue;
          }
          String t = s + "/trials/" + m.group(1);
          double loss = r.nextDouble();
          for (int step = 1; step <= 2 && running; step++) {
            call("measure", "POST", t + "/measurements", "{\"step\":" + step + ",\"values\":{\"loss\":"
                + (loss + 1.0 / step) + "}}");
          }
          String values = two ? "{\"loss\":" + loss + ",\"cost\":" + r.nextDouble() + "}" : "{\"loss\":" + loss + "}";
          if (call("complete", "POST", t + "/complete", "{\"values\":" + values + "}") != null) {
            told.incrementAndGet();
          }
        }
      }));
    }
    for (int p = 0; p < 4; p++) {
      long study = p % 2 == 0 ? askStudies[2] : askStudies[p % askStudies.length];
      boolean pareto = study == askStudies[2];
      threads.add(Thread.ofVirtual().start(() -> {
        String s = "/api/v1/studies/" + study;
        while (running) {
          long t0 = System.nanoTime();
          call("ui", "GET", "/api/v1/studies?limit=100", null);
          String st = call("ui", "GET", s, null);
          long issued = st == null ? 0 : ((Number) ((Map<?, ?>) Json.parse(st)).get("trialsIssued")).longValue();
          call("ui", "GET", s + "/trials?limit=1000&measurements=false&after=" + Math.max(0, issued - 1000), null);
          call("ui", "GET", s + (pareto ? "/pareto" : "/best"), null);
          call("ui", "GET", s + "/importance?objective=loss", null);
          call("ui", "GET", "/api/v1/executors", null);
          sleep(Math.max(0, 2000 - (System.nanoTime() - t0) / 1_000_000));
        }
      }));
    }

    long start = System.nanoTime();
    long lastTold = 0;
    long lastExec = 0;
    List<double[]> heap = new ArrayList<>();
    System.out.println("min | ask/tell/s | executor trials/s | UI polls | errors | suggest p50/p99/max ms | "
        + "complete p99 | measure p99 | ui p99 | live heap MB | RSS MB | hikari active/total | pg backends");
    for (int minute = 1; minute <= minutes; minute++) {
      sleep(start / 1_000_000 + minute * 60_000L - System.nanoTime() / 1_000_000);
      long toldNow = told.get();
      long execNow = 0;
      for (long st : execStudies) {
        String body = call("setup", "GET", "/api/v1/studies/" + st, null);
        if (body != null) {
          Object c = ((Map<?, ?>) ((Map<?, ?>) Json.parse(body)).get("trialCounts")).get("COMPLETED");
          execNow += c == null ? 0 : ((Number) c).longValue();
        }
      }
      Map<String, long[]> lat = new java.util.TreeMap<>();
      long errors = 0;
      for (Kind k : KINDS.values()) {
        lat.put(k.name, sorted(k.take()));
        long e = k.errors.getAndSet(0);
        k.errorsTotal += e;
        errors += e;
      }
      double liveMb = liveHeapMb(serverPid);
      double rssMb = rssMb(serverPid);
      heap.add(new double[] {minute, liveMb, rssMb});
      String prom = call("setup", "GET", "/actuator/prometheus", null);
      System.out.printf("%3d | %10.1f | %17.1f | %8d | %6d | %s | %s | %s | %s | %12.1f | %6.0f | %s | %s%n", minute,
          (toldNow - lastTold) / 60.0, (execNow - lastExec) / 60.0, lat.getOrDefault("ui", new long[0]).length / 6,
          errors, pcts(lat.get("suggest")), p99(lat.get("complete")), p99(lat.get("measure")), p99(lat.get("ui")),
          liveMb, rssMb, hikari(prom), pgBackends());
      lastTold = toldNow;
      lastExec = execNow;
    }
    running = false;
    for (Thread t : threads) {
      t.join(60_000);
    }
    PROCESSES.forEach(Process::destroy);
    for (Process p : PROCESSES) {
      p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
    }
    System.out.println("== whole run");
    long requests = 0;
    long errors = 0;
    for (Kind k : KINDS.values()) {
      long[] all = sorted(k.all.stream().mapToLong(Long::longValue).toArray());
      requests += all.length;
      errors += k.errorsTotal + k.errors.get();
      System.out.printf("%-9s requests %8d  errors %d  p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms%n", k.name,
          all.length, k.errorsTotal + k.errors.get(), pct(all, 0.5), pct(all, 0.95), pct(all, 0.99),
          all.length == 0 ? 0 : all[all.length - 1] / 1000.0);
    }
    System.out.printf("total requests %d, errors %d (%.4f%%), ask/tell trials %d, live heap after full GC: "
        + "minute 2 %.1f MB -> minute %d %.1f MB (max %.1f)%n", requests, errors, 100.0 * errors / Math.max(1, requests),
        told.get(), heap.size() > 1 ? heap.get(1)[1] : heap.get(0)[1], minutes, heap.getLast()[1],
        heap.stream().mapToDouble(h -> h[1]).max().orElse(0));
    ERROR_SAMPLES.forEach(e -> System.out.println("error sample: " + e));
    System.exit(0);
  }

  static void sleep(long ms) {
    if (ms <= 0) {
      return;
    }
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static long[] sorted(long[] a) {
    Arrays.sort(a);
    return a;
  }

  static double pct(long[] sorted, double p) {
    if (sorted == null || sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1000.0;
  }

  static String pcts(long[] s) {
    return String.format("%.0f/%.0f/%.0f", pct(s, 0.5), pct(s, 0.99), s == null || s.length == 0 ? 0 : s[s.length - 1] / 1000.0);
  }

  static String p99(long[] s) {
    return String.format("%.0f", pct(s, 0.99));
  }

  /** Full GC in the server (jcmd GC.run), then its heap in use: the live set, comparable minute to minute. */
  static double liveHeapMb(long pid) {
    try {
      String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
      new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true).start().waitFor();
      Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      Matcher m = Pattern.compile("used (\\d+)K").matcher(out);
      return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : Double.NaN;
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  static double rssMb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
      }
    } catch (Exception e) {
      // gone
    }
    return Double.NaN;
  }

  static String hikari(String prom) {
    if (prom == null) {
      return "?";
    }
    return gauge(prom, "hikaricp_connections_active") + "/" + gauge(prom, "hikaricp_connections{");
  }

  static String gauge(String prom, String name) {
    for (String line : prom.split("\n")) {
      if (line.startsWith(name.endsWith("{") ? name : name + "{") || line.startsWith(name + " ")) {
        return String.format("%.0f", Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return "?";
  }

  /** Backends of the embedded PostgreSQL (its postmaster's children), counted from /proc. */
  static String pgBackends() {
    try {
      String env = System.getenv("SEXTANT_PG_PID");
      if (env == null) {
        return "?";
      }
      long count = ProcessHandle.of(Long.parseLong(env)).map(h -> h.children().count()).orElse(-1L);
      return Long.toString(count);
    } catch (Exception e) {
      return "?";
    }
  }
}
