package io.sextant.api.dispatch;

import io.sextant.api.auth.Caller;
import io.sextant.api.auth.Role;
import io.sextant.api.common.ApiException;
import io.sextant.api.common.Fields;
import io.sextant.api.common.Json;
import io.sextant.engine.space.SpaceMaps;
import io.sextant.engine.study.OutcomeConstraint;
import io.sextant.engine.study.StudyProblem;
import io.sextant.evaluators.executor.ExecutorInfo;
import io.sextant.evaluators.executor.Lease;
import io.sextant.evaluators.executor.LeaseRef;
import io.sextant.evaluators.executor.Outcome;
import io.sextant.evaluators.executor.StaleLeaseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * calls directly. Reports name their lease by trial id and attempt; a stale lease gets 409 and changes nothing.
 */
@RestController
@RequestMapping("/api/v1/executors")
class DispatchController {
  static final int MAX_WAIT_SECONDS = 60;
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

  @ExceptionHandler(io.sextant.evaluators.executor.UnknownExecutorException.class)
  ResponseEntity<Object> unknown(io.sextant.evaluators.executor.UnknownExecutorException e) {
    return io.sextant.api.common.ProblemHandler.problem(HttpStatus.NOT_FOUND, null, e.detail());
  }

  @PostMapping
  ResponseEntity<Map<String, String>> register(@RequestBody Object body) {
    Fields f = Fields.of(body, "");
    f.allowOnly(Set.of("name", "slots", "cpuCores", "gpus", "labels", "evaluators"));
    String name = f.string("name");
    long slots = f.integer("slots");
    if (slots < 1 || slots > 4096) {
      throw ApiException.badRequest("slots", "slots must be between 1 and 4096");
    }
    long cores = f.optLong("cpuCores").orElse(slots);
    if (cores < 1 || cores > 65536) {
      throw ApiException.badRequest("cpuCores", "cpuCores must be between 1 and 65536");
    }
    List<ExecutorInfo.Gpu> gpus = new ArrayList<>();
    if (f.has("gpus")) {
      List<Object> raw = f.list("gpus");
      if (raw.size() > 64) {
        throw ApiException.badRequest("gpus", "at most 64 GPUs");
      }
      for (int i = 0; i < raw.size(); i++) {
        Fields g = Fields.of(raw.get(i), "gpus[" + i + "]");
        g.allowOnly(Set.of("index", "name", "memoryMiB"));
        gpus.add(new ExecutorInfo.Gpu((int) g.integer("index"), g.optString("name").orElse("gpu"),
            g.optLong("memoryMiB").orElse(0L)));
      }
    }
    Map<String, String> labels = new LinkedHashMap<>();
    f.optObject("labels").ifPresent(l -> l.map().forEach((k, v) -> {
      if (!(v instanceof String s) || k.length() > 100 || s.length() > 200) {
        throw ApiException.badRequest("labels." + k, "labels are short strings");
      }
      labels.put(k, s);
    }));
    List<String> evaluators = new ArrayList<>();
    if (f.has("evaluators")) {
      List<Object> raw = f.list("evaluators");
      if (raw.size() > 1000) {
        throw ApiException.badRequest("evaluators", "at most 1000 evaluators");
      }
      for (int i = 0; i < raw.size(); i++) {
        if (!(raw.get(i) instanceof String s) || s.isBlank() || s.length() > 100) {
          throw ApiException.badRequest("evaluators[" + i + "]", "evaluator names are strings of 1 to 100 characters");
        }
        evaluators.add(s);
      }
    }
    Caller c = Caller.current().orElseThrow(() -> ApiException.forbidden("not signed in"));
    String id = dispatch.register(new ExecutorInfo(name, (int) slots, (int) cores, gpus, labels, evaluators),
        c.tokenId() > 0 ? c.tokenId() : null, c.leasesAll() || c.role() == Role.ADMIN ? null : c.userId());
    return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", id));
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
    Fields f = Fields.of(body == null ? Map.of() : body, "");
    f.allowOnly(Set.of("max", "waitSeconds"));
    long max = f.optLong("max").orElse(1L);
    if (max < 1 || max > 1000) {
      throw ApiException.badRequest("max", "max must be between 1 and 1000");
    }
    double wait = f.optDouble("waitSeconds").orElse(0.0);
    if (wait < 0 || wait > MAX_WAIT_SECONDS) {
      throw ApiException.badRequest("waitSeconds", "waitSeconds must be between 0 and " + MAX_WAIT_SECONDS);
    }
    return Map.of("leases", dispatch.lease(id, (int) max, Duration.ofMillis((long) (wait * 1000))).stream()
        .map(DispatchController::leaseJson).toList());
  }

  private static Map<String, Object> leaseJson(Lease l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trialId", l.ref().trialId());
    m.put("attempt", l.ref().attempt());
    m.put("studyId", l.studyId());
    m.put("trialNumber", l.trialNumber());
    m.put("params", l.params());
    m.put("evaluator", l.evaluator());
    m.put("evaluatorConfig", l.evaluatorConfig());
    m.put("problem", problem(l.problem()));
    m.put("gpus", l.gpus());
    m.put("expiresAt", l.expiresAt().toString());
    return m;
  }

