package io.sextant.api.common;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;
import org.slf4j.MDC;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Combines concurrent requests on the same key into batches served one batch at a time per key (flat combining).
 * A request joins its key's queue; if no batch of that key is being served, its thread becomes the server: it takes
 * the queue's head (up to {@code maxWeight}, at least one request) and serves it with {@link Server#serve}, then the
 * next waiting thread serves whatever queued meanwhile. Keys are independent: batches of different keys run in
 * parallel.
 *
 * <p>Why: asks on one study serialize on the study's row lock, so under concurrency each ask waited for every other
 * ask's statements and commit in turn. Served as one batch, N queued asks share one lock, one transaction and one
 * commit, in the order they arrived, with the same result as running them one after the other.
 *
 * <p>The serving thread runs each request with that request's own security context and logging context
 * ({@link #within}), so that access checks and logs name the request's caller, not the server's. Every request of a
 * batch is answered (a result or an error) before its thread returns; a request's thread returns its own answer.
 * When a batch fails as a whole, each of its requests is served again alone, so one request's error never becomes
 * another's.
 */
public final class Combiner<Q, R> {
  /**
   * Serves a batch: answers each request ({@link Pending#answer} or {@link Pending#fail}) and returns, or throws
   * having changed nothing (e.g. its transaction rolled back), whatever it answered meanwhile being discarded: the
   * combiner then serves each request of the batch alone; or throws {@link Failed} to fail every request with its
   * cause, served no further.
   */
  @FunctionalInterface
  public interface Server<Q, R> {
    void serve(long key, List<Pending<Q, R>> batch);
  }

  /** A request waiting in, or served as part of, a batch. */
  public static final class Pending<Q, R> {
    private final Q request;
    private final SecurityContext security;
    private final Map<String, String> mdc;
    private final Thread owner = Thread.currentThread();
    private R result;
    private RuntimeException error;
    private boolean answered;
    private boolean done; // guarded by the lane's lock

    Pending(Q request, SecurityContext security, Map<String, String> mdc) {
      this.request = request;
      this.security = security;
      this.mdc = mdc;
    }

    public Q request() {
      return request;
    }

    public boolean answered() {
      return answered;
    }

    public void answer(R r) {
      result = r;
      error = null;
      answered = true;
    }

    void reset() {
      result = null;
      error = null;
      answered = false;
    }

    public void fail(RuntimeException e) {
      result = null;
      error = e;
      answered = true;
    }

    /** Runs {@code body} with this request's security and logging context, restoring the serving thread's after. */
    public <T> T within(java.util.function.Supplier<T> body) {
      if (Thread.currentThread() == owner) {
        return body.get(); // the request's own thread: its contexts are already set
      }
      SecurityContext own = SecurityContextHolder.getContext();
      Map<String, String> ownMdc = MDC.getCopyOfContextMap();
      SecurityContextHolder.setContext(security);
      setMdc(mdc);
      try {
        return body.get();
      } finally {
        SecurityContextHolder.setContext(own);
        setMdc(ownMdc);
      }
    }

    private static void setMdc(Map<String, String> m) {
      if (m == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(m);
      }
    }

    R get() {
      if (error != null) {
        throw error;
      }
      return result;
    }
  }

  private static final class Lane<Q, R> {
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final ArrayDeque<Pending<Q, R>> queue = new ArrayDeque<>();
    boolean busy;
    boolean retired;
  }

  private final ConcurrentHashMap<Long, Lane<Q, R>> lanes = new ConcurrentHashMap<>();
  private final int maxWeight;
  private final ToIntFunction<Q> weight;

  /**
   * @param maxWeight the most a batch may weigh (a request heavier than this is served alone)
   * @param weight the weight of a request (e.g. the number of trials it asks for)
   */
  public Combiner(int maxWeight, ToIntFunction<Q> weight) {
    this.maxWeight = maxWeight;
    this.weight = weight;
  }

  /** Serves {@code request} in a batch of its key and returns its answer (or throws its error). */
  public R submit(long key, Q request, Server<Q, R> server) {
    Pending<Q, R> p = new Pending<>(request, SecurityContextHolder.getContext(), MDC.getCopyOfContextMap());
    while (true) {
      Lane<Q, R> lane = lanes.computeIfAbsent(key, k -> new Lane<>());
      lane.lock.lock();
      try {
        if (lane.retired) {
          continue; // its last server removed it from the map after this thread found it: take the new one
        }
        lane.queue.add(p);
        while (true) {
          while (!p.done && lane.busy) {
            lane.changed.awaitUninterruptibly();
          }
          if (p.done) {
            return p.get();
          }
          lane.busy = true;
          List<Pending<Q, R>> batch = take(lane.queue);
          lane.lock.unlock();
          try {
            serve(server, key, batch);
          } finally {
            lane.lock.lock();
            for (Pending<Q, R> b : batch) {
              b.done = true;
            }
            lane.busy = false;
            if (lane.queue.isEmpty()) {
              lane.retired = true;
              lanes.remove(key, lane);
            }
            lane.changed.signalAll();
          }
        }
      } finally {
        lane.lock.unlock();
      }
    }
  }

  private List<Pending<Q, R>> take(ArrayDeque<Pending<Q, R>> queue) {
    List<Pending<Q, R>> batch = new ArrayList<>();
    int total = 0;
    while (!queue.isEmpty()) {
      int w = Math.max(1, weight.applyAsInt(queue.peekFirst().request));
      if (!batch.isEmpty() && total + w > maxWeight) {
        break;
      }
      batch.add(queue.pollFirst());
      total += w;
    }
    return batch;
  }

  /**
   * Thrown by a server whose batch failed in a way that must not be retried request by request (e.g. its commit
   * failed, so whether it took effect is unknown): every request of the batch fails with the cause, except those
   * the server already refused (they wrote nothing and keep their own error).
   */
  public static final class Failed extends RuntimeException {
    public Failed(RuntimeException cause) {
      super(cause.getMessage(), cause);
    }

    RuntimeException reason() {
      return (RuntimeException) getCause();
    }
  }

  /**
   * Serves a batch; when serving it fails as a whole, serves each of its requests alone, so that one request's error
   * never becomes another's (the server's work is all-or-nothing: a batch that throws has changed nothing). Whatever
   * a failed batch answered is discarded first; an {@link Error} counts as a failure of the batch like any other.
   */
  private static <Q, R> void serve(Server<Q, R> server, long key, List<Pending<Q, R>> batch) {
    try {
      server.serve(key, batch);
    } catch (Failed f) {
      for (Pending<Q, R> b : batch) {
        if (!b.answered || b.error == null) { // a request already refused keeps its own error
          b.fail(f.reason());
        }
      }
      return;
    } catch (RuntimeException | Error e) {
      if (batch.size() == 1) {
        batch.getFirst().fail(e instanceof RuntimeException r ? r : new IllegalStateException(e.toString(), e));
      } else {
        for (Pending<Q, R> b : batch) {
          b.reset();
          serve(server, key, List.of(b));
        }
      }
      return;
    }
    for (Pending<Q, R> b : batch) {
      if (!b.answered) {
        b.fail(new IllegalStateException("a batch left a request unanswered"));
      }
    }
  }

  /** The number of requests of a key waiting for a batch (for tests). */
  int queued(long key) {
    Lane<Q, R> lane = lanes.get(key);
    if (lane == null) {
      return 0;
    }
    lane.lock.lock();
    try {
      return lane.queue.size();
    } finally {
      lane.lock.unlock();
    }
  }

  /** The number of keys with a batch queued or being served (for tests). */
  int activeKeys() {
    return lanes.size();
  }
}
