package io.sextant.api.dispatch;

import io.sextant.api.auth.Caller;
import io.sextant.api.auth.Role;
import io.sextant.api.common.ApiException;
import io.sextant.api.common.Fields;
import io.sextant.api.common.Json;
import io.sextant.evaluators.executor.ExecutorInfo;
import io.sextant.evaluators.executor.ExecutorWire;
import io.sextant.evaluators.executor.FailureReason;
import io.sextant.evaluators.executor.LeaseRef;
import io.sextant.evaluators.executor.StaleLeaseException;
import io.sextant.evaluators.executor.WireFormatException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The executor protocol over REST (remote executor nodes): the same {@link DispatchService} the in-process executor
 * calls directly. Bodies are read and answers written by {@link ExecutorWire}, the codec the executor's
 * {@code RestDispatchPort} uses for the other end. Every call names its executor in the path: the caller's token must
 * own it (403 else), and reports name their lease by trial id and attempt, which must be that executor's current
 * lease (409 else, nothing changed), exactly as {@link DispatchService} checks it for the in-process executor.
 *
 * <p>The OpenAPI document declares the bodies with the wire-shaped records of {@link ExecutorBodies} (request bodies
 * through springdoc's {@code @RequestBody}, answers through {@code @ApiResponse}); the handlers keep taking the plain
 * JSON tree and returning what {@link ExecutorWire} writes, so the codec stays the one reader and writer.
 */
@Tag(name = "executors")
@RestController
@RequestMapping("/api/v1/executors")
class DispatchController {
  private final DispatchService dispatch;
  private final ExecutorRepository executors;
  private final LeaseRepository leases;
  private final Json json;

  DispatchController(DispatchService dispatch, ExecutorRepository executors, LeaseRepository leases, Json json) {
    this.leases = leases;
    this.dispatch = dispatch;
    this.executors = executors;
    this.json = json;
  }

  @ExceptionHandler(StaleLeaseException.class)
  ResponseEntity<Object> stale(StaleLeaseException e) {
    return io.sextant.api.common.ProblemHandler.problem(HttpStatus.CONFLICT, "lease", e.getMessage());
  }

  /** A request that does not follow the wire format: 400 naming the field, nothing changed. */
  @ExceptionHandler(WireFormatException.class)
  ResponseEntity<Object> badRequest(WireFormatException e) {
    return io.sextant.api.common.ProblemHandler.problem(HttpStatus.BAD_REQUEST, e.field(), e.getMessage());
  }

  @ExceptionHandler(io.sextant.evaluators.executor.UnknownExecutorException.class)
  ResponseEntity<Object> unknown(io.sextant.evaluators.executor.UnknownExecutorException e) {
    return io.sextant.api.common.ProblemHandler.problem(HttpStatus.NOT_FOUND, null, e.detail());
  }

  @Operation(operationId = "registerExecutor")
  @PostMapping
  @ResponseStatus(HttpStatus.CREATED) // so OpenAPI lists 201
  @ApiResponse(responseCode = "201", description = "registered", content = @Content(mediaType = "application/json",
      schema = @Schema(implementation = ExecutorBodies.Registered.class)))
  ResponseEntity<Map<String, Object>> register(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          schema = @Schema(implementation = ExecutorBodies.Registration.class),
          examples = @ExampleObject(value = ExecutorBodies.Registration.EXAMPLE)))
      @RequestBody Object body) {
    ExecutorInfo info = ExecutorWire.readExecutor(checked(body));
    Caller c = Caller.current().orElseThrow(() -> ApiException.forbidden("not signed in"));
    String id = dispatch.register(info, c.tokenId() > 0 ? c.tokenId() : null,
        c.leasesAll() || c.role() == Role.ADMIN ? null : c.userId());
    return ResponseEntity.status(HttpStatus.CREATED).body(ExecutorWire.writeRegistered(id));
  }

  /**
   * The whole body checked once for what the database cannot store (a number beyond double range, NUL), with a 400
   * naming the path, as every request body is; then {@link ExecutorWire} reads it.
   */
  private static Object checked(Object body) {
    Fields.of(body, "");
    return body;
  }

  @Operation(operationId = "listExecutors")
  @GetMapping
  ExecutorBodies.ExecutorList list() {
    Map<String, List<ExecutorBodies.RunningTrial>> busy = new java.util.HashMap<>();
    for (Object[] row : leases.runningTrials()) {
      busy.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add(
          new ExecutorBodies.RunningTrial(((Number) row[1]).longValue(), ((Number) row[2]).longValue()));
    }
    java.time.OffsetDateTime lostBefore = leases.dbNow().minusSeconds((long) Math.ceil(3 * dispatch.leaseSeconds()));
    List<ExecutorBodies.ExecutorStatus> out = new ArrayList<>();
    for (ExecutorEntity e : executors.findAll(org.springframework.data.domain.Sort.by("registeredAt"))) {
      List<ExecutorBodies.RunningTrial> running = busy.getOrDefault(e.id, List.of());
      out.add(new ExecutorBodies.ExecutorStatus(e.id, e.name, e.lastSeenAt.isBefore(lostBefore) ? "LOST" : "ACTIVE",
          e.slots, running.size(), running, e.cpuCores, json.readList(e.gpus), json.readMap(e.labels),
          e.trialsCompleted, e.attemptsFailed, e.evaluators == null ? null : json.readList(e.evaluators), e.pool,
          e.registeredAt, e.lastSeenAt));
    }
    return new ExecutorBodies.ExecutorList(out);
  }

  /** Executor id -> the token that registered it (0: none, the in-process executor); fixed at registration. */
  private final Map<String, Long> owners = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * An executor belongs to the token that registered it: only that token (or an ADMIN) may act for it; anyone else
   * gets 403 and changes nothing. 404 when it is not registered.
   */
  private void owned(String id) {
    Long owner = owners.get(id);
    if (owner == null) {
      ExecutorEntity e = executors.findById(id)
          .orElseThrow(() -> ApiException.notFound("executor " + id + " is not registered"));
      owner = e.tokenId == null ? 0L : e.tokenId;
      if (owners.size() > 10_000) {
        owners.clear();
      }
      owners.put(id, owner);
    }
    Caller c = Caller.current().orElseThrow(() -> ApiException.forbidden("not signed in"));
    if (c.role() != Role.ADMIN && (owner == 0 || owner != c.tokenId())) {
      throw ApiException.forbidden("executor " + id + " belongs to another token");
    }
  }

  @Operation(operationId = "leaseTrials")
  @PostMapping("/{id}/leases")
  @ApiResponse(responseCode = "200", description = "the leases granted", content = @Content(
      mediaType = "application/json", schema = @Schema(implementation = ExecutorBodies.Leases.class)))
  Map<String, Object> lease(@PathVariable String id,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, content = @Content(
          schema = @Schema(implementation = ExecutorBodies.LeaseRequest.class),
          examples = @ExampleObject(value = ExecutorBodies.LeaseRequest.EXAMPLE)))
      @RequestBody(required = false) Object body) {
    owned(id);
    var request = ExecutorWire.LeaseRequest.fromJson(body == null ? Map.of() : checked(body));
    return ExecutorWire.writeLeases(dispatch.lease(id, request.max(), request.waitFor()));
  }

  @Operation(operationId = "heartbeatLeases")
  @PostMapping("/{id}/heartbeat")
  @ApiResponse(responseCode = "200", description = "the leases to stop", content = @Content(
      mediaType = "application/json", schema = @Schema(implementation = ExecutorBodies.Stop.class)))
  Map<String, Object> heartbeat(@PathVariable String id,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          schema = @Schema(implementation = ExecutorBodies.Heartbeat.class),
          examples = @ExampleObject(value = ExecutorBodies.Heartbeat.EXAMPLE)))
      @RequestBody Object body) {
    owned(id);
    return ExecutorWire.writeStop(dispatch.heartbeat(id, ExecutorWire.Heartbeat.fromJson(checked(body)).leases()));
  }

  @Operation(operationId = "measureLease")
  @PostMapping("/{id}/leases/{trialId}/{attempt}/measurements")
  @ApiResponse(responseCode = "200", description = "recorded; whether to stop", content = @Content(
      mediaType = "application/json", schema = @Schema(implementation = ExecutorBodies.StopFlag.class)))
  Map<String, Object> measure(@PathVariable String id, @PathVariable long trialId, @PathVariable int attempt,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          schema = @Schema(implementation = ExecutorBodies.Measurement.class),
          examples = @ExampleObject(value = ExecutorBodies.Measurement.EXAMPLE)))
      @RequestBody Object body) {
    owned(id);
    var m = ExecutorWire.Measurement.fromJson(checked(body));
    return ExecutorWire.writeStopFlag(dispatch.report(id, new LeaseRef(trialId, attempt), m.step(), m.values()));
  }

  @Operation(operationId = "completeLease")
  @PostMapping("/{id}/leases/{trialId}/{attempt}/complete")
  @ApiResponse(responseCode = "200", description = "recorded", content = @Content(
      mediaType = "application/json", schema = @Schema(implementation = ExecutorBodies.Reported.class)))
  Map<String, Object> complete(@PathVariable String id, @PathVariable long trialId, @PathVariable int attempt,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          schema = @Schema(implementation = ExecutorBodies.Completion.class),
          examples = @ExampleObject(value = ExecutorBodies.Completion.EXAMPLE)))
      @RequestBody Object body) {
    owned(id);
    dispatch.complete(id, new LeaseRef(trialId, attempt), ExecutorWire.Completion.fromJson(checked(body)).values());
    return ExecutorWire.OK;
  }

  /** A failed attempt; a reason longer than {@link FailureReason#MAX_LENGTH} is refused (400 at {@code reason}). */
  @Operation(operationId = "failLease")
  @PostMapping("/{id}/leases/{trialId}/{attempt}/fail")
  @ApiResponse(responseCode = "200", description = "recorded", content = @Content(
      mediaType = "application/json", schema = @Schema(implementation = ExecutorBodies.Reported.class)))
  Map<String, Object> fail(@PathVariable String id, @PathVariable long trialId, @PathVariable int attempt,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          schema = @Schema(implementation = ExecutorBodies.Failure.class),
          examples = @ExampleObject(value = ExecutorBodies.Failure.EXAMPLE)))
      @RequestBody Object body) {
    owned(id);
    dispatch.fail(id, new LeaseRef(trialId, attempt), ExecutorWire.Failure.fromJson(checked(body)).reason());
    return ExecutorWire.OK;
  }

  /**
   * Several outcomes in one request and one transaction (what an executor's slots finished meanwhile): each item is
   * {@code {"trialId","attempt","values":{}}} (completed) or {@code {"trialId","attempt","reason"}} (failed). The
   * whole body is validated first (a bad one is 400 and changes nothing); then each outcome is judged on its own and
   * the leases that were no longer current come back in {@code stale} (they changed nothing). With
   * {@code "lease": {"max": n}} the answer also carries up to n new leases (no waiting), for the slots the batch
   * frees: one round trip instead of two.
   */
  @Operation(operationId = "reportOutcomes")
  @PostMapping("/{id}/outcomes")
  @ApiResponse(responseCode = "200", description = "recorded; the stale leases and the new ones", content = @Content(
      mediaType = "application/json", schema = @Schema(implementation = ExecutorBodies.OutcomeAnswer.class)))
  Map<String, Object> outcomes(@PathVariable String id,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          schema = @Schema(implementation = ExecutorBodies.OutcomeBatch.class),
          examples = @ExampleObject(value = ExecutorBodies.OutcomeBatch.EXAMPLE)))
      @RequestBody Object body) {
    owned(id);
    var batch = ExecutorWire.OutcomeBatch.fromJson(checked(body));
    var answer = dispatch.finishAndLease(id, batch.outcomes(), batch.lease().orElse(0));
    return new ExecutorWire.OutcomeAnswer(answer.stale(),
        batch.lease().isPresent() ? Optional.of(answer.leases()) : Optional.empty()).toJson();
  }

  @Operation(operationId = "deregisterExecutor")
  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT) // so OpenAPI lists 204
  ResponseEntity<Void> deregister(@PathVariable String id) {
    owned(id);
    dispatch.deregister(id);
    owners.remove(id);
    return ResponseEntity.noContent().build();
  }
}
