package io.sextant.api.analytics;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sextant.api.trial.TrialDto;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.util.List;
import java.util.Map;

/** The typed answers of GET /api/v1/studies/{id}/importance, /pareto and /arms. */
public final class AnalyticsBodies {
  private AnalyticsBodies() {}

  /** A value that may be non-finite: a number, or "NaN", "Infinity", "-Infinity". */
  static final String MAYBE_NON_FINITE = "a number, or \"NaN\", \"Infinity\", \"-Infinity\"";

  @Schema(name = "Importance")
  public record Importance(
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "loss") String objective,
      @Schema(requiredMode = RequiredMode.REQUIRED, description = "completed trials used") int trials,
      @Schema(requiredMode = RequiredMode.REQUIRED, description = "parameter name -> share of variance (0..1)",
          example = "{\"lr\": 0.7, \"layers\": 0.1}") Map<String, Double> importance,
      @Schema(requiredMode = RequiredMode.REQUIRED) String method) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(name = "Pareto", description = "the feasible non-dominated trials; with two or more objectives also the "
      + "reference point (in objective directions) and the hypervolume after each completed trial")
  public record Pareto(
      @Schema(requiredMode = RequiredMode.REQUIRED) @ArraySchema(schema = @Schema(implementation = TrialDto.class))
      List<TrialDto> trials,
      @ArraySchema(schema = @Schema(description = MAYBE_NON_FINITE)) List<Object> referencePoint,
      @Schema(allowableValues = {"study", "inferred"}) String referencePointSource,
      Double hypervolume,
      double[] history,
      @Schema(description = "with ?ranks=true: every feasible completed trial with its non-domination rank "
          + "(0: the front)")
      List<RankedTrial> ranked) {}

  @Schema(name = "RankedTrial")
  public record RankedTrial(
      @Schema(requiredMode = RequiredMode.REQUIRED) int rank,
      @Schema(requiredMode = RequiredMode.REQUIRED) TrialDto trial) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(name = "Arms", description = "per-arm statistics of a bandit study, the best fixed arm in hindsight and "
      + "the regret against it (see the comparator)")
  public record Arms(
      @Schema(requiredMode = RequiredMode.REQUIRED) String objective,
      @Schema(requiredMode = RequiredMode.REQUIRED) List<Arm> arms,
      @Schema(requiredMode = RequiredMode.REQUIRED) long pulls,
      @Schema(requiredMode = RequiredMode.REQUIRED) long pending,
      @Schema(requiredMode = RequiredMode.REQUIRED) double cumulativeCost,
      @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"arm-mean", "instance-optimal-ratio", "none"})
      String comparator,
      String comparatorNote,
      @Schema(description = "index into arms") Integer bestArm,
      Double bestFixedCost,
      Double regret,
      Double instanceOptimalCost,
      Double instanceOptimalRegret,
      @Schema(requiredMode = RequiredMode.REQUIRED)
      @ArraySchema(schema = @Schema(type = "array", description = "one row per pull: [pull, cumulative cost, "
          + "best fixed arm's estimated cumulative cost or null, instance-optimal cumulative cost or null]"))
      List<List<Object>> history) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(name = "Arm")
  public record Arm(
      @Schema(requiredMode = RequiredMode.REQUIRED) Map<String, Object> params,
      @Schema(requiredMode = RequiredMode.REQUIRED) long pulls,
      @Schema(requiredMode = RequiredMode.REQUIRED) long pending,
      @Schema(description = MAYBE_NON_FINITE) Object meanValue,
      @Schema(description = MAYBE_NON_FINITE) Object meanCost,
      @Schema(description = MAYBE_NON_FINITE) Object meanRelativeCost,
      @Schema(requiredMode = RequiredMode.REQUIRED, description = MAYBE_NON_FINITE) Object cumulativeValue) {}
}
