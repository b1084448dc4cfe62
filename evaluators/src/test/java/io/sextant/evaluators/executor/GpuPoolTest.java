package io.sextant.evaluators.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class GpuPoolTest {
  @Test
  void takesTheLowestFreeDevicesAndGivesThemBack() {
    GpuPool pool = new GpuPool(List.of(3, 0, 2, 1));
    assertThat(pool.devices()).containsExactly(0, 1, 2, 3);
    assertThat(pool.tryAcquire(2)).contains(List.of(0, 1));
    assertThat(pool.tryAcquire(1)).contains(List.of(2));
    assertThat(pool.tryAcquire(2)).isEmpty();
    pool.release(List.of(0, 1));
    assertThat(pool.tryAcquire(3)).contains(List.of(0, 1, 3));
    assertThat(pool.tryAcquire(0)).contains(List.of());
    assertThatThrownBy(() -> pool.tryAcquire(5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void serverAssignedDevicesAreHeldTooSoLocalChoicesAvoidThem() {
    GpuPool pool = new GpuPool(List.of(0, 1));
    pool.hold(List.of(0));
    pool.hold(List.of(0)); // the server may name a device twice; both holds count
    assertThat(pool.tryAcquire(1)).contains(List.of(1));
    pool.release(List.of(0));
    assertThat(pool.held()).containsExactly(0, 1);
    pool.release(List.of(0));
    assertThat(pool.held()).containsExactly(1);
  }

  @Test
  void acquireWaitsForFreeDevicesAndStopsWaitingWhenCancelled() throws Exception {
    GpuPool pool = new GpuPool(List.of(0));
    assertThat(pool.tryAcquire(1)).contains(List.of(0));
    AtomicBoolean cancel = new AtomicBoolean();
    Thread t = Thread.ofPlatform().start(() -> {
      try {
        assertThat(pool.acquire(1, cancel::get)).isEmpty();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    cancel.set(true);
    t.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(t.isAlive()).isFalse();
    List<Optional<List<Integer>>> got = new CopyOnWriteArrayList<>();
    Thread waiter = Thread.ofPlatform().start(() -> {
      try {
        got.add(pool.acquire(1, () -> false));
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    pool.release(List.of(0));
    waiter.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(got).containsExactly(Optional.of(List.of(0)));
  }

  @Test
  void neverDoubleBooksUnderConcurrency() throws Exception {
    GpuPool pool = new GpuPool(List.of(0, 1, 2, 3));
    Set<Integer> inUse = ConcurrentHashMap.newKeySet();
    List<String> violations = new CopyOnWriteArrayList<>();
    int threads = 12;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      long seed = i;
      workers.add(Thread.ofPlatform().start(() -> {
        SplittableRandom rng = new SplittableRandom(seed);
        try {
          go.await();
          for (int round = 0; round < 300; round++) {
            int k = 1 + rng.nextInt(3);
            List<Integer> got = pool.acquire(k, () -> false).orElseThrow();
            if (got.size() != k) {
              violations.add("asked for " + k + ", got " + got);
            }
            for (int d : got) {
              if (!inUse.add(d)) {
                violations.add("device " + d + " handed out twice");
              }
            }
            Thread.onSpinWait();
            got.forEach(inUse::remove);
            pool.release(got);
          }
        } catch (InterruptedException e) {
          violations.add("interrupted");
        }
      }));
    }
    go.countDown();
    for (Thread w : workers) {
      w.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(w.isAlive()).isFalse();
    }
    assertThat(violations).isEmpty();
    assertThat(pool.held()).isEmpty();
  }
}
