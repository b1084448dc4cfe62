package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Health probes are open; Prometheus metrics (with Sextant's own) need a token. */
class ObservabilityTest extends ApiTestBase {
  @Test
  void probesAndPrometheusMetrics() {
    long id = create(demoStudy(unique("metrics")));
    long n = suggest(id, 1, "w").get(0).get("number").asLong();
    assertThat(complete(id, n, 0.5).status()).isEqualTo(200);
    Http anonymous = new Http(port, null);
    assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
    assertThat(anonymous.get("/actuator/health/liveness").status()).isEqualTo(200);
    assertThat(anonymous.get("/actuator/prometheus").status()).isEqualTo(401);
    Http.Res p = http.get("/actuator/prometheus");
    assertThat(p.status()).isEqualTo(200);
    assertThat(p.text()).contains("sextant_suggest_seconds_count").contains("sextant_trials_finished_total")
        .contains("state=\"COMPLETED\"").contains("hikaricp_connections_max")
        // the documented HTTP metrics, for the hot path's requests too
        .containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/api/v1/studies/\\{id\\}/suggestions\"")
        .containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/api/v1/studies/\\{id\\}/trials/"
            + "\\{number\\}/complete\"");
  }
}
