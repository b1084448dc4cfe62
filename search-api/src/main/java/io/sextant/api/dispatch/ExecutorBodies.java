package io.sextant.api.dispatch;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sextant.api.study.StudyBodies;
import io.sextant.evaluators.executor.ExecutorWire;
import io.sextant.evaluators.executor.FailureReason;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * The executor protocol's bodies (/api/v1/executors/**) as the OpenAPI document declares them. The JSON itself is
 * read and written by {@link ExecutorWire} (evaluators), the one codec both ends use; these records are its shapes,
 * field for field: a request record names exactly the fields {@code ExecutorWire} reads (additionalProperties
 * false where it refuses unknown fields, with the same bounds), an answer record what it writes. They are not used
 * to read or write anything, so the wire (and the field path of every refusal) is the codec's;
 * {@code OpenApiContractTest} holds them to it: it drives an executor with requests built from these examples,
 * validates the codec's answers against the answer records and the requests the executor's own
 * {@code RestDispatchPort} writes against the request records.
 */
public final class ExecutorBodies {
  private ExecutorBodies() {}

  /** A string with something other than white space (blank names are refused). */
  static final String NOT_BLANK = "\\S";

  static final String METRICS = "metric name -> number (or \"NaN\", \"Infinity\", \"-Infinity\"); at most "
      + ExecutorWire.MAX_METRICS + " metrics, names of 1 to 200 characters";

  // ---------------------------------------------------------------------------------------------- registration

