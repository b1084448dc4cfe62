package io.sextant.api.trial;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A trial as the API shows it. {@code values} has one entry per objective (non-finite values as the strings
 * "Infinity", "-Infinity"); {@code metrics} every final metric reported, constraint metrics included.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@io.swagger.v3.oas.annotations.media.Schema(name = "Trial", requiredProperties = {"id", "studyId", "number", "state",
    "params", "attempt", "createdAt"})
public record TrialDto(
    long id, long studyId, long number, String state, Map<String, Object> params, Map<String, Object> values,
    Map<String, Object> metrics, int attempt, String workerId, String executorId, Object gpus, String failureReason,
    String infeasibleReason, List<MeasurementDto> measurements, Map<String, Object> metadata,
    OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt, OffsetDateTime leaseExpiresAt,
    String code) {

  /** The same trial with a readable rendering of its parameters (e.g. a program as code). */
  public TrialDto withCode(String code) {
    return new TrialDto(id, studyId, number, state, params, values, metrics, attempt, workerId, executorId, gpus,
        failureReason, infeasibleReason, measurements, metadata, createdAt, startedAt, finishedAt, leaseExpiresAt,
        code);
  }

  /** One intermediate measurement. */
  @io.swagger.v3.oas.annotations.media.Schema(name = "Measurement")
  public record MeasurementDto(long step, Map<String, Object> values, OffsetDateTime at) {}
}
