package io.sextant.evaluators.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A started process and every descendant seen so far. Descendants are remembered while the root runs
 * ({@link #track()}), so processes that outlive their parent (and are re-parented away from the tree) can still be
 * killed. Killing is {@link ProcessHandle#destroyForcibly()} (SIGKILL on Unix) of the root and of every known
 * descendant. {@link ProcessHandle}s compare by pid and start time, so a reused pid is never killed by mistake.
 * Thread-safe.
 */
final class ProcessTree {
  private final ProcessHandle root;
  private final Set<ProcessHandle> known = new LinkedHashSet<>();

  ProcessTree(ProcessHandle root) {
    this.root = root;
  }

  /** Remembers the root's current descendants. */
  synchronized void track() {
    root.descendants().forEach(known::add);
  }

  /** Pids of the descendants seen so far, for tests and logs. */
  synchronized List<Long> knownPids() {
    return known.stream().map(ProcessHandle::pid).toList();
  }

  /**
   * Kills the root and every descendant, current or seen before, and waits up to {@code wait} for the root to
   * exit. Returns true when the root is gone.
   */
  synchronized boolean kill(Duration wait) {
    track();
    List<ProcessHandle> all = new ArrayList<>();
    all.add(root);
    all.addAll(known);
    // Root first so it forks no more; its children were listed above. A second sweep catches children that a
    // descendant forked between the listing and its own kill.
    for (ProcessHandle p : all) {
      p.destroyForcibly();
    }
    for (ProcessHandle p : List.copyOf(all)) {
      p.descendants().forEach(d -> {
        if (known.add(d)) {
          all.add(d);
        }
        d.destroyForcibly();
      });
    }
    // Only the root is ours to reap; killed descendants are re-parented (and reaped) elsewhere.
    try {
      root.onExit().get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return !root.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !root.isAlive();
  }

  /** Kills the descendants seen so far that are still alive (processes a finished command left behind). */
  synchronized int killLeftovers() {
    int n = 0;
    List<ProcessHandle> killed = new java.util.ArrayList<>();
    for (ProcessHandle p : known) {
      if (p.isAlive() && p.destroyForcibly()) {
        killed.add(p);
        n++;
      }
    }
    // SIGKILL is asynchronous: give the kernel a moment so "killed" means gone when this returns
    long end = System.nanoTime() + 2_000_000_000L;
    for (ProcessHandle p : killed) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        p.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // still reported as killed; the caller does not wait longer
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return n;
  }
}