  @Schema(name = "ExecutorRegistration", additionalProperties = AdditionalPropertiesValue.FALSE,
      description = "An executor node announces itself and what it offers; the answer is its id, which every later "
          + "call names. A registration never changes (a node that restarts registers again).")
  public record Registration(
      @Schema(requiredMode = RequiredMode.REQUIRED, minLength = 1, maxLength = 200, pattern = NOT_BLANK,
          example = "gpu-node-1") String name,
      @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "1", maximum = "" + ExecutorWire.MAX_SLOTS,
          description = "trials it runs at once", example = "4") int slots,
      @Schema(minimum = "1", maximum = "" + ExecutorWire.MAX_CPU_CORES, description = "default: slots",
          example = "16") Integer cpuCores,
      @ArraySchema(maxItems = ExecutorWire.MAX_GPUS, schema = @Schema(implementation = Gpu.class)) List<Gpu> gpus,
      @Schema(description = "free labels a study's resources.labels can require (keys of at most 100 characters, "
          + "values strings of at most 200)", example = "{\"zone\": \"a\"}") Map<String, String> labels,
      @ArraySchema(maxItems = ExecutorWire.MAX_EVALUATORS, arraySchema = @Schema(description = "the evaluators on "
          + "its class path: it gets trials of those only (absent: the server's own)"),
          schema = @Schema(minLength = 1, maxLength = 100, pattern = NOT_BLANK, example = "branin"))
      List<String> evaluators,
      @Schema(description = "the executor pool it serves: it leases only trials of studies whose resources.pool is "
          + "this, and no other executor leases those (absent: the default pool, studies that name none)",
          minLength = 1, maxLength = 64, pattern = io.sextant.evaluators.executor.ExecutorInfo.POOL_SCHEMA_PATTERN,
          example = "gpu-h100") String pool) {
    static final String EXAMPLE = """
        {"name": "gpu-node-1", "slots": 4, "cpuCores": 16,
         "gpus": [{"index": 0, "name": "NVIDIA H100", "memoryMiB": 81559}],
         "labels": {"zone": "a"}, "evaluators": ["branin", "noop"]}""";
  }

  @Schema(name = "ExecutorGpu", additionalProperties = AdditionalPropertiesValue.FALSE)
  public record Gpu(
      @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0", maximum = "2147483647",
          description = "the device index (what CUDA_VISIBLE_DEVICES names)", example = "0") int index,
      @Schema(minLength = 1, maxLength = 200, pattern = NOT_BLANK, defaultValue = "gpu", example = "NVIDIA H100")
      String name,
      @Schema(defaultValue = "0", example = "81559") Long memoryMiB) {}

  @Schema(name = "ExecutorRegistered")
  public record Registered(
      @Schema(requiredMode = RequiredMode.REQUIRED, description = "the executor id every later call names",
          example = "3f2b8c1e-5d4a-4f6b-9c2d-1a7e8f9b0c3d") String id) {}

  // ---------------------------------------------------------------------------------------------- leases

  @Schema(name = "LeaseRequest", additionalProperties = AdditionalPropertiesValue.FALSE,
      description = "Up to max leases, waiting up to waitSeconds for work (long poll); no body: one, no waiting.")
  public record LeaseRequest(
      @Schema(minimum = "1", maximum = "" + ExecutorWire.MAX_LEASES, defaultValue = "1", example = "4") Integer max,
      @Schema(minimum = "0", maximum = "" + ExecutorWire.MAX_WAIT_SECONDS, defaultValue = "0", example = "1",
          description = "seconds (fractions allowed)") Double waitSeconds) {
    static final String EXAMPLE = "{\"max\": 4, \"waitSeconds\": 1}";
  }

  @Schema(name = "Leases", description = "the leases granted (empty: no work within waitSeconds)")
  public record Leases(
      @Schema(requiredMode = RequiredMode.REQUIRED)
      @ArraySchema(schema = @Schema(implementation = Lease.class)) List<Lease> leases) {}

  @Schema(name = "Lease", description = "One trial to run, with everything needed to run it; it must be reported "
      + "(or heartbeated) before expiresAt.")
  public record Lease(
      @Schema(requiredMode = RequiredMode.REQUIRED, description = "reports name the lease by trialId and attempt")
      long trialId,
      @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0") int attempt,
      @Schema(requiredMode = RequiredMode.REQUIRED) long studyId,
      @Schema(requiredMode = RequiredMode.REQUIRED) long trialNumber,
      @Schema(requiredMode = RequiredMode.REQUIRED, description = "parameter name -> value",
          example = "{\"x\": 0.5}") Map<String, Object> params,
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "branin") String evaluator,
      @Schema(requiredMode = RequiredMode.REQUIRED, description = "the study's evaluator config (secrets in env "
          + "included)") Map<String, Object> evaluatorConfig,
      @Schema(requiredMode = RequiredMode.REQUIRED) LeaseProblem problem,
      @Schema(requiredMode = RequiredMode.REQUIRED)
      @ArraySchema(arraySchema = @Schema(description = "the GPU indices to run on (CUDA_VISIBLE_DEVICES)"),
          schema = @Schema(minimum = "0")) List<Integer> gpus,
      @Schema(requiredMode = RequiredMode.REQUIRED, description = "the lease ends then (database clock) unless "
          + "a heartbeat extends it") OffsetDateTime expiresAt) {}

  @Schema(name = "LeaseProblem", description = "what the evaluator measures: the study's space, objectives and "
      + "constraints")
  public record LeaseProblem(
      @Schema(requiredMode = RequiredMode.REQUIRED) StudyBodies.Space space,
      @Schema(requiredMode = RequiredMode.REQUIRED) @ArraySchema(minItems = 1,
          schema = @Schema(implementation = StudyBodies.Objective.class)) List<StudyBodies.Objective> objectives,
      @Schema(requiredMode = RequiredMode.REQUIRED) @ArraySchema(
          schema = @Schema(implementation = StudyBodies.Constraint.class)) List<StudyBodies.Constraint> constraints) {}

  @Schema(name = "LeaseRef", description = "a lease: its trial id and attempt")
  public record LeaseRef(
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "42") long trialId,
      @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0", maximum = "2147483647", example = "1")
      int attempt) {}

  // ---------------------------------------------------------------------------------------------- heartbeat

  @Schema(name = "ExecutorHeartbeat", additionalProperties = AdditionalPropertiesValue.FALSE,
      description = "The leases the executor still runs: each is extended; the answer lists those that must stop.")
  public record Heartbeat(
      @ArraySchema(maxItems = ExecutorWire.MAX_REFS, schema = @Schema(implementation = LeaseRef.class))
      List<LeaseRef> leases) {
    static final String EXAMPLE = "{\"leases\": [{\"trialId\": 42, \"attempt\": 1}]}";
  }

  @Schema(name = "LeasesToStop")
  public record Stop(
      @Schema(requiredMode = RequiredMode.REQUIRED)
      @ArraySchema(arraySchema = @Schema(description = "leases that are no longer the executor's: stop running them"),
          schema = @Schema(implementation = LeaseRef.class)) List<LeaseRef> stop) {}

  // ---------------------------------------------------------------------------------------------- reports

  @Schema(name = "LeaseMeasurement", additionalProperties = AdditionalPropertiesValue.FALSE,
      description = "An intermediate measurement of a running lease (also a heartbeat for it).")
  public record Measurement(
      @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0", example = "10") long step,
      @Schema(requiredMode = RequiredMode.REQUIRED, description = METRICS, maxProperties = ExecutorWire.MAX_METRICS,
          example = "{\"loss\": 0.4}") Map<String, Object> values) {
    static final String EXAMPLE = "{\"step\": 10, \"values\": {\"loss\": 0.4}}";
  }

  @Schema(name = "LeaseStopFlag")
  public record StopFlag(
      @Schema(requiredMode = RequiredMode.REQUIRED, description = "true: the study's stopping rule stopped the "
          + "trial (it is PRUNED); stop running it") boolean stop) {}

  @Schema(name = "LeaseCompletion", additionalProperties = AdditionalPropertiesValue.FALSE,
      description = "The final metrics of a successful attempt.")
  public record Completion(
      @Schema(requiredMode = RequiredMode.REQUIRED, description = METRICS, maxProperties = ExecutorWire.MAX_METRICS,
          example = "{\"loss\": 0.25}") Map<String, Object> values) {
    static final String EXAMPLE = "{\"values\": {\"loss\": 0.25}}";
  }

  @Schema(name = "LeaseFailure", additionalProperties = AdditionalPropertiesValue.FALSE,
      description = "A failed attempt: the trial is re-queued while its study's maxAttempts allow, else FAILED.")
  public record Failure(
      @Schema(requiredMode = RequiredMode.REQUIRED, maxLength = FailureReason.MAX_LENGTH,
          example = "evaluator exited with status 137") String reason) {
    static final String EXAMPLE = "{\"reason\": \"evaluator exited with status 137\"}";
  }

  @Schema(name = "LeaseReported", description = "the report was recorded")
  public record Reported(@Schema(requiredMode = RequiredMode.REQUIRED, description = "always true") boolean ok) {}

  @Schema(name = "OutcomeBatch", additionalProperties = AdditionalPropertiesValue.FALSE,
      description = "Several outcomes in one transaction (the whole body is checked first: a bad one is a 400 and "
          + "changes nothing); with lease, new leases for the slots they free, in the same answer (no waiting).")
  public record OutcomeBatch(
      @Schema(requiredMode = RequiredMode.REQUIRED)
      @ArraySchema(maxItems = ExecutorWire.MAX_OUTCOMES, schema = @Schema(implementation = Outcome.class))
      List<Outcome> outcomes,
      OutcomeLease lease) {
    static final String EXAMPLE = """
        {"outcomes": [{"trialId": 42, "attempt": 1, "values": {"loss": 0.25}},
                      {"trialId": 43, "attempt": 1, "reason": "evaluator exited with status 137"}],
         "lease": {"max": 2}}""";
  }

  @Schema(name = "LeaseOutcome", additionalProperties = AdditionalPropertiesValue.FALSE,
      description = "exactly one of values (completed) or reason (failed)")
  public record Outcome(
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "42") long trialId,
      @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0", maximum = "2147483647", example = "1") int attempt,
      @Schema(description = METRICS, maxProperties = ExecutorWire.MAX_METRICS, example = "{\"loss\": 0.25}")
      Map<String, Object> values,
      @Schema(maxLength = FailureReason.MAX_LENGTH) String reason) {}

  @Schema(name = "OutcomeBatchLease", additionalProperties = AdditionalPropertiesValue.FALSE)
  public record OutcomeLease(
      @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0", maximum = "" + ExecutorWire.MAX_LEASES,
          description = "how many new leases to grant (no waiting)", example = "2") int max) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(name = "OutcomeAnswer")
  public record OutcomeAnswer(
      @Schema(requiredMode = RequiredMode.REQUIRED)
      @ArraySchema(arraySchema = @Schema(description = "outcomes whose lease was no longer current: they changed "
          + "nothing"), schema = @Schema(implementation = LeaseRef.class)) List<LeaseRef> stale,
      @ArraySchema(arraySchema = @Schema(description = "the new leases (only when the batch asked for some)"),
          schema = @Schema(implementation = Lease.class)) List<Lease> leases) {}

  // ---------------------------------------------------------------------------------------------- listing

  @Schema(name = "ExecutorList")
  public record ExecutorList(
      @Schema(requiredMode = RequiredMode.REQUIRED)
      @ArraySchema(schema = @Schema(implementation = ExecutorStatus.class)) List<ExecutorStatus> executors) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(name = "Executor", description = "a registered executor node and what it runs now")
  public record ExecutorStatus(
      @Schema(requiredMode = RequiredMode.REQUIRED) String id,
      @Schema(requiredMode = RequiredMode.REQUIRED) String name,
      @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"ACTIVE", "LOST"},
          description = "LOST: not seen for three lease periods") String state,
      @Schema(requiredMode = RequiredMode.REQUIRED) int slots,
      @Schema(requiredMode = RequiredMode.REQUIRED) int slotsInUse,
      @Schema(requiredMode = RequiredMode.REQUIRED)
      @ArraySchema(schema = @Schema(implementation = RunningTrial.class)) List<RunningTrial> runningTrials,
      @Schema(requiredMode = RequiredMode.REQUIRED) int cpuCores,
      @Schema(requiredMode = RequiredMode.REQUIRED)
      @ArraySchema(schema = @Schema(implementation = Gpu.class)) List<Object> gpus,
      @Schema(requiredMode = RequiredMode.REQUIRED) Map<String, Object> labels,
      @Schema(requiredMode = RequiredMode.REQUIRED) long trialsCompleted,
      @Schema(requiredMode = RequiredMode.REQUIRED) long attemptsFailed,
      @ArraySchema(arraySchema = @Schema(description = "the evaluators it declared (absent: the server's own)"),
          schema = @Schema(implementation = String.class)) List<Object> evaluators,
      @Schema(description = "the executor pool it serves (absent: the default pool)") String pool,
      @Schema(requiredMode = RequiredMode.REQUIRED) OffsetDateTime registeredAt,
      @Schema(requiredMode = RequiredMode.REQUIRED) OffsetDateTime lastSeenAt) {}

  @Schema(name = "RunningTrial")
  public record RunningTrial(
      @Schema(requiredMode = RequiredMode.REQUIRED) long studyId,
      @Schema(requiredMode = RequiredMode.REQUIRED) long number) {}
}
