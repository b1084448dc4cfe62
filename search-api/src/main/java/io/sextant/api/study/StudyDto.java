package io.sextant.api.study;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A study as the API shows it: its canonical definition plus state and progress. {@code stateReason} says why a
 * FAILED study failed (null otherwise). The definition's parts have the shapes of {@link StudyBodies}.
 */
@Schema(name = "Study", requiredProperties = {"id", "name", "state", "space", "objectives", "algorithm", "limits",
    "trialsIssued", "trialCounts", "createdAt", "updatedAt"})
public record StudyDto(
    long id, String name,
    @Schema(allowableValues = {"ACTIVE", "PAUSED", "COMPLETED", "FAILED"}) String state,
    @Schema(types = {"string", "null"}, description = "why a FAILED study failed") String stateReason,
    @Schema(implementation = StudyBodies.Space.class) Map<String, Object> space,
    @ArraySchema(arraySchema = @Schema(types = {"array"}),
        schema = @Schema(implementation = StudyBodies.Objective.class)) Object objectives,
    @ArraySchema(arraySchema = @Schema(types = {"array", "null"}),
        schema = @Schema(implementation = StudyBodies.Constraint.class)) Object constraints,
    @Schema(implementation = StudyBodies.Algorithm.class) Map<String, Object> algorithm,
    @Schema(types = {"object", "null"}, description = "absent evaluator: null (clients ask and tell); "
        + "secret config values are masked") Map<String, Object> evaluator,
    @Schema(implementation = StudyBodies.Limits.class) Map<String, Object> limits,
    @Schema(types = {"object", "null"}) Map<String, Object> earlyStopping,
    @Schema(types = {"object", "null"}) Map<String, Object> resources,
    long trialsIssued,
    @Schema(description = "trial state -> count", example = "{\"COMPLETED\": 10, \"RUNNING\": 2}")
    Map<String, Long> trialCounts,
    @Schema(types = {"number", "string", "null"}, description = "the best value of the first objective; "
        + "non-finite values as \"Infinity\", \"-Infinity\", \"NaN\"") Object bestValue,
    OffsetDateTime createdAt, OffsetDateTime updatedAt) {}
