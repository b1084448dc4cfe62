package io.sextant.api.program;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.util.List;
import java.util.Map;

/** The typed answer of GET /api/v1/studies/{id}/programs. */
public final class ProgramBodies {
  private ProgramBodies() {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(name = "Programs", description = "a program-evolution study's best programs with their families, the count "
      + "per family among them, and the lineage of the best program (or of ?trial=N); no lineage before a program "
      + "was scored")
  public record Programs(
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "fitness") String metric,
      @Schema(requiredMode = RequiredMode.REQUIRED) List<BestProgram> best,
      @Schema(requiredMode = RequiredMode.REQUIRED, description = "family -> how many of the best programs are in it",
          example = "{\"adam-like\": 3, \"sign-based\": 2}") Map<String, Long> families,
      Lineage lineage) {}

  @Schema(name = "BestProgram")
  public record BestProgram(
      @Schema(requiredMode = RequiredMode.REQUIRED) long trial,
      @Schema(requiredMode = RequiredMode.REQUIRED) double value,
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "sign-based") String family,
      @Schema(requiredMode = RequiredMode.REQUIRED) String familyDescription) {}

  @Schema(name = "Lineage", description = "the ancestry of a program, oldest (the warm start, or the first ancestor "
      + "that is a trial) first")
  public record Lineage(
      @Schema(requiredMode = RequiredMode.REQUIRED) long trial,
      @Schema(requiredMode = RequiredMode.REQUIRED) String metric,
      @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, description = "the oldest step's origin",
          example = "warm-start") String start,
      @Schema(requiredMode = RequiredMode.REQUIRED) List<LineageStep> steps,
      @Schema(requiredMode = RequiredMode.REQUIRED, description = "more ancestors than listed") boolean truncated) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(name = "LineageStep")
  public record LineageStep(
      @Schema(requiredMode = RequiredMode.REQUIRED) long trial,
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "mutation") String origin,
      @Schema(requiredMode = RequiredMode.REQUIRED, description = "the edits that made it from its parent")
      List<Object> edits,
      @Schema(description = "the completed trial's objective value: a number, or \"NaN\", \"Infinity\", "
          + "\"-Infinity\"") Object value,
      String family,
      @Schema(description = "the simplified program as code") String code) {}
}
