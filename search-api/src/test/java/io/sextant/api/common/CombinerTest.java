package io.sextant.api.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

class CombinerTest {
  /** The batches a server saw, as lists of requests. */
  private final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void clearContext() {
    SecurityContextHolder.clearContext();
  }

  /** Answers request r with r * 10, except that the first batch waits for {@link #release}. */
  private void tenfold(long key, List<Combiner.Pending<Integer, Integer>> batch) {
    boolean first = batches.isEmpty();
    batches.add(batch.stream().map(Combiner.Pending::request).toList());
    if (first) {
      await(release);
    }
    batch.forEach(p -> p.answer(p.request() * 10));
  }

  private static void await(CountDownLatch l) {
    try {
      assertThat(l.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void until(java.util.function.BooleanSupplier c) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!c.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(end);
      Thread.sleep(2);
    }
  }

  private <R> CompletableFuture<R> async(java.util.concurrent.Callable<R> c) {
    CompletableFuture<R> f = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try {
        f.complete(c.call());
      } catch (Throwable t) {
        f.completeExceptionally(t);
      }
    });
    return f;
  }

  @Test
  void requestsQueuedWhileABatchRunsAreServedTogetherInArrivalOrderEachWithItsOwnAnswer() throws Exception {
    Combiner<Integer, Integer> c = new Combiner<>(100, r -> 1);
    var all = queuedBehindABlockedBatch(c, this::tenfold, 2, 3, 4, 5, 6);
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).get(10, TimeUnit.SECONDS)).isEqualTo((i + 1) * 10);
    }
    assertThat(batches).containsExactly(List.of(1), List.of(2, 3, 4, 5, 6));
    assertThat(c.activeKeys()).as("idle keys are forgotten").isZero();
  }

  @Test
  void aBatchWeighsAtMostTheLimitUnlessOneRequestAloneIsHeavier() throws Exception {
    Combiner<Integer, Integer> c = new Combiner<>(5, r -> r);
    for (var f : queuedBehindABlockedBatch(c, this::tenfold, 2, 3, 9, 1)) {
      f.get(10, TimeUnit.SECONDS);
    }
    assertThat(batches).containsExactly(List.of(1), List.of(2, 3), List.of(9), List.of(1));
  }

  @Test
  void keysDoNotWaitForEachOther() throws Exception {
    Combiner<Integer, Integer> c = new Combiner<>(100, r -> 1);
    var blocked = async(() -> c.submit(1, 1, this::tenfold));
    until(() -> batches.size() == 1);
    assertThat(async(() -> c.submit(2, 5, this::tenfold)).get(10, TimeUnit.SECONDS)).isEqualTo(50);
    assertThat(blocked).isNotDone();
    release.countDown();
    assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo(10);
  }

  @Test
  void aRequestRefusedInABatchFailsAloneAndABatchThatFailsAsAWholeIsServedRequestByRequest() throws Exception {
    // request 13 is refused by itself; request 66 makes any batch it is in fail as a whole
    Combiner.Server<Integer, Integer> server = (key, batch) -> {
      batches.add(batch.stream().map(Combiner.Pending::request).toList());
      if (batches.size() == 1) {
        await(release);
      }
      for (var p : batch) {
        if (p.request() == 66 && batch.size() > 1) {
          throw new IllegalStateException("rolled back");
        }
        if (p.request() == 13 || p.request() == 66) {
          p.fail(ApiException.badRequest("value", "no " + p.request()));
        } else {
          p.answer(p.request() * 10);
        }
      }
    };
    Combiner<Integer, Integer> c = new Combiner<>(100, r -> 1);
    var all = queuedBehindABlockedBatch(c, server, 13, 2, 66, 4);
    var first = all.get(0);
    var later = all.subList(1, all.size());
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(10);
    assertThatThrownBy(() -> later.get(0).join()).hasCauseInstanceOf(ApiException.class).hasMessageContaining("no 13");
    assertThat(later.get(1).get(10, TimeUnit.SECONDS)).isEqualTo(20);
    assertThatThrownBy(() -> later.get(2).join()).hasCauseInstanceOf(ApiException.class).hasMessageContaining("no 66");
    assertThat(later.get(3).get(10, TimeUnit.SECONDS)).isEqualTo(40);
    assertThat(batches).containsExactly(List.of(1), List.of(13, 2, 66, 4), List.of(13), List.of(2), List.of(66),
        List.of(4));
  }

  @Test
  void eachRequestIsServedWithItsOwnCallerAndTheServingThreadKeepsItsOwn() throws Exception {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    List<String> serverOwn = Collections.synchronizedList(new ArrayList<>());
    Combiner.Server<Integer, Integer> server = (key, batch) -> {
      boolean first = batches.isEmpty();
      batches.add(batch.stream().map(Combiner.Pending::request).toList());
      if (first) {
        await(release);
      }
      for (var p : batch) {
        seen.add(p.within(() -> SecurityContextHolder.getContext().getAuthentication().getName()));
        p.answer(p.request());
      }
      serverOwn.add(SecurityContextHolder.getContext().getAuthentication().getName());
    };
    Combiner<Integer, Integer> c = new Combiner<>(100, r -> 1);
    java.util.function.IntFunction<CompletableFuture<Integer>> as = r -> async(() -> {
      SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("user" + r, null));
      return c.submit(9, r, server);
    });
    var first = as.apply(1);
    until(() -> batches.size() == 1);
    var second = as.apply(2);
    until(() -> c.queued(9) == 1);
    var third = as.apply(3);
    until(() -> c.queued(9) == 2);
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
    third.get(10, TimeUnit.SECONDS);
    assertThat(batches).containsExactly(List.of(1), List.of(2, 3));
    assertThat(seen).containsExactly("user1", "user2", "user3");
    // the second batch ran on one of the waiting threads (user2's or user3's), which kept its own caller
    assertThat(serverOwn).hasSize(2).first().isEqualTo("user1");
    assertThat(serverOwn.get(1)).isIn("user2", "user3");
  }

  /** Serves requests 1.. as the first (blocked) batch, then the requests queued behind it as one batch. */
  private List<CompletableFuture<Integer>> queuedBehindABlockedBatch(Combiner<Integer, Integer> c,
      Combiner.Server<Integer, Integer> server, int... requests) throws Exception {
    List<CompletableFuture<Integer>> all = new ArrayList<>();
    all.add(async(() -> c.submit(4, 1, server)));
    until(() -> batches.size() == 1);
    for (int i = 0; i < requests.length; i++) {
      int req = requests[i];
      int queued = i + 1;
      all.add(async(() -> c.submit(4, req, server)));
      until(() -> c.queued(4) == queued);
    }
    release.countDown();
    return all;
  }

  @Test
  void anErrorFailsItsBatchAsAWholeAndEveryRequestIsServedAgainAloneNeverAnsweredWithNothing() throws Exception {
    Combiner.Server<Integer, Integer> server = (key, batch) -> {
      batches.add(batch.stream().map(Combiner.Pending::request).toList());
      if (batches.size() == 1) {
        await(release);
      }
      for (var p : batch) {
        p.answer(p.request() * 10); // answered, then the batch fails: these answers must not reach anyone
      }
      if (batch.size() > 1 || batch.getFirst().request() == 3) {
        throw new AssertionError("boom");
      }
    };
    Combiner<Integer, Integer> c = new Combiner<>(100, r -> 1);
    var all = queuedBehindABlockedBatch(c, server, 2, 3, 4);
    assertThat(all.get(0).get(10, TimeUnit.SECONDS)).isEqualTo(10);
    assertThat(all.get(1).get(10, TimeUnit.SECONDS)).isEqualTo(20);
    assertThatThrownBy(() -> all.get(2).join()).hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("boom");
    assertThat(all.get(3).get(10, TimeUnit.SECONDS)).isEqualTo(40);
    assertThat(batches).containsExactly(List.of(1), List.of(2, 3, 4), List.of(2), List.of(3), List.of(4));
  }

  @Test
  void aBatchThatFailedWithUnknownEffectFailsEveryRequestWithoutServingThemAgain() throws Exception {
    Combiner.Server<Integer, Integer> server = (key, batch) -> {
      batches.add(batch.stream().map(Combiner.Pending::request).toList());
      if (batches.size() == 1) {
        await(release);
        batch.forEach(p -> p.answer(p.request()));
        return;
      }
      for (var p : batch) {
        if (p.request() == 3) {
          p.fail(ApiException.forbidden("no 3")); // refused before writing: keeps its own error
        } else {
          p.answer(p.request());
        }
      }
      throw new Combiner.Failed(new IllegalStateException("commit failed"));
    };
    Combiner<Integer, Integer> c = new Combiner<>(100, r -> 1);
    var all = queuedBehindABlockedBatch(c, server, 2, 3, 4);
    assertThat(all.get(0).get(10, TimeUnit.SECONDS)).isEqualTo(1);
    for (var f : List.of(all.get(1), all.get(3))) {
      assertThatThrownBy(f::join).hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("commit failed");
    }
    assertThatThrownBy(() -> all.get(2).join()).hasCauseInstanceOf(ApiException.class).hasMessageContaining("no 3");
    assertThat(batches).containsExactly(List.of(1), List.of(2, 3, 4));
  }
}
