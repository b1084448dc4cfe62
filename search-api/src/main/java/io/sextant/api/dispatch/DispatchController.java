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
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.springframework.web.bind.annotation.RestController;

/**
 * The executor protocol over REST (remote executor nodes): the same {@link DispatchService} the in-process executor
 * calls directly. Bodies are read and answers written by {@link ExecutorWire}, the codec the executor's
 * {@code RestDispatchPort} uses for the other end. Every call names its executor in the path: the caller's token must
 * own it (403 else), and reports name their lease by trial id and attempt, which must be that executor's current
 * lease (409 else, nothing changed), exactly as {@link DispatchService} checks it for the in-process executor.
 */
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

  @PostMapping
  ResponseEntity<Map<String, Object>> register(@RequestBody Object body) {
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

  @GetMapping
  Map<String, Object> list() {
    Map<String, List<Map<String, Long>>> busy = new java.util.HashMap<>();
    for (Object[] row : leases.runningTrials()) {
      busy.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add(
          Map.of("studyId", ((Number) row[1]).longValue(), "number", ((Number) row[2]).longValue()));
    }
    java.time.OffsetDateTime lostBefore = leases.dbNow().minusSeconds((long) Math.ceil(3 * dispatch.leaseSeconds()));
    List<Map<String, Object>> out = new ArrayList<>();
    for (ExecutorEntity e : executors.findAll(org.springframework.data.domain.Sort.by("registeredAt"))) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", e.id);
      m.put("name", e.name);
      m.put("state", e.lastSeenAt.isBefore(lostBefore) ? "LOST" : "ACTIVE");
      m.put("slots", e.slots);
      List<Map<String, Long>> running = busy.getOrDefault(e.id, List.of());
      m.put("slotsInUse", running.size());
      m.put("runningTrials", running);
      m.put("cpuCores", e.cpuCores);
      m.put("gpus", json.readList(e.gpus));
      m.put("labels", json.readMap(e.labels));
      m.put("trialsCompleted", e.trialsCompleted);
      m.put("attemptsFailed", e.attemptsFailed);
      if (e.evaluators != null) {
        m.put("evaluators", json.readList(e.evaluators));
      }
      if (e.pool != null) {
        m.put("pool", e.pool);
      }
      m.put("registeredAt", e.registeredAt);
      m.put("lastSeenAt", e.lastSeenAt);
      out.add(m);
    }
    return Map.of("executors", out);
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

  @PostMapping("/{id}/leases")
  Map<String, Object> lease(@PathVariable String id, @RequestBody(required = false) Object body) {
    owned(id);
    var request = ExecutorWire.LeaseRequest.fromJson(body == null ? Map.of() : checked(body));
    return ExecutorWire.writeLeases(dispatch.lease(id, request.max(), request.waitFor()));
  }

  @PostMapping("/{id}/heartbeat")
  Map<String, Object> heartbeat(@PathVariable String id, @RequestBody Object body) {
    owned(id);
    return ExecutorWire.writeStop(dispatch.heartbeat(id, ExecutorWire.Heartbeat.fromJson(checked(body)).leases()));
  }

  @PostMapping("/{id}/leases/{trialId}/{attempt}/measurements")
  Map<String, Object> measure(@PathVariable String id, @PathVariable long trialId, @PathVariable int attempt,
      @RequestBody Object body) {
    owned(id);
    var m = ExecutorWire.Measurement.fromJson(checked(body));
    return ExecutorWire.writeStopFlag(dispatch.report(id, new LeaseRef(trialId, attempt), m.step(), m.values()));
  }

  @PostMapping("/{id}/leases/{trialId}/{attempt}/complete")
  Map<String, Object> complete(@PathVariable String id, @PathVariable long trialId, @PathVariable int attempt,
      @RequestBody Object body) {
    owned(id);
    dispatch.complete(id, new LeaseRef(trialId, attempt), ExecutorWire.Completion.fromJson(checked(body)).values());
    return ExecutorWire.OK;
  }

  /** A failed attempt; a reason longer than {@link FailureReason#MAX_LENGTH} is refused (400 at {@code reason}). */
  @PostMapping("/{id}/leases/{trialId}/{attempt}/fail")
  Map<String, Object> fail(@PathVariable String id, @PathVariable long trialId, @PathVariable int attempt,
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
  @PostMapping("/{id}/outcomes")
  Map<String, Object> outcomes(@PathVariable String id, @RequestBody Object body) {
    owned(id);
    var batch = ExecutorWire.OutcomeBatch.fromJson(checked(body));
    var answer = dispatch.finishAndLease(id, batch.outcomes(), batch.lease().orElse(0));
    return new ExecutorWire.OutcomeAnswer(answer.stale(),
        batch.lease().isPresent() ? Optional.of(answer.leases()) : Optional.empty()).toJson();
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> deregister(@PathVariable String id) {
    owned(id);
    dispatch.deregister(id);
    owners.remove(id);
    return ResponseEntity.noContent().build();
  }
}
