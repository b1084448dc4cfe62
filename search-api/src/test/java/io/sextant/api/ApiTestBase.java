package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Integration tests against the real service: real HTTP, real PostgreSQL (embedded binaries, one server per JVM,
 * a fresh database per application context), the in-process executor on.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class ApiTestBase {
  @LocalServerPort
  protected int port;

  protected Http http;

  @BeforeEach
  void client() {
    http = new Http(port);
  }

  protected static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The study body of the example, with a unique name and given algorithm/evaluator. */
  protected static Map<String, Object> demoStudy(String name) {
    return new java.util.LinkedHashMap<>(Map.of(
        "name", name,
        "space", Map.of("parameters", List.of(
            Map.of("name", "lr", "type", "float", "low", 1e-5, "high", 0.1, "log", true),
            Map.of("name", "layers", "type", "int", "low", 1, "high", 4),
            Map.of("name", "opt", "type", "categorical", "choices", List.of("adam", "sgd")),
            Map.of("name", "momentum", "type", "float", "low", 0.0, "high", 0.99,
                "when", Map.of("opt", List.of("sgd"))))),
        "objectives", List.of(Map.of("metric", "loss", "direction", "MINIMIZE")),
        "algorithm", Map.of("name", "random", "options", Map.of("seed", 1)),
        "limits", Map.of("maxTrials", 100, "maxAttempts", 3)));
  }

  /**
   * A fresh executor pool: a test that leases puts its studies and executors in one, so its executors see only its
   * studies and no other test's executor (nor the in-process one) takes them; nothing else needs pausing.
   */
  protected static String newPool() {
    return unique("pool");
  }

  /** {@code body} with {@code resources.pool} set (other resources kept). */
  @SuppressWarnings("unchecked")
  protected static Map<String, Object> inPool(Map<String, Object> body, String pool) {
    Map<String, Object> out = new java.util.LinkedHashMap<>(body);
    Map<String, Object> resources = new java.util.LinkedHashMap<>(
        (Map<String, Object>) body.getOrDefault("resources", Map.of()));
    resources.put("pool", pool);
    out.put("resources", resources);
    return out;
  }

  protected long create(Map<String, Object> body) {
    Http.Res r = http.post("/api/v1/studies", body);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  /** Waits (at most 240 s) until the in-process executor has run the study to its trial limit; the study. */
  protected JsonNode awaitCompleted(long id) throws InterruptedException {
    long end = System.nanoTime() + java.time.Duration.ofSeconds(240).toNanos();
    JsonNode s = http.get("/api/v1/studies/" + id).json();
    while (System.nanoTime() < end && !s.get("state").asString().equals("COMPLETED")) {
      Thread.sleep(200);
      s = http.get("/api/v1/studies/" + id).json();
    }
    assertThat(s.get("state").asString()).isEqualTo("COMPLETED");
    return s;
  }

  protected JsonNode suggest(long study, int count, String worker) {
    Map<String, Object> body = worker == null ? Map.of("count", count) : Map.of("count", count, "workerId", worker);
    Http.Res r = http.post("/api/v1/studies/" + study + "/suggestions", body);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().get("trials");
  }

  protected Http.Res complete(long study, long number, double loss) {
    return http.post("/api/v1/studies/" + study + "/trials/" + number + "/complete",
        Map.of("values", Map.of("loss", loss)));
  }
}
