package io.sextant.evaluators.executor;

import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.space.SpaceMaps;
import io.sextant.engine.space.Values;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.OutcomeConstraint;
import io.sextant.engine.study.StudyProblem;
import io.sextant.evaluators.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The executor wire format, written once: every message of the executor protocol ({@code /api/v1/executors/**}) as
 * a record or a pair of functions that turn it into the plain JSON tree (maps, lists, strings, numbers, booleans)
 * and back. search-api's {@code DispatchController} reads requests and writes answers with it; the executor's
 * {@link RestDispatchPort} writes requests and reads answers with it, so the two
 * ends cannot drift apart.
 *
 * <pre>
 * POST /executors                          {@link #writeExecutor}, {@link #readExecutor} -> {@link #writeRegistered}
 * POST /executors/{id}/leases              {@link LeaseRequest} -> {@link #writeLeases}, {@link #readLeases}
 * POST /executors/{id}/heartbeat           {@link Heartbeat} -> {@link #writeStop}, {@link #readStop}
 * POST .../leases/{t}/{a}/measurements     {@link Measurement} -> {@link #writeStopFlag}, {@link #readStopFlag}
 * POST .../leases/{t}/{a}/complete         {@link Completion} -> {@link #OK}
 * POST .../leases/{t}/{a}/fail             {@link Failure} -> {@link #OK}
 * POST /executors/{id}/outcomes            {@link OutcomeBatch} -> {@link OutcomeAnswer}
 * </pre>
 *
 * <p>Requests (what the server reads) are read strictly: unknown fields, wrong types and values out of range are a
 * {@link WireFormatException} naming the field, which the server answers with 400. Answers (what the executor
 * reads) are read leniently: unknown fields are ignored, so a newer server may add fields without breaking older
 * executors. Metric values and constraint bounds that are not finite travel as the strings {@code "Infinity"},
 * {@code "-Infinity"} and {@code "NaN"}; an attempt's failure reason follows {@link FailureReason}.
 *
 * <p>search-api's OpenAPI document declares these messages with wire-shaped records ({@code dispatch.ExecutorBodies});
 * its contract test drives an executor with them and validates what this codec writes against them, so a field
 * added or dropped here must be declared there too.
 */
public final class ExecutorWire {
  public static final int MAX_SLOTS = 4096;
  public static final int MAX_CPU_CORES = 65536;
  public static final int MAX_GPUS = 64;
  public static final int MAX_EVALUATORS = 1000;
  /** The most leases one lease request (or an outcome batch's {@code lease}) may ask for. */
  public static final int MAX_LEASES = 1000;
  /** The longest long poll of a lease request. */
  public static final int MAX_WAIT_SECONDS = 60;
  public static final int MAX_OUTCOMES = 1000;
  /** The most leases one heartbeat may name. */
  public static final int MAX_REFS = 10_000;
  public static final int MAX_METRICS = 1000;
  /** The answer to complete and fail. */
  public static final Map<String, Object> OK = Map.of("ok", true);

  private ExecutorWire() {}

  // ---------------------------------------------------------------------------------------------- registration

  /** The register request: {@code {"name","slots","cpuCores","gpus":[{"index","name","memoryMiB"}],"labels",...}}. */
  public static Map<String, Object> writeExecutor(ExecutorInfo info) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", info.name());
    body.put("slots", info.slots());
    body.put("cpuCores", info.cpuCores());
    List<Object> gpus = new ArrayList<>();
    for (ExecutorInfo.Gpu g : info.gpus()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", g.index());
      m.put("name", g.name());
      m.put("memoryMiB", g.memoryMiB());
      gpus.add(m);
    }
    body.put("gpus", gpus);
    body.put("labels", info.labels());
    if (!info.evaluators().isEmpty()) { // left out when undeclared, as older executors send it
      body.put("evaluators", info.evaluators());
    }
    info.pool().ifPresent(p -> body.put("pool", p)); // left out for the default pool
    return body;
  }

  /** Reads a register request (strict); {@code cpuCores} defaults to the slots, a GPU's name to "gpu". */
  public static ExecutorInfo readExecutor(Object body) {
    WireNode f = WireNode.of(body, "");
    f.allowOnly(Set.of("name", "slots", "cpuCores", "gpus", "labels", "evaluators", "pool"));
    String name = f.string("name");
    long slots = f.integer("slots", 1, MAX_SLOTS);
    long cores = f.optLong("cpuCores").orElse(slots);
    if (cores < 1 || cores > MAX_CPU_CORES) {
      throw new WireFormatException("cpuCores", "cpuCores must be between 1 and " + MAX_CPU_CORES);
    }
    List<ExecutorInfo.Gpu> gpus = new ArrayList<>();
    if (f.has("gpus")) {
      List<Object> raw = f.list("gpus");
      if (raw.size() > MAX_GPUS) {
        throw new WireFormatException("gpus", "at most " + MAX_GPUS + " GPUs");
      }
      for (int i = 0; i < raw.size(); i++) {
        WireNode g = WireNode.of(raw.get(i), "gpus[" + i + "]");
        g.allowOnly(Set.of("index", "name", "memoryMiB"));
        gpus.add(new ExecutorInfo.Gpu((int) g.integer("index", 0, Integer.MAX_VALUE),
            g.optString("name").orElse("gpu"), g.optLong("memoryMiB").orElse(0L)));
      }
    }
    Map<String, String> labels = new LinkedHashMap<>();
    f.optObject("labels").ifPresent(l -> l.map().forEach((k, v) -> {
      if (!(v instanceof String s) || k.length() > 100 || s.length() > 200) {
        throw new WireFormatException("labels." + k, "labels are short strings");
      }
      labels.put(k, s);
    }));
    List<String> evaluators = new ArrayList<>();
    if (f.has("evaluators")) {
      List<Object> raw = f.list("evaluators");
      if (raw.size() > MAX_EVALUATORS) {
        throw new WireFormatException("evaluators", "at most " + MAX_EVALUATORS + " evaluators");
      }
      for (int i = 0; i < raw.size(); i++) {
        if (!(raw.get(i) instanceof String s) || s.isBlank() || s.length() > 100) {
          throw new WireFormatException("evaluators[" + i + "]", "evaluator names are strings of 1 to 100 characters");
        }
        evaluators.add(s);
      }
    }
    Optional<String> pool = f.optString("pool");
    if (pool.isPresent() && !ExecutorInfo.isPoolName(pool.get())) {
      throw new WireFormatException("pool", "pool " + ExecutorInfo.POOL_RULE);
    }
    return new ExecutorInfo(name, (int) slots, (int) cores, gpus, labels, evaluators, pool);
  }

  /** The register answer: {@code {"id"}}. */
  public static Map<String, Object> writeRegistered(String executorId) {
    return Map.of("id", executorId);
  }

  /** The executor id of a register answer; never blank. */
  public static String readRegistered(Object answer) {
    String id = Json.string(Json.object(answer, "register answer").get("id"), "register answer id");
    if (id.isBlank()) {
      throw new IllegalStateException("register answered a blank executor id");
    }
    return id;
  }

  // ---------------------------------------------------------------------------------------------- leases

  /** A lease request: up to {@code max} leases, waiting up to {@code wait} (long poll). */
  public record LeaseRequest(int max, Duration waitFor) {
    /** {@code {"max","waitSeconds"}}; a wait that is not whole seconds is a fractional number. */
    public Map<String, Object> toJson() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("max", max);
      Object seconds = waitFor.getNano() == 0 ? (Object) waitFor.getSeconds() : (Object) (waitFor.toNanos() / 1e9);
      body.put("waitSeconds", seconds);
      return body;
    }

    /** Reads a lease request (strict; no body: one lease, no waiting). */
    public static LeaseRequest fromJson(Object body) {
      WireNode f = WireNode.of(body == null ? Map.of() : body, "");
      f.allowOnly(Set.of("max", "waitSeconds"));
      long max = f.optLong("max").orElse(1L);
      if (max < 1 || max > MAX_LEASES) {
        throw new WireFormatException("max", "max must be between 1 and " + MAX_LEASES);
      }
      double wait = f.optDouble("waitSeconds").orElse(0.0);
      if (wait < 0 || wait > MAX_WAIT_SECONDS) {
        throw new WireFormatException("waitSeconds", "waitSeconds must be between 0 and " + MAX_WAIT_SECONDS);
      }
      return new LeaseRequest((int) max, Duration.ofMillis((long) (wait * 1000)));
    }
  }

  /** What to do with a lease in an answer that cannot be read (the others are returned). */
  @FunctionalInterface
  public interface Unreadable {
    void lease(int index, Object item, RuntimeException why);
  }

  /** The lease answer: {@code {"leases":[lease...]}}. */
  public static Map<String, Object> writeLeases(List<Lease> leases) {
    return Map.of("leases", leases.stream().map(ExecutorWire::writeLease).toList());
  }

  /** The leases of a lease answer; one that cannot be read goes to {@code unreadable} and is left out. */
  public static List<Lease> readLeases(Object answer, Unreadable unreadable) {
    return leaseList(Json.object(answer, "lease answer").get("leases"), "lease answer leases", unreadable);
  }

  private static List<Lease> leaseList(Object leases, String what, Unreadable unreadable) {
    List<Object> raw = Json.array(leases, what);
    List<Lease> out = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Object item = raw.get(i);
      try {
        out.add(readLease(Json.object(item, "leases[" + i + "]")));
      } catch (RuntimeException e) {
        unreadable.lease(i, item, e);
      }
    }
    return out;
  }

  /**
   * One lease: {@code {"trialId","attempt","studyId","trialNumber","params":{},"evaluator","evaluatorConfig":{},
   * "problem":{...},"gpus":[0],"expiresAt":"ISO-8601"}}.
   */
  public static Map<String, Object> writeLease(Lease l) {
    Map<String, Object> m = writeRef(l.ref());
    m.put("studyId", l.studyId());
    m.put("trialNumber", l.trialNumber());
    m.put("params", l.params() == null ? Map.of() : l.params());
    m.put("evaluator", l.evaluator());
    m.put("evaluatorConfig", l.evaluatorConfig() == null ? Map.of() : l.evaluatorConfig());
    m.put("problem", writeProblem(l.problem()));
    m.put("gpus", l.gpus() == null ? List.of() : l.gpus());
    m.put("expiresAt", l.expiresAt().toString());
    return m;
  }

  /**
   * Reads one lease (lenient: unknown fields are ignored; {@code params}, {@code evaluatorConfig},
   * {@code problem.constraints} and {@code gpus} may be left out).
   *
   * @throws IllegalArgumentException naming the field that cannot be read
   */
  public static Lease readLease(Object json) {
    Map<String, Object> m = Json.object(json, "lease");
    LeaseRef ref = readRef(m, "");
    long studyId = Json.integer(m.get("studyId"), "studyId");
    long trialNumber = Json.integer(m.get("trialNumber"), "trialNumber");
    Map<String, Object> params = new LinkedHashMap<>();
    Object rawParams = m.get("params");
    if (rawParams != null) {
      Json.object(rawParams, "params").forEach((k, v) -> params.put(k, scalar(v)));
    }
    String evaluator = Json.string(m.get("evaluator"), "evaluator");
    Object cfg = m.get("evaluatorConfig");
    Map<String, Object> config = cfg == null ? Map.of() : Json.object(cfg, "evaluatorConfig");
    StudyProblem problem = readProblem(Json.object(m.get("problem"), "problem"));
    List<Integer> gpus = new ArrayList<>();
    Object g = m.get("gpus");
    if (g != null) {
      List<Object> raw = Json.array(g, "gpus");
      for (int i = 0; i < raw.size(); i++) {
        long idx = Json.integer(raw.get(i), "gpus[" + i + "]");
        if (idx < 0 || idx > Integer.MAX_VALUE) {
          throw new IllegalArgumentException("gpus[" + i + "] must be a device index >= 0");
        }
        gpus.add((int) idx);
      }
    }
    Instant expiresAt = instant(Json.string(m.get("expiresAt"), "expiresAt"));
    return new Lease(ref, studyId, trialNumber, params, evaluator, config, problem, List.copyOf(gpus), expiresAt);
  }

  private static Object scalar(Object v) {
    if (v instanceof Number || v instanceof String || v instanceof Boolean) {
      return Values.normalize(v);
    }
    return v;
  }

  private static Instant instant(String s) {
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException("expiresAt must be an ISO-8601 instant (got \"" + s + "\")");
      }
    }
  }

  /**
   * A study's problem as a lease carries it: {@code {"space":<SpaceMaps form>,"objectives":[{"metric","direction"}],
   * "constraints":[{"metric","op","bound"}]}}; an op is written {@code "<="} or {@code ">="}
   * ({@link OutcomeConstraint.Op#symbol()}).
   */
  public static Map<String, Object> writeProblem(StudyProblem p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("space", SpaceMaps.render(p.space()));
    m.put("objectives", p.objectives().stream()
        .map(o -> Map.of("metric", o.metric(), "direction", o.direction().name())).toList());
    m.put("constraints", p.constraints().stream()
        .map(c -> Map.of("metric", c.metric(), "op", c.op().symbol(), "bound", Json.encode(c.bound()))).toList());
    return m;
  }

  /**
   * Reads a lease's problem (lenient): a missing direction is MINIMIZE, a direction is read in any case, an op by
   * {@link OutcomeConstraint.Op#parse} (the aliases a study body accepts).
   */
  public static StudyProblem readProblem(Object json) {
    Map<String, Object> p = Json.object(json, "problem");
    SearchSpace space;
    try {
      space = SpaceMaps.parse(p.get("space"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("problem.space: " + e.getMessage(), e);
    }
    List<Objective> objectives = new ArrayList<>();
    List<Object> rawObjectives = Json.array(p.get("objectives"), "problem.objectives");
    for (int i = 0; i < rawObjectives.size(); i++) {
      String at = "problem.objectives[" + i + "].";
      Map<String, Object> o = Json.object(rawObjectives.get(i), at.substring(0, at.length() - 1));
      String metric = Json.string(o.get("metric"), at + "metric");
      Object d = o.get("direction");
      Direction direction;
      try {
        direction = d == null ? Direction.MINIMIZE
            : Direction.valueOf(Json.string(d, at + "direction").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + "direction must be MINIMIZE or MAXIMIZE");
      }
      objectives.add(new Objective(metric, direction));
    }
    List<OutcomeConstraint> constraints = new ArrayList<>();
    Object rc = p.get("constraints");
    List<Object> rawConstraints = rc == null ? List.of() : Json.array(rc, "problem.constraints");
    for (int i = 0; i < rawConstraints.size(); i++) {
      String at = "problem.constraints[" + i + "].";
      Map<String, Object> c = Json.object(rawConstraints.get(i), at.substring(0, at.length() - 1));
      String metric = Json.string(c.get("metric"), at + "metric");
      OutcomeConstraint.Op op = OutcomeConstraint.Op.parse(Json.string(c.get("op"), at + "op"))
          .orElseThrow(() -> new IllegalArgumentException(at + "op must be \"<=\" or \">=\""));
      constraints.add(new OutcomeConstraint(metric, op, Json.number(c.get("bound"), at + "bound")));
    }
    if (objectives.isEmpty()) {
      throw new IllegalArgumentException("problem.objectives must name at least one objective");
    }
    return new StudyProblem(space, objectives, constraints);
  }

  // ---------------------------------------------------------------------------------------------- lease refs

  /** A lease reference: {@code {"trialId","attempt"}}. */
  public static Map<String, Object> writeRef(LeaseRef ref) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trialId", ref.trialId());
    m.put("attempt", ref.attempt());
    return m;
  }

  /** Reads a lease reference of an answer (lenient), naming fields with the prefix {@code at}. */
  public static LeaseRef readRef(Object json, String at) {
    Map<String, Object> m = Json.object(json, at.isEmpty() ? "lease" : at.substring(0, at.length() - 1));
    long trialId = Json.integer(m.get("trialId"), at + "trialId");
    long attempt = Json.integer(m.get("attempt"), at + "attempt");
    if (attempt < 0 || attempt > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(at + "attempt is out of range");
    }
    return new LeaseRef(trialId, (int) attempt);
  }

  /** Reads a lease reference of a request (strict types; other fields are ignored, as they always were). */
  private static LeaseRef requestRef(WireNode r) {
    return new LeaseRef(r.integer("trialId"), (int) r.integer("attempt", 0, Integer.MAX_VALUE));
  }

  private static List<Object> refList(List<LeaseRef> refs) {
    return refs.stream().<Object>map(ExecutorWire::writeRef).toList();
  }

  private static List<LeaseRef> readRefList(Object raw, String what) {
    List<Object> list = Json.array(raw, what);
    List<LeaseRef> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(readRef(list.get(i), what.substring(what.lastIndexOf(' ') + 1) + "[" + i + "]."));
    }
    return out;
  }

  /** A heartbeat: the leases the executor still runs. */
  public record Heartbeat(List<LeaseRef> leases) {
    public Heartbeat {
      leases = List.copyOf(leases);
    }

    /** {@code {"leases":[{"trialId","attempt"}]}}. */
    public Map<String, Object> toJson() {
      return Map.of("leases", refList(leases));
    }

    /** Reads a heartbeat (strict; no {@code leases}: none). */
    public static Heartbeat fromJson(Object body) {
      WireNode f = WireNode.of(body, "");
      f.allowOnly(Set.of("leases"));
      List<Object> raw = f.has("leases") ? f.list("leases") : List.of();
      if (raw.size() > MAX_REFS) {
        throw new WireFormatException("leases", "too many leases");
      }
      List<LeaseRef> out = new ArrayList<>();
      for (int i = 0; i < raw.size(); i++) {
        out.add(requestRef(WireNode.of(raw.get(i), "leases[" + i + "]")));
      }
      return new Heartbeat(out);
    }
  }

  /** The heartbeat answer: {@code {"stop":[{"trialId","attempt"}]}}, the leases that must stop. */
  public static Map<String, Object> writeStop(List<LeaseRef> stop) {
    return Map.of("stop", refList(stop));
  }

  /** The leases a heartbeat answer says to stop (none when it says nothing). */
  public static List<LeaseRef> readStop(Object answer) {
    Object stop = answer == null ? null : Json.object(answer, "heartbeat answer").get("stop");
    return stop == null ? List.of() : readRefList(stop, "heartbeat answer stop");
  }

  // ---------------------------------------------------------------------------------------------- reports

  /** An intermediate measurement of a lease. */
  public record Measurement(long step, Map<String, Double> values) {
    /** {@code {"step","values":{}}}, non-finite values as strings. */
    public Map<String, Object> toJson() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("step", step);
      body.put("values", Json.encodeValues(values));
      return body;
    }

    /** Reads a measurement (strict): step >= 0, values required. */
    public static Measurement fromJson(Object body) {
      WireNode f = WireNode.of(body, "");
      f.allowOnly(Set.of("step", "values"));
      long step = f.integer("step");
      if (step < 0) {
        throw new WireFormatException("step", "step must be >= 0");
      }
      return new Measurement(step, metricValues(f, "values"));
    }
  }

  /** The measurement answer: {@code {"stop": bool}}, whether the attempt must stop. */
  public static Map<String, Object> writeStopFlag(boolean stop) {
    return Map.of("stop", stop);
  }

  /** Whether a measurement answer says stop (no answer or no {@code stop}: no). */
  public static boolean readStopFlag(Object answer) {
    Object stop = answer == null ? null : Json.object(answer, "measurement answer").get("stop");
    if (stop == null) {
      return false;
    }
    if (!(stop instanceof Boolean b)) {
      throw new IllegalArgumentException("measurement answer stop must be true or false");
    }
    return b;
  }

  /** The final metrics of a successful attempt. */
  public record Completion(Map<String, Double> values) {
    /** {@code {"values":{}}}, non-finite values as strings. */
    public Map<String, Object> toJson() {
      return Map.of("values", Json.encodeValues(values));
    }

    /** Reads a completion (strict). */
    public static Completion fromJson(Object body) {
      WireNode f = WireNode.of(body, "");
      f.allowOnly(Set.of("values"));
      return new Completion(metricValues(f, "values"));
    }
  }

  /** A failed attempt and why. */
  public record Failure(String reason) {
    /** {@code {"reason"}}. */
    public Map<String, Object> toJson() {
      return Map.of("reason", reason);
    }

    /** Reads a failure (strict; the reason follows {@link FailureReason#check}). */
    public static Failure fromJson(Object body) {
      WireNode f = WireNode.of(body, "");
      f.allowOnly(Set.of("reason"));
      return new Failure(FailureReason.check(f.raw("reason"), "reason"));
    }
  }

  /** Several outcomes, and optionally a lease request (no waiting) for the slots they free. */
  public record OutcomeBatch(List<Outcome> outcomes, Optional<Integer> lease) {
    public OutcomeBatch {
      outcomes = List.copyOf(outcomes);
    }

    /**
     * {@code {"outcomes":[{"trialId","attempt","values":{}} | {"trialId","attempt","reason"}],"lease":{"max"}}};
     * {@code lease} only when asked for.
     */
    public Map<String, Object> toJson() {
      List<Object> items = new ArrayList<>();
      for (Outcome o : outcomes) {
        Map<String, Object> m = writeRef(o.ref());
        if (o.isCompleted()) {
          m.put("values", Json.encodeValues(o.values()));
        } else {
          m.put("reason", o.reason());
        }
        items.add(m);
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("outcomes", items);
      lease.ifPresent(max -> body.put("lease", Map.of("max", max)));
      return body;
    }

    /** Reads a batch (strict: the whole body is checked before anything is recorded). */
    public static OutcomeBatch fromJson(Object body) {
      WireNode f = WireNode.of(body, "");
      f.allowOnly(Set.of("outcomes", "lease"));
      Optional<Integer> lease = Optional.empty();
      if (f.has("lease")) {
        WireNode l = f.optObject("lease").orElseThrow();
        l.allowOnly(Set.of("max"));
        lease = Optional.of((int) l.integer("max", 0, MAX_LEASES));
      }
      List<Object> raw = f.list("outcomes");
      if (raw.size() > MAX_OUTCOMES) {
        throw new WireFormatException("outcomes", "at most " + MAX_OUTCOMES + " outcomes per request");
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (int i = 0; i < raw.size(); i++) {
        String at = "outcomes[" + i + "]";
        WireNode o = WireNode.of(raw.get(i), at);
        o.allowOnly(Set.of("trialId", "attempt", "values", "reason"));
        LeaseRef ref = requestRef(o);
        if (o.has("values") == o.has("reason")) {
          throw new WireFormatException(at, "an outcome has either 'values' (completed) or 'reason' (failed)");
        }
        outcomes.add(o.has("values") ? Outcome.completed(ref, metricValues(o, "values"))
            : Outcome.failed(ref, FailureReason.check(o.raw("reason"), at + ".reason")));
      }
      return new OutcomeBatch(outcomes, lease);
    }
  }

  /** The answer to a batch: the stale leases, and the new leases when the batch asked for some. */
  public record OutcomeAnswer(List<LeaseRef> stale, Optional<List<Lease>> leases) {
    public OutcomeAnswer {
      stale = List.copyOf(stale);
      leases = leases.map(List::copyOf);
    }

    /** {@code {"stale":[{"trialId","attempt"}],"leases":[lease...]}} ({@code leases} only when asked for). */
    public Map<String, Object> toJson() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("stale", refList(stale));
      leases.ifPresent(l -> out.put("leases", l.stream().map(ExecutorWire::writeLease).toList()));
      return out;
    }

    /** Reads the answer (lenient; an empty answer: nothing stale, no leases). */
    public static OutcomeAnswer fromJson(Object answer, Unreadable unreadable) {
      Map<String, Object> a = answer == null ? Map.of() : Json.object(answer, "outcomes answer");
      List<LeaseRef> stale = readRefList(a.getOrDefault("stale", List.of()), "outcomes answer stale");
      Object leases = a.get("leases");
      return new OutcomeAnswer(stale, leases == null ? Optional.empty()
          : Optional.of(leaseList(leases, "outcomes answer leases", unreadable)));
    }
  }

  // ---------------------------------------------------------------------------------------------- values

  /**
   * Metric values of a request (strict): an object of at most {@link #MAX_METRICS} metrics, names of 1 to 200
   * characters, values numbers or the strings NaN / Infinity / -Infinity (any case; also inf, +inf, -inf).
   */
  static Map<String, Double> metricValues(WireNode parent, String name) {
    WireNode values = parent.optObject(name)
        .orElseThrow(() -> new WireFormatException(parent.at(name), "'" + parent.at(name) + "' is required"));
    if (values.map().size() > MAX_METRICS) {
      throw new WireFormatException(values.path(), "at most " + MAX_METRICS + " metrics");
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (var e : values.map().entrySet()) {
      if (e.getKey().isBlank() || e.getKey().length() > WireNode.MAX_NAME) {
        throw new WireFormatException(values.path(), "metric names must be 1 to " + WireNode.MAX_NAME + " characters");
      }
      Double d = number(e.getValue());
      if (d == null) {
        throw new WireFormatException(values.at(e.getKey()),
            "'" + e.getKey() + "' must be a number (or \"NaN\", \"Infinity\", \"-Infinity\")");
      }
      out.put(e.getKey(), d);
    }
    return out;
  }

  /** A metric value as a request may give it; null when it is none. */
  private static Double number(Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      return switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "nan" -> Double.NaN;
        case "infinity", "+infinity", "inf", "+inf" -> Double.POSITIVE_INFINITY;
        case "-infinity", "-inf" -> Double.NEGATIVE_INFINITY;
        default -> null;
      };
    }
    return null;
  }
}
