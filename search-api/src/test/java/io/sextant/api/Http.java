package io.sextant.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP client against the running service (no MockMvc): what a user's script would do. */
public final class Http {
  public static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** The admin token the test profile installs at first start (sextant.admin-token). */
  public static final String ADMIN_TOKEN = "sxt_test_admin_token_for_tests_only";
  private final String base;
  private final String token;

  /** A client authenticated as the test admin. */
  public Http(int port) {
    this(port, ADMIN_TOKEN);
  }

  /** A client with the given bearer token, or none when null. */
  public Http(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  /** A response: status, content type and body (parsed when JSON). */
  public record Res(int status, String contentType, String text, java.net.http.HttpHeaders headers) {
    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    public JsonNode json() {
      return JSON.readTree(text);
    }

    public String field() {
      JsonNode f = json().get("field");
      return f == null ? null : f.asString();
    }
  }

  public Res get(String path) {
    return send(request(path).GET().build());
  }

  public Res delete(String path) {
    return send(request(path).DELETE().build());
  }

  public Res post(String path, Object body) {
    String text = body instanceof String s ? s : JSON.writeValueAsString(body);
    return post(path, text, "application/json");
  }

  public Res patch(String path, String body) {
    return send(request(path).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
  }

  public Res post(String path, String body, String contentType) {
    return send(request(path).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  public Res send(HttpRequest req) {
    try {
      HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
      return new Res(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r.headers());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
