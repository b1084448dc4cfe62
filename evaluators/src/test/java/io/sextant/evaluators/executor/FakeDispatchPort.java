package io.sextant.evaluators.executor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory dispatch server for one executor: a queue of leases, the set of leases outstanding (handed out and
 * not yet ended), and a record of every call. Reports on a lease that is not outstanding are refused with
 * {@link StaleLeaseException}, as the real server does.
 */
final class FakeDispatchPort implements DispatchPort {
  final BlockingQueue<Lease> queue = new LinkedBlockingQueue<>();
  final Map<LeaseRef, Map<String, Double>> completed = new ConcurrentHashMap<>();
  final Map<LeaseRef, String> failed = new ConcurrentHashMap<>();
  final List<LeaseRef> reported = new CopyOnWriteArrayList<>();
  final List<List<LeaseRef>> heartbeats = new CopyOnWriteArrayList<>();
  final List<Integer> leaseRequests = new CopyOnWriteArrayList<>();
  final List<String> violations = new CopyOnWriteArrayList<>();
  final List<LeaseRef> handedBack = new CopyOnWriteArrayList<>();
  final Set<LeaseRef> stopOnHeartbeat = ConcurrentHashMap.newKeySet();
  final Set<LeaseRef> stopOnReport = ConcurrentHashMap.newKeySet();
  final Set<LeaseRef> staleOnComplete = ConcurrentHashMap.newKeySet();
  final AtomicInteger leaseErrorsToThrow = new AtomicInteger();
  final AtomicInteger deregistrations = new AtomicInteger();
  final AtomicInteger registrations = new AtomicInteger();
  /** Lease requests to refuse as from an unknown executor (the server forgot it). */
  final AtomicInteger unknownExecutorErrorsToThrow = new AtomicInteger();
  private final Set<LeaseRef> outstanding = new HashSet<>();
  private int maxOutstanding;
  private volatile boolean deregistered;

  synchronized int maxOutstanding() {
    return maxOutstanding;
  }

  synchronized Set<LeaseRef> outstanding() {
    return Set.copyOf(outstanding);
  }

  private synchronized boolean end(LeaseRef ref) {
    return outstanding.remove(ref);
  }

  @Override
  public String register(ExecutorInfo info) {
    int n = registrations.incrementAndGet();
    return "exec-" + info.name() + (n == 1 ? "" : "-" + n);
  }

  /** Which registration each lease was granted to. */
  private final Map<LeaseRef, String> grantedTo = new ConcurrentHashMap<>();

  /** Every report must name a registration this port handed out (the node never reports anonymously). */
  private void identity(String executorId) {
    if (executorId == null || !executorId.startsWith("exec-")) {
      violations.add("report without the executor's identity: " + executorId);
    }
  }

  /** ... and a report on a lease must name the registration the lease was granted to. */
  private void identity(String executorId, LeaseRef lease) {
    identity(executorId);
    String owner = grantedTo.get(lease);
    if (owner != null && !owner.equals(executorId)) {
      violations.add("report on " + lease + " as " + executorId + ", granted to " + owner);
    }
  }

  @Override
  public List<Lease> lease(String executorId, int max, Duration wait) {
    leaseRequests.add(max);
    if (deregistered) {
      violations.add("lease after deregister");
    }
    if (max < 1) {
      violations.add("lease asked for " + max);
    }
    if (unknownExecutorErrorsToThrow.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new UnknownExecutorException("POST /leases", "no executor " + executorId);
    }
    if (leaseErrorsToThrow.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("dispatch service unavailable");
    }
    List<Lease> out = new ArrayList<>();
    try {
      Lease first = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (first == null) {
        return List.of();
      }
      out.add(first);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
    queue.drainTo(out, max - 1);
    synchronized (this) {
      for (Lease l : out) {
        outstanding.add(l.ref());
        grantedTo.put(l.ref(), executorId);
      }
      maxOutstanding = Math.max(maxOutstanding, outstanding.size());
    }
    return out;
  }

  @Override
  public List<LeaseRef> heartbeat(String executorId, List<LeaseRef> running) {
    heartbeats.add(List.copyOf(running));
    List<LeaseRef> stop = new ArrayList<>();
    for (LeaseRef ref : running) {
      if (stopOnHeartbeat.contains(ref)) {
        end(ref); // cancelled: the server ends the lease itself
        stop.add(ref);
      }
    }
    return stop;
  }

  @Override
  public boolean report(String executorId, LeaseRef lease, long step, Map<String, Double> metrics) {
    identity(executorId, lease);
    if (!outstanding().contains(lease)) {
      throw new StaleLeaseException("lease " + lease + " is not current");
    }
    reported.add(lease);
    if (stopOnReport.contains(lease)) {
      end(lease); // pruned: the server ends the lease itself
      return true;
    }
    return false;
  }

  /** Sizes of the outcome batches received, in order. */
  final List<Integer> batches = new CopyOnWriteArrayList<>();
  /** Batches to refuse with a server error (the node must then send their outcomes one by one). */
  final AtomicInteger batchErrorsToThrow = new AtomicInteger();
  /** How long a batch takes to record (so outcomes pile up behind it). */
  volatile long batchMillis;

  @Override
  public List<LeaseRef> finish(String executorId, List<Outcome> outcomes) {
    identity(executorId);
    batches.add(outcomes.size());
    if (batchErrorsToThrow.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("dispatch service unavailable");
    }
    try {
      Thread.sleep(batchMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return DispatchPort.super.finish(executorId, outcomes);
  }

  @Override
  public void complete(String executorId, LeaseRef lease, Map<String, Double> metrics) {
    identity(executorId, lease);
    if (staleOnComplete.contains(lease)) {
      end(lease);
      throw new StaleLeaseException("lease " + lease + " expired");
    }
    if (!end(lease)) {
      violations.add("complete on ended lease " + lease);
      throw new StaleLeaseException("lease " + lease + " is not current");
    }
    completed.put(lease, Map.copyOf(metrics));
  }

  @Override
  public void fail(String executorId, LeaseRef lease, String reason) {
    identity(executorId, lease);
    if (!end(lease)) {
      violations.add("fail on ended lease " + lease);
      throw new StaleLeaseException("lease " + lease + " is not current");
    }
    failed.put(lease, reason);
  }

  @Override
  public void deregister(String executorId) {
    deregistrations.incrementAndGet();
    deregistered = true;
    synchronized (this) {
      handedBack.addAll(outstanding);
      outstanding.clear();
    }
  }
}
