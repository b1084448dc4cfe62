package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The run command's persistent embedded PostgreSQL: studies and trials survive a stop and start. */
class RestartTest {
  @TempDir
  Path dir;

  private ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(SextantApplication.class).run(
        "--server.port=0", "--sextant.data-dir=" + dir.resolve("pgdata"),
        "--sextant.executor.in-process.slots=1", "--sextant.admin-token=" + Http.ADMIN_TOKEN);
  }

  private static Http http(ConfigurableApplicationContext ctx) {
    return new Http(((WebServerApplicationContext) ctx).getWebServer().getPort());
  }

  @Test
  void studiesSurviveARestart() throws Exception {
    long id;
    long number;
    try (ConfigurableApplicationContext ctx = start()) {
      Http h = http(ctx);
      Http.Res r = h.post("/api/v1/studies", Map.of("name", "persistent",
          "objectives", java.util.List.of(Map.of("metric", "y")),
          "space", Map.of("parameters", java.util.List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1)))));
      assertThat(r.status()).as(r.text()).isEqualTo(201);
      id = r.json().get("id").asLong();
      number = h.post("/api/v1/studies/" + id + "/suggestions", Map.of("count", 1)).json()
          .get("trials").get(0).get("number").asLong();
      assertThat(h.post("/api/v1/studies/" + id + "/trials/" + number + "/complete",
          Map.of("values", Map.of("y", 0.5))).status()).isEqualTo(200);
    }
    assertThat(Files.exists(dir.resolve("pgdata").resolve("PG_VERSION"))).isTrue();
    try (ConfigurableApplicationContext ctx = start()) {
      Http h = http(ctx);
      assertThat(h.get("/api/v1/studies/" + id).json().get("name").asString()).isEqualTo("persistent");
      assertThat(h.get("/api/v1/studies/" + id + "/trials/" + number).json().get("values").get("y").asDouble())
          .isEqualTo(0.5);
      // numbering continues where it stopped
      assertThat(h.post("/api/v1/studies/" + id + "/suggestions", Map.of("count", 1)).json()
          .get("trials").get(0).get("number").asLong()).isEqualTo(number + 1);
    }
  }
}
