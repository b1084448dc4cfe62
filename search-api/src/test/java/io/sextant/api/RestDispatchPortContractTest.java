package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.evaluators.executor.DispatchPort;
import io.sextant.evaluators.executor.ExecutorInfo;
import io.sextant.evaluators.executor.FailureReason;
import io.sextant.evaluators.executor.Lease;
import io.sextant.evaluators.executor.RestDispatchPort;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link DispatchPortContract} against the REST implementation: the executor's {@link RestDispatchPort} talking
 * to this server's {@code DispatchController}, both speaking through {@code ExecutorWire}. Also what only the wire
 * can be sent: a reason over the limit, refused with 400 naming the field.
 */
class RestDispatchPortContractTest extends DispatchPortContract {
  private RestDispatchPort rest;

  @Override
  protected DispatchPort dispatch() {
    if (rest == null) {
      rest = new RestDispatchPort(URI.create("http://127.0.0.1:" + port), Optional.of(Http.ADMIN_TOKEN));
    }
    return rest;
  }

  @AfterEach
  void close() {
    if (rest != null) {
      rest.close();
    }
  }

  @Test
  void aReasonOverTheLimitIsRefusedOnTheWireNamingTheFieldAndChangesNothing() {
    long id = create(inPool(Map.of("name", unique("reason-limit"),
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "loss")),
        "evaluator", Map.of("name", "noop"),
        "limits", Map.of("maxTrials", 2, "maxAttempts", 2)), pool));
    String ex = dispatch().register(new ExecutorInfo("raw", 2, 2, List.of(), Map.of(), List.of(), Optional.of(pool)));
    Lease l = dispatch().lease(ex, 1, Duration.ofSeconds(5)).getFirst();
    String base = "/api/v1/executors/" + ex;
    String atLimit = "r".repeat(FailureReason.MAX_LENGTH);
    Http.Res r = http.post(base + "/leases/" + l.ref().trialId() + "/" + l.ref().attempt() + "/fail",
        Map.of("reason", atLimit + "r"));
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.field()).isEqualTo("reason");
    r = http.post(base + "/outcomes", Map.of("outcomes", List.of(
        Map.of("trialId", l.ref().trialId(), "attempt", l.ref().attempt(), "reason", atLimit + "r"))));
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.field()).isEqualTo("outcomes[0].reason");
    String trial = "/api/v1/studies/" + id + "/trials/" + l.trialNumber();
    assertThat(http.get(trial).json().get("state").asString()).isEqualTo("RUNNING");
    // the ask/tell API has the same limit, the same way
    long asked = suggest(id, 1, "w").get(0).get("number").asLong();
    r = http.post("/api/v1/studies/" + id + "/trials/" + asked + "/fail", Map.of("reason", atLimit + "r"));
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.field()).isEqualTo("reason");
    // at the limit it is taken as it is
    r = http.post(base + "/leases/" + l.ref().trialId() + "/" + l.ref().attempt() + "/fail",
        Map.of("reason", atLimit));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(http.get(trial).json().get("failureReason").asString()).isEqualTo(atLimit);
    dispatch().deregister(ex);
  }
}
