package io.sextant.api.study;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.util.List;
import java.util.Map;

/**
 * The typed shape of a study definition (POST /api/v1/studies, and {@code study} in an import document) as the
 * OpenAPI document declares it. The body is still read by {@link StudySpecParser} (with {@code Fields} and
 * {@code SpaceMaps}) so that every mistake is a 400 naming its field path ({@code space.parameters[2].low}); these
 * records are the contract that parser enforces: the same names, the same required fields, no others
 * (additionalProperties false: an unknown field is a 400). The OpenAPI contract test sends the example and every
 * field these records name.
 */
public final class StudyBodies {
  private StudyBodies() {}

  public static final String EXAMPLE = """
      {"name": "quickstart",
       "space": {"parameters": [
         {"name": "lr", "type": "float", "low": 0.00001, "high": 0.1, "log": true},
         {"name": "layers", "type": "int", "low": 1, "high": 4},
         {"name": "opt", "type": "categorical", "choices": ["adam", "sgd"]},
         {"name": "momentum", "type": "float", "low": 0.0, "high": 0.99, "when": {"opt": ["sgd"]}}]},
       "objectives": [{"metric": "loss", "direction": "MINIMIZE"}],
       "constraints": [{"metric": "memory", "op": "<=", "bound": 8.0}],
       "algorithm": {"name": "random", "options": {"seed": 1}},
       "limits": {"maxTrials": 100, "maxParallel": 4, "maxAttempts": 3}}""";

  @Schema(name = "StudyDefinition", additionalProperties = AdditionalPropertiesValue.FALSE,
      description = "A study: what to search (space), what to optimize (objectives, constraints), how (algorithm), "
          + "with what (evaluator, optional: without one, clients ask and tell), and its limits.")
  public record Definition(
      @Schema(requiredMode = RequiredMode.REQUIRED, maxLength = 200, example = "quickstart",
          description = "unique among studies") String name,
      Space space,
      @ArraySchema(minItems = 1, schema = @Schema(implementation = Objective.class)) List<Objective> objectives,
      @ArraySchema(schema = @Schema(implementation = Constraint.class)) List<Constraint> constraints,
      Algorithm algorithm,
      Evaluator evaluator,
      Limits limits,
      @Schema(description = "a stopping rule for intermediate measurements, e.g. {\"rule\": \"median\"} or "
          + "{\"rule\": \"asha\", ...}; absent: trials are not stopped early", example = "{\"rule\": \"median\"}")
      Map<String, Object> earlyStopping,
      Resources resources) {}

  @Schema(name = "Space", additionalProperties = AdditionalPropertiesValue.FALSE)
  public record Space(@ArraySchema(schema = @Schema(implementation = Parameter.class)) List<Parameter> parameters) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(name = "Parameter", additionalProperties = AdditionalPropertiesValue.FALSE,
      description = "One dimension: float and int take low, high (log, step optional); categorical takes choices; "
          + "fixed takes value; when makes it conditional on parents' values.")
  public record Parameter(
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "lr") String name,
      @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"float", "int", "categorical", "fixed"})
      String type,
      @Schema(description = "float, int: the lower bound", example = "0.00001") Double low,
      @Schema(description = "float, int: the upper bound", example = "0.1") Double high,
      @Schema(description = "float, int: search on a log scale") Boolean log,
      @Schema(description = "float, int: the grid step") Double step,
      @Schema(description = "categorical: the values (strings, numbers or booleans)", example = "[\"adam\", \"sgd\"]")
      List<Object> choices,
      @Schema(description = "fixed: the one value (a string, a number or a boolean)") Object value,
      @Schema(description = "active only when each named parent has one of the listed values",
          example = "{\"opt\": [\"sgd\"]}") Map<String, Object> when) {}

  @Schema(name = "Objective", additionalProperties = AdditionalPropertiesValue.FALSE)
  public record Objective(
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "loss") String metric,
      @Schema(allowableValues = {"MINIMIZE", "MAXIMIZE"}, defaultValue = "MINIMIZE") String direction) {}

  @Schema(name = "Constraint", additionalProperties = AdditionalPropertiesValue.FALSE,
      description = "an outcome constraint on a reported metric that is not an objective")
  public record Constraint(
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "memory") String metric,
      @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"<=", ">=", "LE", "GE", "le", "ge"})
      String op,
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "8.0") double bound) {}

  @Schema(name = "Algorithm", additionalProperties = AdditionalPropertiesValue.FALSE,
      description = "absent: random; the names and options installed: GET /api/v1/algorithms")
  public record Algorithm(
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "random") String name,
      @Schema(example = "{\"seed\": 1}") Map<String, Object> options) {}

  @Schema(name = "Evaluator", additionalProperties = AdditionalPropertiesValue.FALSE,
      description = "who measures trials; the names and config options installed: GET /api/v1/evaluators")
  public record Evaluator(
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "branin") String name,
      Map<String, Object> config) {}

  @Schema(name = "Limits", additionalProperties = AdditionalPropertiesValue.FALSE)
  public record Limits(
      @Schema(minimum = "1", example = "100") Long maxTrials,
      @Schema(minimum = "1", example = "4") Long maxParallel,
      @Schema(minimum = "1", example = "3") Long maxAttempts,
      @Schema(minimum = "1", description = "a trial from /suggestions with no heartbeat or measurement this long "
          + "is given up") Long heartbeatSeconds,
      @Schema(minimum = "1", description = "the study FAILS after this many failed trials") Long maxFailedTrials) {}

  @Schema(name = "Resources", additionalProperties = AdditionalPropertiesValue.FALSE,
      description = "what an executor must offer to run a trial")
  public record Resources(
      @Schema(minimum = "0", maximum = "64", example = "1") Long gpus,
      @Schema(description = "labels an executor must carry", example = "{\"zone\": \"a\"}")
      Map<String, String> labels,
      @Schema(description = "the executor pool that runs the study: only executors registered with this pool lease "
          + "its trials, and they lease nothing else (absent: the default pool)",
          pattern = io.sextant.evaluators.executor.ExecutorInfo.POOL_SCHEMA_PATTERN, minLength = 1, maxLength = 64, example = "gpu-a100") String pool) {}
}
