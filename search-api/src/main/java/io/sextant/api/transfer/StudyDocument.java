package io.sextant.api.transfer;

import io.sextant.api.study.StudyBodies;
import io.sextant.api.trial.TrialDto;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * The {@value TrialExporter#FORMAT} document: what GET /api/v1/studies/{id}/export?format=json writes (streamed by
 * {@link TrialExporter}) and POST /api/v1/studies/import reads (with field-path errors, by {@link StudyImporter}).
 * Declared for the OpenAPI document; an unknown field is a 400.
 */
@Schema(name = "StudyDocument", additionalProperties = AdditionalPropertiesValue.FALSE)
public record StudyDocument(
    @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = TrialExporter.FORMAT) String format,
    @Schema(description = "the exporting server's id (ignored on import)") Long studyId,
    @Schema(requiredMode = RequiredMode.REQUIRED) StudyBodies.Definition study,
    @Schema(allowableValues = {"ACTIVE", "PAUSED", "COMPLETED", "FAILED"}, defaultValue = "ACTIVE") String state,
    @Schema(types = {"string", "null"}) String stateReason,
    @Schema(minimum = "1", defaultValue = "1") Long nextNumber,
    @Schema(types = {"object", "null"}, description = "the designer's state, opaque") Map<String, Object> designerState,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    @ArraySchema(schema = @Schema(implementation = Trial.class)) List<Trial> trials) {

  /**
   * A trial in the document: a {@link TrialDto} as exported; on import only {@code number}, {@code state} and
   * {@code params} are required, and {@code id}, {@code studyId} are ignored.
   */
  @Schema(name = "StudyDocumentTrial", additionalProperties = AdditionalPropertiesValue.FALSE)
  public record Trial(
      Long id, Long studyId,
      @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "1") long number,
      @Schema(requiredMode = RequiredMode.REQUIRED,
          allowableValues = {"WAITING", "RUNNING", "COMPLETED", "PRUNED", "FAILED", "INFEASIBLE"}) String state,
      @Schema(requiredMode = RequiredMode.REQUIRED) Map<String, Object> params,
      Map<String, Object> values, Map<String, Object> metrics, Integer attempt, String workerId, String executorId,
      Object gpus, String failureReason, String infeasibleReason,
      @ArraySchema(schema = @Schema(implementation = TrialDto.MeasurementDto.class))
      List<TrialDto.MeasurementDto> measurements,
      Map<String, Object> metadata, OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt,
      OffsetDateTime leaseExpiresAt, String code) {}

  static final String EXAMPLE = """
      {"format": "sextant-study/1",
       "study": {"name": "imported", "space": {"parameters": [{"name": "x", "type": "float", "low": 0, "high": 1}]},
                 "objectives": [{"metric": "loss", "direction": "MINIMIZE"}]},
       "state": "PAUSED", "nextNumber": 2,
       "trials": [{"number": 1, "state": "COMPLETED", "params": {"x": 0.5}, "values": {"loss": 0.25},
                   "attempt": 1}]}""";
}
