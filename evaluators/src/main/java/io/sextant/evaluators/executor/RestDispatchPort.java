package io.sextant.evaluators.executor;

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
 * <p>Every message is written and every answer read by {@link ExecutorWire}, the codec the server uses too. Reports
 * name the executor they are made for in their path, so the server checks that the lease is that executor's (a
 * report for a lease granted under an earlier registration is refused as stale).
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
    return ExecutorWire.readRegistered(
        send("POST", base, ExecutorWire.writeExecutor(info), requestTimeout, Kind.OTHER));
  }

  @Override
  public List<Lease> lease(String executorId, int max, Duration wait) {
    if (leasingStopped) {
      return List.of();
    }
    Object answer = send("POST", executor(executorId) + "/leases",
        new ExecutorWire.LeaseRequest(max, wait).toJson(), wait.plus(requestTimeout), Kind.EXECUTOR);
    if (answer == null) {
      return List.of(); // cancelled by stopLeasing()
    }
    return ExecutorWire.readLeases(answer, (i, item, e) -> refuse(executorId, item, i, e));
  }

  @Override
  public List<LeaseRef> heartbeat(String executorId, List<LeaseRef> running) {
    return ExecutorWire.readStop(send("POST", executor(executorId) + "/heartbeat",
        new ExecutorWire.Heartbeat(running).toJson(), requestTimeout, Kind.EXECUTOR));
  }

  @Override
  public boolean report(String executorId, LeaseRef lease, long step, Map<String, Double> metrics) {
    return ExecutorWire.readStopFlag(send("POST", leasePath(executorId, lease) + "/measurements",
        new ExecutorWire.Measurement(step, metrics).toJson(), requestTimeout, Kind.LEASE));
  }

  @Override
  public void complete(String executorId, LeaseRef lease, Map<String, Double> metrics) {
    send("POST", leasePath(executorId, lease) + "/complete", new ExecutorWire.Completion(metrics).toJson(),
        requestTimeout, Kind.LEASE);
  }

  /** Fails the lease; the reason is fitted to the one limit first ({@link FailureReason#fit}). */
  @Override
  public void fail(String executorId, LeaseRef lease, String reason) {
    send("POST", leasePath(executorId, lease) + "/fail", new ExecutorWire.Failure(FailureReason.fit(reason)).toJson(),
        requestTimeout, Kind.LEASE);
  }

  /**
   * One request for all outcomes. The server judges each on its own (stale ones are listed in the answer); a 404
   * means the server does not know this executor any more, so every lease in the batch is stale.
   */
  @Override
  public List<LeaseRef> finish(String executorId, List<Outcome> outcomes) {
    return outcomes.isEmpty() ? List.of() : exchange(executorId, outcomes, 0).stale();
  }

  /** The outcomes and a lease request ({@code "lease": {"max"}}, no waiting) in one request. */
  @Override
  public Exchange finishAndLease(String executorId, List<Outcome> outcomes, int max) {
    if (outcomes.isEmpty()) {
      return new Exchange(List.of(), max > 0 ? lease(executorId, max, Duration.ZERO) : List.of());
    }
    return exchange(executorId, outcomes, leasingStopped ? 0 : max);
  }

  private Exchange exchange(String executorId, List<Outcome> outcomes, int max) {
    var batch = new ExecutorWire.OutcomeBatch(outcomes, max > 0 ? Optional.of(max) : Optional.empty());
    Object answer;
    try {
      answer = send("POST", executor(executorId) + "/outcomes", batch.toJson(), requestTimeout, Kind.EXECUTOR);
    } catch (UnknownExecutorException e) {
      return new Exchange(outcomes.stream().map(Outcome::ref).toList(), List.of());
    }
    var a = ExecutorWire.OutcomeAnswer.fromJson(answer, (i, item, e) -> refuse(executorId, item, i, e));
    return new Exchange(a.stale(), a.leases().orElse(List.of()));
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

  private String executor(String executorId) {
    if (executorId == null || executorId.isBlank()) {
      throw new IllegalArgumentException("an executor id is required (the one register returned)");
    }
    return base + "/" + segment(executorId);
  }

  private String leasePath(String executorId, LeaseRef ref) {
    return executor(executorId) + "/leases/" + ref.trialId() + "/" + ref.attempt();
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

  /** Fails a lease the executor cannot read, when it can at least tell which one it is. */
  private void refuse(String executorId, Object item, int i, RuntimeException e) {
    String reason = "executor could not read the lease: " + ExecutorNode.reasonOf(e);
    LeaseRef ref;
    try {
      ref = ExecutorWire.readRef(item, "leases[" + i + "].");
    } catch (RuntimeException unreadable) {
      LOG.log(Level.WARNING, "ignoring unreadable lease #{0} (it will expire): {1}", i, reason);
      return;
    }
    LOG.log(Level.WARNING, "failing {0}: {1}", ref, reason);
    try {
      fail(executorId, ref, reason);
    } catch (RuntimeException f) {
      LOG.log(Level.WARNING, "could not fail {0} (it will expire): {1}", ref, ExecutorNode.reasonOf(f));
    }
  }
}
