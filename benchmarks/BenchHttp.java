import io.sextant.evaluators.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The JSON-over-HTTP helper the benchmark programs in this folder share (the JDK launches them as multi-file source
 * programs, so a class here is compiled on demand): one server, one bearer token, an error for any status >= 300.
 */
final class BenchHttp {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static String base;
  static String token = System.getenv().getOrDefault("SEXTANT_TOKEN", "");

  private BenchHttp() {}

  static Object call(String method, String path, Object body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token);
    if (body != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
    }
    return r.body().isEmpty() ? Map.of() : Json.parse(r.body());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> obj(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) o;
  }
}
