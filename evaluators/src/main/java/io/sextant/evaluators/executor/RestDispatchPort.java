package io.sextant.evaluators.executor;

import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.space.SpaceMaps;
import io.sextant.engine.space.Values;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.OutcomeConstraint;
import io.sextant.engine.study.StudyProblem;
import io.sextant.evaluators.json.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * {@link DispatchPort} over the REST protocol of search-api (JSON bodies, {@code /api/v1/executors/...}):
 *
 * <pre>
 * POST   /api/v1/executors                      {"name","slots","cpuCores","gpus":[{"index","name","memoryMiB"}],"labels":{}}
 *                                               -> 201 {"id"}
 * POST   /api/v1/executors/{id}/leases          {"max","waitSeconds"} -> 200 {"leases":[lease...]}
 * POST   /api/v1/executors/{id}/heartbeat       {"leases":[{"trialId","attempt"}]} -> 200 {"stop":[{"trialId","attempt"}]}
 * POST   /api/v1/executors/{id}/leases/{trialId}/{attempt}/measurements {"step","values":{}} -> 200 {"stop":bool}
 * POST   /api/v1/executors/{id}/leases/{trialId}/{attempt}/complete     {"values":{}} -> 200
 * POST   /api/v1/executors/{id}/leases/{trialId}/{attempt}/fail         {"reason"} -> 200
 * POST   /api/v1/executors/{id}/outcomes        {"outcomes":[{"trialId","attempt","values":{}} | {"trialId","attempt","reason"}],
 *                                                "lease":{"max"}}   (lease optional: new leases in the same round trip, no waiting)
 *                                               -> 200 {"stale":[{"trialId","attempt"}],"leases":[lease...]}
 * DELETE /api/v1/executors/{id}                 -> 204
 * </pre>
 *
 * A lease is {@code {"trialId","attempt","studyId","trialNumber","params":{},"evaluator","evaluatorConfig":{},
 * "problem":{"space":<SpaceMaps form>,"objectives":[{"metric","direction"}],"constraints":[{"metric","op","bound"}]},
 * "gpus":[0],"expiresAt":"ISO-8601"}}}; {@code params}, {@code evaluatorConfig}, {@code constraints} and {@code gpus} may be left out (empty).
 * Metric values and constraint bounds that are not finite travel as the strings {@code "Infinity"},
 * {@code "-Infinity"} and {@code "NaN"}. {@code waitSeconds} is a JSON number, fractional when the wait is not a
 * whole number of seconds.
 *
 * <p>Errors: 409 (and 404 on a lease's measurements/complete/fail) is a {@link StaleLeaseException}; 404 on a lease
 * request or heartbeat is an {@link UnknownExecutorException}; any other non-2xx status is a
 * {@link DispatchHttpException} carrying the {@code application/problem+json} detail; a connection failure or
 * timeout is an {@link UncheckedIOException}; so is an interrupt (the thread's interrupt flag is kept). A lease in
 * an answer that cannot be read is failed at once with the reason and left out; the others are returned.
 *
 * <p>One port serves one executor: the lease paths of {@code report}, {@code complete} and {@code fail} name the
 * executor id that the last {@link #register} returned (a report for a lease granted under an earlier id is then
 * refused by the server as stale).
 *
 * <p>With a token, every request carries {@code Authorization: Bearer <token>}. A lease request's HTTP timeout is
 * its wait plus the request timeout. Thread-safe.
 */
public final class RestDispatchPort implements DispatchPort, AutoCloseable {
  /** Default limit for one request (a lease request waits this much longer than its long poll). */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private static final System.Logger LOG = System.getLogger(RestDispatchPort.class.getName());
  private static final int MAX_DETAIL = 500;

  private final String base;
  private final Optional<String> token;
  private final Duration requestTimeout;
  private final HttpClient client;
  private final Set<CompletableFuture<?>> polls = ConcurrentHashMap.newKeySet();
  private volatile boolean leasingStopped;
  /** The id the last {@link #register} got: lease paths name it (one port serves one executor). */
  private volatile String owner;

  /** A client of the server at {@code server} (e.g. {@code http://host:8080}) with the default request timeout. */
  public RestDispatchPort(URI server, Optional<String> token) {
    this(server, token, DEFAULT_REQUEST_TIMEOUT);
  }

  /**
   * A client of the server at {@code server}: an http or https URI, optionally with a path prefix under which
   * {@code /api/v1} lives.
   *
   * @throws IllegalArgumentException when the URI is not absolute http(s) or the timeout is not positive
   */
  public RestDispatchPort(URI server, Optional<String> token, Duration requestTimeout) {
    Objects.requireNonNull(server, "server");
    String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || server.getHost() == null) {
      throw new IllegalArgumentException("server must be an http or https URL (got " + server + ")");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("request timeout must be positive");
    }
    String s = server.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    this.base = s + "/api/v1/executors";
    this.token = Objects.requireNonNull(token, "token").filter(t -> !t.isBlank());
    this.requestTimeout = requestTimeout;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  @Override
  public String register(ExecutorInfo info) {
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
    if (!info.evaluators().isEmpty()) {
      body.put("evaluators", info.evaluators());
    }
    Object answer = send("POST", base, body, requestTimeout, Kind.OTHER);
    String id = Json.string(Json.object(answer, "register answer").get("id"), "register answer id");
    if (id.isBlank()) {
      throw new IllegalStateException("register answered a blank executor id");
    }
    owner = id;
    return id;
  }

  @Override
  public List<Lease> lease(String executorId, int max, Duration wait) {
    if (leasingStopped) {
      return List.of();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("max", max);
    body.put("waitSeconds", seconds(wait));
    Object answer = send("POST", executor(executorId) + "/leases", body, wait.plus(requestTimeout), Kind.EXECUTOR);
    if (answer == null) {
      return List.of(); // cancelled by stopLeasing()
    }
    return leases(Json.object(answer, "lease answer").get("leases"));
  }

  /** The leases of an answer; one that cannot be read is failed at once ({@link #refuse}) and left out. */
  private List<Lease> leases(Object leases) {
    List<Object> raw = Json.array(leases, "lease answer leases");
    List<Lease> out = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Object item = raw.get(i);
      try {
        out.add(parseLease(Json.object(item, "leases[" + i + "]")));
      } catch (RuntimeException e) {
        refuse(item, i, e);
      }
    }
    return out;
  }

  @Override
  public List<LeaseRef> heartbeat(String executorId, List<LeaseRef> running) {
    List<Object> leases = running.stream().<Object>map(RestDispatchPort::refJson).toList();
    Object answer = send("POST", executor(executorId) + "/heartbeat", Map.of("leases", leases), requestTimeout,
        Kind.EXECUTOR);
    Object stop = answer == null ? null : Json.object(answer, "heartbeat answer").get("stop");
    if (stop == null) {
      return List.of();
    }
    List<Object> raw = Json.array(stop, "heartbeat answer stop");
    List<LeaseRef> out = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Map<String, Object> m = Json.object(raw.get(i), "stop[" + i + "]");
      out.add(ref(m, "stop[" + i + "]."));
    }
    return out;
  }

  @Override
  public boolean report(LeaseRef lease, long step, Map<String, Double> metrics) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("step", step);
    body.put("values", Json.encodeValues(metrics));
    Object answer = send("POST", leasePath(lease) + "/measurements", body, requestTimeout, Kind.LEASE);
    Object stop = answer == null ? null : Json.object(answer, "measurement answer").get("stop");
    if (stop == null) {
      return false;
    }
    if (!(stop instanceof Boolean b)) {
      throw new IllegalArgumentException("measurement answer stop must be true or false");
    }
    return b;
  }

  @Override
  public void complete(LeaseRef lease, Map<String, Double> metrics) {
    send("POST", leasePath(lease) + "/complete", Map.of("values", Json.encodeValues(metrics)), requestTimeout,
        Kind.LEASE);
  }

  @Override
  public void fail(LeaseRef lease, String reason) {
    send("POST", leasePath(lease) + "/fail", Map.of("reason", reason), requestTimeout, Kind.LEASE);
  }

  /**
   * One request for all outcomes. The server judges each on its own (stale ones are listed in the answer); a 404
   * means the server does not know this executor any more, so every lease in the batch is stale.
   */
  @Override
  public List<LeaseRef> finish(List<Outcome> outcomes) {
    return outcomes.isEmpty() ? List.of() : exchange(outcomes, 0).stale();
  }

  /** The outcomes and a lease request ({@code "lease": {"max"}}, no waiting) in one request. */
  @Override
  public Exchange finishAndLease(String executorId, List<Outcome> outcomes, int max) {
    if (outcomes.isEmpty()) {
      return new Exchange(List.of(), max > 0 ? lease(executorId, max, Duration.ZERO) : List.of());
    }
    return exchange(outcomes, leasingStopped ? 0 : max);
  }

  private Exchange exchange(List<Outcome> outcomes, int max) {
    List<Object> items = new ArrayList<>();
    for (Outcome o : outcomes) {
      Map<String, Object> m = new LinkedHashMap<>(refJson(o.ref()));
      if (o.isCompleted()) {
        m.put("values", Json.encodeValues(o.values()));
      } else {
        m.put("reason", o.reason());
      }
      items.add(m);
    }
    String id = owner;
    if (id == null) {
      throw new IllegalStateException("not registered: outcomes need the executor id from register");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("outcomes", items);
    if (max > 0) {
      body.put("lease", Map.of("max", max));
    }
    Object answer;
    try {
      answer = send("POST", executor(id) + "/outcomes", body, requestTimeout, Kind.EXECUTOR);
    } catch (UnknownExecutorException e) {
      return new Exchange(outcomes.stream().map(Outcome::ref).toList(), List.of());
    }
    Map<String, Object> a = answer == null ? Map.of() : Json.object(answer, "outcomes answer");
    List<Object> raw = Json.array(a.getOrDefault("stale", List.of()), "outcomes answer stale");
    List<LeaseRef> stale = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      stale.add(ref(Json.object(raw.get(i), "stale[" + i + "]"), "stale[" + i + "]."));
    }
    return new Exchange(stale, leases(a.getOrDefault("leases", List.of())));
  }

  /** Deregisters; an executor the server does not know (404) counts as deregistered. */
  @Override
  public void deregister(String executorId) {
    try {
      send("DELETE", executor(executorId), null, requestTimeout, Kind.EXECUTOR);
    } catch (UnknownExecutorException e) {
      LOG.log(Level.DEBUG, "executor {0} was already unknown to the server", executorId);
    }
  }

  /**
   * Stops leasing for good: lease requests in flight are abandoned (they return no leases; whatever the server
   * granted in them is handed back by {@link #deregister}) and later ones return none at once. Call it before
   * {@link ExecutorNode#close()} so that a drain does not wait for a long poll to run out.
   */
  public void stopLeasing() {
    leasingStopped = true;
    for (CompletableFuture<?> f : polls) {
      f.cancel(true);
    }
  }

  /** {@link #stopLeasing()} and releases the HTTP client. */
  @Override
  public void close() {
    stopLeasing();
    client.close();
  }

  private enum Kind {
    /** Register. */
    OTHER,
    /** Lease, heartbeat, deregister: 404 means the executor is unknown. */
    EXECUTOR,
    /** Measurements, complete, fail: 404 or 409 mean the lease is not current. */
    LEASE
  }

  /** Sends a request; returns the parsed answer, or null for an empty answer or a cancelled lease request. */
  private Object send(String method, String uri, Object body, Duration timeout, Kind kind) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri))
        .timeout(timeout)
        .header("Accept", "application/json, application/problem+json")
        .header("User-Agent", "sextant-executor");
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
    }
    HttpRequest request = b.build();
    String what = method + " " + uri;
    HttpResponse<String> response;
    boolean poll = uri.endsWith("/leases") && kind == Kind.EXECUTOR;
    try {
      if (poll) {
        CompletableFuture<HttpResponse<String>> f = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        polls.add(f);
        try {
          if (leasingStopped) {
            f.cancel(true);
          }
          response = f.get();
        } catch (CancellationException e) {
          return null;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (leasingStopped || cause instanceof CancellationException) {
            return null;
          }
          if (cause instanceof IOException io) {
            throw new UncheckedIOException(what + " failed: " + describe(io), io);
          }
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          throw new IllegalStateException(what + " failed: " + cause, cause);
        } finally {
          polls.remove(f);
          if (!f.isDone()) {
            f.cancel(true);
          }
        }
      } else {
        response = client.send(request, HttpResponse.BodyHandlers.ofString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(what + " failed: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException(what + " was interrupted"));
    }
    int status = response.statusCode();
    String text = response.body() == null ? "" : response.body();
    if (status >= 200 && status < 300) {
      if (text.isBlank()) {
        return null;
      }
      try {
        return Json.parse(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(what + " answered something that is not JSON: " + e.getMessage(), e);
      }
    }
    String detail = detail(text);
    if (status == 409 || status == 404 && kind == Kind.LEASE) {
      throw new StaleLeaseException(detail.isBlank() ? what + " answered HTTP " + status : detail);
    }
    if (status == 404 && kind == Kind.EXECUTOR) {
      throw new UnknownExecutorException(what, detail);
    }
    throw new DispatchHttpException(what, status, detail);
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** The problem document's detail (or title); else the start of the body. */
  static String detail(String body) {
    String text = body.strip();
    try {
      if (Json.parse(text) instanceof Map<?, ?> m) {
        for (String k : List.of("detail", "title")) {
          if (m.get(k) instanceof String s && !s.isBlank()) {
            return cap(s);
          }
        }
      }
    } catch (IllegalArgumentException e) {
      // not JSON: use the text
    }
    return cap(text);
  }

  private static String cap(String s) {
    return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL - 3) + "...";
  }

  private static Object seconds(Duration d) {
    if (d.getNano() == 0) {
      return d.getSeconds();
    }
    return d.toNanos() / 1e9;
  }

  private String executor(String executorId) {
    return base + "/" + segment(executorId);
  }

  private String leasePath(LeaseRef ref) {
    String id = owner;
    if (id == null) {
      throw new IllegalStateException("not registered: a lease report needs the executor id from register");
    }
    return executor(id) + "/leases/" + ref.trialId() + "/" + ref.attempt();
  }

  /** Percent-encodes a path segment (everything but RFC 3986 unreserved characters). */
  static String segment(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return out.toString();
  }

  private static Map<String, Object> refJson(LeaseRef ref) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trialId", ref.trialId());
    m.put("attempt", ref.attempt());
    return m;
  }

  private static LeaseRef ref(Map<String, Object> m, String at) {
    long trialId = Json.integer(m.get("trialId"), at + "trialId");
    long attempt = Json.integer(m.get("attempt"), at + "attempt");
    if (attempt < 0 || attempt > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(at + "attempt is out of range");
    }
    return new LeaseRef(trialId, (int) attempt);
  }

  /** Fails a lease the executor cannot read, when it can at least tell which one it is. */
  private void refuse(Object item, int i, RuntimeException e) {
    String reason = "executor could not read the lease: " + ExecutorNode.reasonOf(e);
    LeaseRef ref;
    try {
      ref = ref(Json.object(item, "leases[" + i + "]"), "leases[" + i + "].");
    } catch (RuntimeException unreadable) {
      LOG.log(Level.WARNING, "ignoring unreadable lease #{0} (it will expire): {1}", i, reason);
      return;
    }
    LOG.log(Level.WARNING, "failing {0}: {1}", ref, reason);
    try {
      fail(ref, reason);
    } catch (RuntimeException f) {
      LOG.log(Level.WARNING, "could not fail {0} (it will expire): {1}", ref, ExecutorNode.reasonOf(f));
    }
  }

  static Lease parseLease(Map<String, Object> m) {
    LeaseRef ref = ref(m, "");
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
    StudyProblem problem = problem(Json.object(m.get("problem"), "problem"));
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

  static StudyProblem problem(Map<String, Object> p) {
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
      OutcomeConstraint.Op op = switch (Json.string(c.get("op"), at + "op")) {
        case "<=", "LE", "le" -> OutcomeConstraint.Op.LE;
        case ">=", "GE", "ge" -> OutcomeConstraint.Op.GE;
        default -> throw new IllegalArgumentException(at + "op must be \"<=\" or \">=\"");
      };
      constraints.add(new OutcomeConstraint(metric, op, Json.number(c.get("bound"), at + "bound")));
    }
    if (objectives.isEmpty()) {
      throw new IllegalArgumentException("problem.objectives must name at least one objective");
    }
    return new StudyProblem(space, objectives, constraints);
  }
}
