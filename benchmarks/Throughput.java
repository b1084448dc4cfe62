import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
 * Every answer is read in full and checked: a status >= 300 stops the run, an ask must return a trial number and a
 * tell the trial COMPLETED.
 */
public class Throughput {
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
    Http.Response r = Http.current().send("POST", path, body);
    if (r.status() >= 300) {
      throw new IllegalStateException(path + " -> " + r.status() + " " + r.body());
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
    String told = post("/api/v1/studies/" + study + "/trials/" + n + "/complete",
        "{\"values\":{\"loss\":" + (n % 97) + "}}");
    if (!told.contains("\"state\":\"COMPLETED\"")) {
      throw new IllegalStateException("trial " + n + " not completed: " + told);
    }
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
    Http.Response r = Http.current().send("GET", "/api/v1/studies/" + study, null);
    Matcher m = Pattern.compile("\"trialsIssued\":(\\d+)").matcher(r.body());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  /**
   * A minimal HTTP/1.1 client: one persistent connection per thread, requests with a Content-Length body, responses
   * read in full (Content-Length or chunked) before the next request. The JDK's HttpClient spends about as much CPU
   * per request as the server does (its selector thread, futures and HTTP/2 upgrade machinery), and on a 2-core
   * machine the clients' CPU is taken from the server: this client does the same HTTP exchange with less of it.
   */
  static final class Http {
    record Response(int status, String body) {}

    private static final ThreadLocal<Http> CONNECTIONS = ThreadLocal.withInitial(Http::new);
    private final URI uri = URI.create(base);
    private final byte[] authorization = ("Authorization: Bearer " + TOKEN + "\r\n").getBytes(StandardCharsets.US_ASCII);
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final ByteArrayOutputStream request = new ByteArrayOutputStream(512);

    static Http current() {
      return CONNECTIONS.get();
    }

    Response send(String method, String path, String body) throws IOException {
      if (socket == null) {
        socket = new Socket(uri.getHost(), uri.getPort());
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 16384);
        out = socket.getOutputStream();
      }
      byte[] content = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
      request.reset();
      ascii(method + " " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n");
      request.write(authorization);
      if (content != null) {
        ascii("Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n");
      }
      ascii("\r\n");
      if (content != null) {
        request.write(content);
      }
      request.writeTo(out);
      out.flush();
      String status = line();
      if (!status.startsWith("HTTP/1.1 ")) {
        throw new IOException("not an HTTP/1.1 response: " + status);
      }
      int code = Integer.parseInt(status.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      boolean close = false;
      for (String h = line(); !h.isEmpty(); h = line()) {
        int colon = h.indexOf(':');
        String name = h.substring(0, colon).trim();
        String value = h.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Content-Length")) {
          length = Long.parseLong(value);
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
          chunked = value.equalsIgnoreCase("chunked");
        } else if (name.equalsIgnoreCase("Connection")) {
          close = value.equalsIgnoreCase("close");
        }
      }
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      if (chunked) {
        for (int n = Integer.parseInt(line().split(";")[0].trim(), 16); n > 0;
            n = Integer.parseInt(line().split(";")[0].trim(), 16)) {
          b.write(in.readNBytes(n));
          line();
        }
        while (!line().isEmpty()) {
          // trailers
        }
      } else if (length >= 0) {
        b.write(in.readNBytes((int) length));
      } else {
        b.write(in.readAllBytes());
        close = true;
      }
      if (close) {
        socket.close();
        socket = null;
      }
      return new Response(code, b.toString(StandardCharsets.UTF_8));
    }

    private void ascii(String s) {
      request.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    private String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new IOException("connection closed by the server");
        }
        if (c != '\r') {
          sb.append((char) c);
        }
      }
      return sb.toString();
    }
  }
}