  static Map<String, Object> problem(StudyProblem p) {
    return Map.of(
        "space", SpaceMaps.render(p.space()),
        "objectives", p.objectives().stream()
            .map(o -> Map.of("metric", o.metric(), "direction", o.direction().name())).toList(),
        "constraints", p.constraints().stream()
            .map(c -> Map.of("metric", c.metric(), "op", c.op() == OutcomeConstraint.Op.LE ? "<=" : ">=",
                "bound", c.bound())).toList());
  }

  @PostMapping("/{id}/heartbeat")
  Map<String, Object> heartbeat(@PathVariable String id, @RequestBody Object body) {
    owned(id);
    Fields f = Fields.of(body, "");
    f.allowOnly(Set.of("leases"));
    List<LeaseRef> refs = refs(f.has("leases") ? f.list("leases") : List.of());
    return Map.of("stop", dispatch.heartbeat(id, refs).stream()
        .map(r -> Map.of("trialId", r.trialId(), "attempt", r.attempt())).toList());
  }

  private static List<LeaseRef> refs(List<Object> raw) {
    if (raw.size() > 10_000) {
      throw ApiException.badRequest("leases", "too many leases");
    }
    List<LeaseRef> out = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Fields r = Fields.of(raw.get(i), "leases[" + i + "]");
      out.add(new LeaseRef(r.integer("trialId"), (int) r.integer("attempt")));
    }
    return out;
  }

  private static Map<String, Double> values(Fields f) {
    return Json.metricValues(
        f.optObject("values").orElseThrow(() -> ApiException.badRequest("values", "'values' is required")));
  }

  @PostMapping("/{id}/leases/{trialId}/{attempt}/measurements")
  Map<String, Boolean> measure(@PathVariable String id, @PathVariable long trialId, @PathVariable int attempt,
      @RequestBody Object body) {
    owned(id);
    Fields f = Fields.of(body, "");
    f.allowOnly(Set.of("step", "values"));
    long step = f.integer("step");
    if (step < 0) {
      throw ApiException.badRequest("step", "step must be >= 0");
    }
    Map<String, Double> values = values(f);
    return Map.of("stop", dispatch.report(id, new LeaseRef(trialId, attempt), step, values));
  }

  @PostMapping("/{id}/leases/{trialId}/{attempt}/complete")
  Map<String, Object> complete(@PathVariable String id, @PathVariable long trialId, @PathVariable int attempt,
      @RequestBody Object body) {
    owned(id);
    Fields f = Fields.of(body, "");
    f.allowOnly(Set.of("values"));
    Map<String, Double> values = values(f);
    dispatch.complete(id, new LeaseRef(trialId, attempt), values);
    return Map.of("ok", true);
  }

  @PostMapping("/{id}/leases/{trialId}/{attempt}/fail")
  Map<String, Object> fail(@PathVariable String id, @PathVariable long trialId, @PathVariable int attempt,
      @RequestBody Object body) {
    owned(id);
    Fields f = Fields.of(body, "");
    f.allowOnly(Set.of("reason"));
    Object reason = f.raw("reason");
    if (!(reason instanceof String s) || s.isBlank()) {
      throw ApiException.badRequest("reason", "'reason' is required");
    }
    dispatch.fail(id, new LeaseRef(trialId, attempt), s.length() > 10_000 ? s.substring(s.length() - 10_000) : s);
    return Map.of("ok", true);
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
    Fields f = Fields.of(body, "");
    f.allowOnly(Set.of("outcomes", "lease"));
    long max = 0;
    if (f.has("lease")) {
      Fields l = f.optObject("lease").orElseThrow(() -> ApiException.badRequest("lease", "'lease' is an object"));
      l.allowOnly(Set.of("max"));
      max = l.integer("max");
      if (max < 0 || max > 1000) {
        throw ApiException.badRequest("lease.max", "max must be between 0 and 1000");
      }
    }
    List<Object> raw = f.list("outcomes");
    if (raw.size() > 1000) {
      throw ApiException.badRequest("outcomes", "at most 1000 outcomes per request");
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String at = "outcomes[" + i + "]";
      Fields o = Fields.of(raw.get(i), at);
      o.allowOnly(Set.of("trialId", "attempt", "values", "reason"));
      LeaseRef ref = new LeaseRef(o.integer("trialId"), (int) o.integer("attempt"));
      if (o.has("values") == o.has("reason")) {
        throw ApiException.badRequest(at, "an outcome has either 'values' (completed) or 'reason' (failed)");
      }
      if (o.has("values")) {
        outcomes.add(Outcome.completed(ref, Json.metricValues(o.optObject("values")
            .orElseThrow(() -> ApiException.badRequest(at + ".values", "'values' is an object of metrics")))));
      } else if (!(o.raw("reason") instanceof String r) || r.isBlank()) {
        throw ApiException.badRequest(at + ".reason", "'reason' is a non-empty string");
      } else {
        outcomes.add(Outcome.failed(ref, r.length() > 10_000 ? r.substring(r.length() - 10_000) : r));
      }
    }
    var answer = dispatch.finishAndLease(id, outcomes, (int) max);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("stale", answer.stale().stream().map(r -> Map.of("trialId", r.trialId(), "attempt", r.attempt())).toList());
    if (f.has("lease")) {
      out.put("leases", answer.leases().stream().map(DispatchController::leaseJson).toList());
    }
    return out;
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> deregister(@PathVariable String id) {
    owned(id);
    dispatch.deregister(id);
    owners.remove(id);
    return ResponseEntity.noContent().build();
  }
}
