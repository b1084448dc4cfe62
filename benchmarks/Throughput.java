import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ask+tell throughput over HTTP against a running Sextant (random designer, 2 float parameters, the same problem as
 * shared/peers/optuna_rdb.py). Run with the JDK's source launcher:
 *
 * <pre>SEXTANT_TOKEN=... java benchmarks/Throughput.java http://127.0.0.1:18080 [seconds=20] [growTo=100000]</pre>
 *
 * Prints ask+tell per second with 1, 4 and 16 concurrent clients (each client: ask count=1 with its workerId, then
 * complete), then the 16-client figure on a study holding ~1k trials and again after it has grown to growTo trials.
 */
public class Throughput {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final Pattern NUMBER = Pattern.compile("\"number\":(\\d+)");
  static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
  static String base;
  static final String TOKEN = System.getenv().getOrDefault("SEXTANT_TOKEN", "");

  public static void main(String[] args) throws Exception {
    base = args[0];
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    long growTo = args.length > 2 ? Long.parseLong(args[2]) : 100_000;
    for (int clients : new int[] {1, 4, 16}) {
      long study = createStudy("tp" + clients + "-" + System.nanoTime());
      run(study, clients, 10, false); // warm-up (the JIT needs a few thousand requests on 2 cores)
      double rate = run(study, clients, seconds, true);
      System.out.printf("sextant HTTP random designer: %d clients, %.1f ask+tell/s%n", clients, rate);
    }
    long study = createStudy("grow-" + System.nanoTime());
    fill(study, 1_000);
    System.out.printf("sextant 16 clients at %d trials: %.1f ask+tell/s%n", 1_000, run(study, 16, seconds, true));
    fill(study, growTo);
    System.out.printf("sextant 16 clients at %d trials: %.1f ask+tell/s%n", growTo, run(study, 16, seconds, true));
    System.out.println("requests: " + requests.get());
  }

  /** Every HTTP request sent (for the server's CPU time per request, printed at the end). */
  static final AtomicLong requests = new AtomicLong();

  static String post(String path, String body) throws Exception {
    requests.incrementAndGet();
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  static long createStudy(String name) throws Exception {
    String body = "{\"name\":\"" + name + "\",\"space\":{\"parameters\":["
        + "{\"name\":\"x\",\"type\":\"float\",\"low\":-5,\"high\":5},"
        + "{\"name\":\"y\",\"type\":\"float\",\"low\":-5,\"high\":5}]},"
        + "\"objectives\":[{\"metric\":\"loss\"}],\"algorithm\":{\"name\":\"random\"}}";
    Matcher m = ID.matcher(post("/api/v1/studies", body));
    m.find();
    return Long.parseLong(m.group(1));
  }

  static AtomicLong total = new AtomicLong();

  /** One ask+tell for a worker; returns false when the study gave no trial. */
  static boolean askTell(long study, String worker) throws Exception {
    String ask = post("/api/v1/studies/" + study + "/suggestions", "{\"count\":1,\"workerId\":\"" + worker + "\"}");
    Matcher m = NUMBER.matcher(ask);
    if (!m.find()) {
      return false;
    }
    long n = Long.parseLong(m.group(1));
    post("/api/v1/studies/" + study + "/trials/" + n + "/complete", "{\"values\":{\"loss\":" + (n % 97) + "}}");
    total.incrementAndGet();
    return true;
  }

  static double run(long study, int clients, int seconds, boolean measure) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong done = new AtomicLong();
    List<Thread> ts = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      String worker = "w" + c + "-" + System.nanoTime();
      ts.add(Thread.ofPlatform().start(() -> {
        try {
          while (System.nanoTime() < end) {
            if (askTell(study, worker)) {
              done.incrementAndGet();
            }
          }
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }));
    }
    for (Thread t : ts) {
      t.join();
    }
    return done.get() / ((System.nanoTime() - t0) / 1e9);
  }

  /** Grows the study to n trials quickly: batch asks of 500, then a tell for each. */
  static void fill(long study, long n) throws Exception {
    long have = total.get();
    List<Thread> ts = new ArrayList<>();
    AtomicLong issued = new AtomicLong(countIssued(study));
    for (int c = 0; c < 8; c++) {
      ts.add(Thread.ofPlatform().start(() -> {
        try {
          while (issued.get() < n) {
            int k = (int) Math.min(500, n - issued.get());
            if (k <= 0) {
              break;
            }
            String ask = post("/api/v1/studies/" + study + "/suggestions", "{\"count\":" + k + "}");
            Matcher m = NUMBER.matcher(ask);
            while (m.find()) {
              long num = Long.parseLong(m.group(1));
              post("/api/v1/studies/" + study + "/trials/" + num + "/complete", "{\"values\":{\"loss\":1}}");
              issued.incrementAndGet();
            }
          }
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }));
    }
    for (Thread t : ts) {
      t.join();
    }
    total.set(have);
  }

  static long countIssued(long study) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/studies/" + study))
        .header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("\"trialsIssued\":(\\d+)").matcher(r.body());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
