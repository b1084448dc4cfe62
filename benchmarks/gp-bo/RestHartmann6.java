import io.sextant.evaluators.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * gp-bo on Hartmann6 through the REST API, evaluated by the server's in-process executor (issue 3's "same through
 * the REST API"): one study per seed with evaluator hartmann6, maxTrials 100, maxParallel 1 (sequential BO as in
 * the engine benchmark), all seeds' studies running at once; prints each seed's simple regret (best - (-3.32237))
 * and the median. Run with the JDK's source launcher and the executor jar on the class path (for its JSON reader):
 *
 * <pre>java -cp evaluators/target/sextant-executor.jar benchmarks/gp-bo/RestHartmann6.java URL [seeds=10]</pre>
 */
public class RestHartmann6 {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final double OPTIMUM = -3.32237;

  static Object call(String base, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + System.getenv().getOrDefault("SEXTANT_TOKEN", ""));
    b = body == null ? b.GET() : b.header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
    }
    return Json.parse(r.body());
  }

  public static void main(String[] args) throws Exception {
    String base = args[0];
    int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    List<String> params = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      params.add("{\"name\":\"x" + i + "\",\"type\":\"float\",\"low\":0,\"high\":1}");
    }
    long t0 = System.nanoTime();
    long[] ids = new long[seeds];
    for (int s = 0; s < seeds; s++) {
      String body = "{\"name\":\"h6-rest-" + (s + 1) + "-" + System.nanoTime() + "\",\"space\":{\"parameters\":["
          + String.join(",", params) + "]},\"objectives\":[{\"metric\":\"value\"}],\"algorithm\":{\"name\":"
          + "\"gp-bo\",\"options\":{\"seed\":" + (s + 1) + "}},\"evaluator\":{\"name\":\"hartmann6\"},"
          + "\"limits\":{\"maxTrials\":100,\"maxParallel\":1}}";
      ids[s] = ((Number) ((Map<?, ?>) call(base, "POST", "/api/v1/studies", body)).get("id")).longValue();
    }
    double[] regret = new double[seeds];
    for (int s = 0; s < seeds; s++) {
      while (!"COMPLETED".equals(((Map<?, ?>) call(base, "GET", "/api/v1/studies/" + ids[s], null)).get("state"))) {
        Thread.sleep(500);
      }
      Map<?, ?> best = (Map<?, ?>) call(base, "GET", "/api/v1/studies/" + ids[s] + "/best", null);
      double v = ((Number) ((Map<?, ?>) best.get("values")).get("value")).doubleValue();
      regret[s] = v - OPTIMUM;
      System.out.printf("seed %2d: best %.6f, regret %.3g%n", s + 1, v, regret[s]);
    }
    double[] sorted = regret.clone();
    Arrays.sort(sorted);
    double median = seeds % 2 == 1 ? sorted[seeds / 2] : (sorted[seeds / 2 - 1] + sorted[seeds / 2]) / 2;
    System.out.printf("gp-bo via REST + in-process executor, Hartmann6 @100, %d seeds: median regret %.3g, mean %.3g "
        + "(%.0f s wall for all studies at once)%n", seeds, median, Arrays.stream(regret).average().orElse(0),
        (System.nanoTime() - t0) / 1e9);
  }
}
