package io.sextant.api.trial;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Typed request and answer bodies of the ask/tell endpoints (/api/v1/studies/{id}/suggestions, /trials...). The
 * requests are read by {@link TrialService} with {@code Fields}, which names the field of every mistake; these
 * records declare the same fields for the OpenAPI document (no others: an unknown field is a 400). The answers are
 * what the controller returns.
 */
public final class TrialBodies {
  private TrialBodies() {}

  /** Metric values as a client reports them: numbers, or "NaN", "Infinity", "-Infinity". */
  static final String METRICS = "metric name -> number (or \"NaN\", \"Infinity\", \"-Infinity\"); at most 1000";

  @Schema(name = "SuggestRequest", additionalProperties = AdditionalPropertiesValue.FALSE,
      description = "Ask: the trials a worker already holds come back first, then enqueued trials, then proposals.")
  public record SuggestRequest(
      @Schema(minimum = "1", maximum = "1000", defaultValue = "1", example = "2") Long count,
      @Schema(description = "makes asking idempotent: a worker's RUNNING trials are handed back to it",
          example = "worker-1") String workerId,
      @Schema(description = "flat object of numbers, strings and booleans read by contextual designers "
          + "(at most 64 entries)", example = "{\"instance\": \"small\"}") Map<String, Object> context) {
    static final String EXAMPLE = "{\"count\": 2, \"workerId\": \"worker-1\"}";
  }

  @Schema(name = "Suggestions")
  public record Suggestions(@ArraySchema(schema = @Schema(implementation = TrialDto.class)) List<TrialDto> trials) {}

  @Schema(name = "EnqueueRequest", additionalProperties = AdditionalPropertiesValue.FALSE,
      description = "A trial with the client's own parameters, handed out before designer proposals.")
  public record EnqueueRequest(
      @Schema(requiredMode = RequiredMode.REQUIRED, description = "parameter name -> value, valid in the space",
          example = "{\"lr\": 0.01, \"layers\": 2, \"opt\": \"adam\"}") Map<String, Object> params,
      @Schema(description = "free JSON kept with the trial (at most 64 KiB)") Map<String, Object> metadata) {
    static final String EXAMPLE = "{\"params\": {\"lr\": 0.01, \"layers\": 2, \"opt\": \"adam\"}, "
        + "\"metadata\": {\"source\": \"warm start\"}}";
  }

  @Schema(name = "CompleteRequest", additionalProperties = AdditionalPropertiesValue.FALSE,
      description = "Tell: exactly one of values or infeasible. Repeating a tell answers the trial unchanged.")
  public record CompleteRequest(
      @Schema(description = METRICS + "; every objective metric (and constraint metric) is required",
          example = "{\"loss\": 0.25, \"memory\": 3.5}") Map<String, Object> values,
      @Schema(description = "the reason the point cannot be evaluated", maxLength = 10000) String infeasible,
      @Schema(minimum = "1", maximum = "1000", description = "the attempt the trial was handed (its `attempt`)")
      Integer attempt) {
    static final String EXAMPLE = "{\"values\": {\"loss\": 0.25, \"memory\": 3.5}, \"attempt\": 1}";
  }

  @Schema(name = "FailRequest", additionalProperties = AdditionalPropertiesValue.FALSE)
  public record FailRequest(
      @Schema(requiredMode = RequiredMode.REQUIRED, maxLength = 10000, example = "out of memory") String reason,
      @Schema(minimum = "1", maximum = "1000") Integer attempt) {
    static final String EXAMPLE = "{\"reason\": \"out of memory\", \"attempt\": 1}";
  }

  @Schema(name = "HeartbeatRequest", additionalProperties = AdditionalPropertiesValue.FALSE)
  public record HeartbeatRequest(@Schema(minimum = "1", maximum = "1000") Integer attempt) {
    static final String EXAMPLE = "{\"attempt\": 1}";
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(name = "Heartbeat", description = "the trial's new heartbeat deadline (absent: the study has none)")
  public record Heartbeat(
      @Schema(requiredMode = RequiredMode.REQUIRED) long number,
      @Schema(requiredMode = RequiredMode.REQUIRED) int attempt,
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "RUNNING") String state,
      OffsetDateTime leaseExpiresAt) {}

  @Schema(name = "PruneRequest", additionalProperties = AdditionalPropertiesValue.FALSE)
  public record PruneRequest(
      @Schema(maxLength = 10000, defaultValue = "pruned by the client", example = "not promising") String reason,
      @Schema(minimum = "1", maximum = "1000") Integer attempt) {
    static final String EXAMPLE = "{\"reason\": \"not promising\", \"attempt\": 1}";
  }

  @Schema(name = "MeasurementRequest", additionalProperties = AdditionalPropertiesValue.FALSE,
      description = "An intermediate measurement (also a heartbeat); the answer says whether to stop the trial.")
  public record MeasurementRequest(
      @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0", example = "10") long step,
      @Schema(requiredMode = RequiredMode.REQUIRED, description = METRICS, example = "{\"loss\": 0.4}")
      Map<String, Object> values,
      @Schema(minimum = "1", maximum = "1000") Integer attempt) {
    static final String EXAMPLE = "{\"step\": 10, \"values\": {\"loss\": 0.4}, \"attempt\": 1}";
  }

  @Schema(name = "MeasurementAnswer")
  public record MeasurementAnswer(
      @Schema(requiredMode = RequiredMode.REQUIRED, description = "true: the study's stopping rule stopped the "
          + "trial (it is PRUNED)") boolean stop) {}

  @Schema(name = "CompactTrials", description = "one row per trial: [number, state, params, values, attempt, "
      + "startedAt, finishedAt], values in objective order")
  public record CompactTrials(
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "[\"number\", \"state\", \"params\", \"values\", "
          + "\"attempt\", \"startedAt\", \"finishedAt\"]") List<String> columns,
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "[\"loss\"]") List<String> metrics,
      @Schema(requiredMode = RequiredMode.REQUIRED) List<List<Object>> trials,
      @Schema(types = {"integer", "null"}, format = "int64", description = "the cursor of the next page (null: none)")
      Long next) {}
}
