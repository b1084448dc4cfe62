package io.sextant.evaluators.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import io.sextant.evaluators.builtin.Noop;
import io.sextant.evaluators.spi.Evaluators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor loop against an in-memory dispatch server. Waits poll for a condition with a generous bound
 * (10 s); nothing passes or fails on how fast it is.
 */
class ExecutorNodeTest {
  private static final Evaluators REGISTRY = Evaluators.load();
  /** Keeps the executor's INFO chatter out of the build log (held so the setting is not garbage-collected). */
  private static final java.util.logging.Logger QUIET = quiet();
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final StudyProblem PROBLEM = new StudyProblem(
      new SearchSpace(List.of(real("x"), real("y"))),
      List.of(new Objective("loss", Direction.MINIMIZE), new Objective("cost", Direction.MAXIMIZE)), List.of());

  @TempDir Path workRoot;
  private final FakeDispatchPort port = new FakeDispatchPort();
  private ExecutorNode node;

  @AfterEach
  void closeNode() {
    if (node != null) {
      node.drain(Duration.ZERO);
    }
    assertThat(port.violations).isEmpty();
  }

  private static java.util.logging.Logger quiet() {
    java.util.logging.Logger l = java.util.logging.Logger.getLogger("io.sextant.evaluators");
    l.setLevel(java.util.logging.Level.WARNING);
    return l;
  }

  private static FloatParameter real(String name) {
    return new FloatParameter(name, 0, 10, false, OptionalDouble.empty(), Optional.empty());
  }

  private ExecutorSettings settings() {
    return ExecutorSettings.of(Duration.ofMillis(300), workRoot).withPollWait(Duration.ofMillis(100));
  }

  private ExecutorNode start(int slots, ExecutorSettings settings) {
    node = new ExecutorNode(port, new ExecutorInfo("test", slots, 2, List.of(), Map.of()), REGISTRY, settings);
    assertThat(node.start()).isEqualTo("exec-test");
    return node;
  }

  private static Lease lease(long trialId, String evaluator, Map<String, Object> config) {
    Map<String, Object> params = Map.of("x", (double) (trialId % 10), "y", 0.5);
    return new Lease(new LeaseRef(trialId, 1), 1, trialId, params, evaluator, config, PROBLEM, List.of(),
        Instant.now().plusSeconds(60));
  }

  private static Lease noop(long trialId, Map<String, Object> config) {
    return lease(trialId, "noop", config);
  }

  private static void await(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void evaluatesEveryLeaseAndCompletesItWithTheEvaluatorsMetrics() {
    for (long t = 1; t <= 20; t++) {
      port.queue.add(noop(t, Map.of("sleepMs", 20)));
    }
    start(3, settings());
    await("20 trials completed", () -> port.completed.size() == 20);
    for (long t = 1; t <= 20; t++) {
      Map<String, Object> params = Map.of("x", (double) (t % 10), "y", 0.5);
      double v = Noop.value(params);
      assertThat(port.completed.get(new LeaseRef(t, 1))).isEqualTo(Map.of("loss", v, "cost", v + 1));
    }
    assertThat(port.failed).isEmpty();
    // The first request asks for all 3 free slots and the queue holds 20, so exactly 3 run at once, never more.
    assertThat(port.maxOutstanding()).isEqualTo(3);
    assertThat(port.leaseRequests).allSatisfy(n -> assertThat(n).isBetween(1, 3));
  }

  @Test
  void outcomesThatFinishWhileAReportIsOnItsWayTravelTogether() {
    for (long t = 1; t <= 64; t++) {
      port.queue.add(noop(t, Map.of("sleepMs", 0)));
    }
    port.batchMillis = 30;
    start(16, settings());
    await("64 trials completed", () -> port.completed.size() == 64);
    assertThat(port.violations).isEmpty();
    assertThat(port.batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(64); // each outcome once
    assertThat(port.batches).anySatisfy(n -> assertThat(n).isGreaterThan(1));
    assertThat(port.batches.size()).isLessThan(64);
  }

  @Test
  void aBatchTheServerRefusesIsSentOneOutcomeAtATime() {
    for (long t = 1; t <= 8; t++) {
      port.queue.add(noop(t, Map.of("sleepMs", 0)));
    }
    port.batchErrorsToThrow.set(1000);
    start(4, settings());
    await("8 trials completed", () -> port.completed.size() == 8);
    assertThat(port.violations).isEmpty();
    assertThat(port.failed).isEmpty();
  }

  @Test
  void neverHoldsMoreLeasesThanSlots() {
    for (long t = 1; t <= 40; t++) {
      port.queue.add(noop(t, Map.of("sleepMs", (int) (t % 4) * 5)));
    }
    start(2, settings());
    await("40 trials completed", () -> port.completed.size() == 40);
    assertThat(port.maxOutstanding()).isEqualTo(2);
  }

  @Test
  void reportsPredictedFailuresWithTheirReason() {
    Set<LeaseRef> predicted = new HashSet<>();
    for (long t = 1; t <= 30; t++) {
      Lease l = noop(t, Map.of("failRate", 0.5));
      port.queue.add(l);
      if (Noop.fails(t, l.params(), 0.5)) {
        predicted.add(l.ref());
      }
    }
    assertThat(predicted).isNotEmpty().hasSizeLessThan(30);
    start(2, settings());
    await("30 trials finished", () -> port.completed.size() + port.failed.size() == 30);
    assertThat(port.failed.keySet()).isEqualTo(predicted);
    port.failed.forEach((ref, reason) -> assertThat(reason)
        .isEqualTo("noop: simulated failure of trial " + ref.trialId() + " (failRate 0.5)"));
  }

  @Test
  void aHeartbeatAnswerStopsALongTrialAndFreesItsSlot() {
    Lease longOne = noop(1, Map.of("sleepMs", 600_000, "reportEveryMs", 0));
    port.queue.add(longOne);
    start(1, settings());
    await("the long trial runs", () -> node.running().contains(longOne.ref()));
    await("a heartbeat names it", () -> port.heartbeats.stream().anyMatch(h -> h.contains(longOne.ref())));
    port.stopOnHeartbeat.add(longOne.ref());
    port.queue.add(noop(2, Map.of()));
    await("the next trial completes on the freed slot", () -> port.completed.containsKey(new LeaseRef(2, 1)));
    assertThat(port.completed).doesNotContainKey(longOne.ref());
    assertThat(port.failed).doesNotContainKey(longOne.ref());
  }

  @Test
  void aReportAnsweringStopPrunesTheTrial() {
    Lease pruned = noop(1, Map.of("sleepMs", 600_000, "reportEveryMs", 10));
    port.stopOnReport.add(pruned.ref());
    port.queue.add(pruned);
    start(1, settings());
    port.queue.add(noop(2, Map.of()));
    await("the next trial completes", () -> port.completed.containsKey(new LeaseRef(2, 1)));
    assertThat(port.reported).containsExactly(pruned.ref());
    assertThat(port.completed).doesNotContainKey(pruned.ref());
    assertThat(port.failed).doesNotContainKey(pruned.ref());
  }

  @Test
  void closeLetsRunningTrialsFinishThenDeregisters() {
    Lease l = noop(1, Map.of("sleepMs", 300));
    port.queue.add(l);
    start(2, settings());
    await("the trial runs", () -> node.running().contains(l.ref()));
    assertThat(node.drain(PATIENCE)).isTrue();
    assertThat(port.completed).containsKey(l.ref());
    assertThat(port.deregistrations).hasValue(1);
    assertThat(port.handedBack).isEmpty();
    int requests = port.leaseRequests.size();
    node.close();
    assertThat(port.deregistrations).hasValue(1);
    assertThat(port.leaseRequests).hasSize(requests);
  }

  @Test
  void closeStopsTrialsPastTheGraceAndHandsTheirLeasesBack() {
    Lease l = noop(1, Map.of("sleepMs", 600_000, "reportEveryMs", 0));
    port.queue.add(l);
    start(1, settings());
    await("the trial runs", () -> node.running().contains(l.ref()));
    long t0 = System.nanoTime();
    assertThat(node.drain(Duration.ofMillis(200))).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(PATIENCE);
    assertThat(node.running()).isEmpty();
    assertThat(port.handedBack).containsExactly(l.ref());
    assertThat(port.completed).isEmpty();
    assertThat(port.failed).isEmpty();
    assertThat(node.drain(PATIENCE)).isFalse();
    assertThat(port.deregistrations).hasValue(1);
    assertThat(workRoot).isEmptyDirectory();
  }

  @Test
  void aStaleLeaseOnCompleteDoesNotStopTheLoop() {
    port.staleOnComplete.add(new LeaseRef(1, 1));
    for (long t = 1; t <= 5; t++) {
      port.queue.add(noop(t, Map.of()));
    }
    start(1, settings());
    await("the other trials complete", () -> port.completed.size() == 4);
    port.queue.add(noop(6, Map.of()));
    await("a later trial completes", () -> port.completed.containsKey(new LeaseRef(6, 1)));
    assertThat(port.completed).doesNotContainKey(new LeaseRef(1, 1));
  }

  @Test
  void leaseErrorsAreRetried() {
    port.leaseErrorsToThrow.set(1);
    port.queue.add(noop(1, Map.of()));
    start(1, settings());
    await("the trial completes", () -> port.completed.containsKey(new LeaseRef(1, 1)));
    assertThat(port.leaseRequests.size()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void unknownEvaluatorsAndBadConfigsFailTheAttemptWithAReason() {
    port.queue.add(lease(1, "no-such-evaluator", Map.of()));
    port.queue.add(noop(2, Map.of("failRate", 7)));
    start(1, settings());
    await("both failed", () -> port.failed.size() == 2);
    assertThat(port.failed.get(new LeaseRef(1, 1)))
        .contains("evaluator 'no-such-evaluator' is not installed", "noop", "branin");
    assertThat(port.failed.get(new LeaseRef(2, 1))).isEqualTo("option 'failRate' must be between 0 and 1 (got 7.0)");
  }

  @Test
  void theContextCarriesTheLeaseAndAWorkDirectoryThatIsRemovedAfterwards() {
    Lease gpuLease = new Lease(new LeaseRef(77, 2), 1, 77, Map.of("x", 1.0, "y", 2.0), "probe", Map.of(), PROBLEM,
        List.of(1, 3), Instant.now().plusSeconds(60));
    port.queue.add(gpuLease);
    start(1, settings());
    await("the probe completed", () -> port.completed.containsKey(gpuLease.ref()));
    ProbeProvider.Seen seen = ProbeProvider.SEEN.get(77L);
    assertThat(seen.metrics()).containsExactly("loss", "cost");
    assertThat(seen.gpus()).containsExactly(1, 3);
    assertThat(seen.params()).isEqualTo(Map.of("x", 1.0, "y", 2.0));
    assertThat(seen.wroteFile()).isTrue();
    assertThat(seen.workDir().getParent()).isEqualTo(workRoot);
    assertThat(seen.workDir().getFileName().toString()).isEqualTo("trial-77-attempt-2");
    assertThat(Files.exists(seen.workDir())).isFalse();
    assertThat(seen.deadline()).isAfter(Instant.now().plus(Duration.ofHours(23)));
    assertThat(port.completed.get(gpuLease.ref())).isEqualTo(Map.of("loss", 42.0, "cost", 42.0));
  }

  @Test
  void missingObjectiveMetricsAndBlankExceptionsBecomeFailureReasons() {
    Lease partial = lease(1, "probe", Map.of("mode", "missing-metric"));
    Lease blank = lease(2, "probe", Map.of("mode", "blank-exception"));
    port.queue.add(partial);
    port.queue.add(blank);
    start(1, settings());
    await("both failed", () -> port.failed.size() == 2);
    assertThat(port.failed.get(partial.ref()))
        .isEqualTo("evaluator 'probe' returned no value for objective metric 'loss'");
    assertThat(port.failed.get(blank.ref())).isEqualTo("IllegalStateException");
  }

  @Test
  void aTrialPastTheTimeLimitIsStoppedAndFailed() {
    Lease l = noop(1, Map.of("sleepMs", 600_000, "reportEveryMs", 0));
    port.queue.add(l);
    start(1, settings().withTrialTimeout(Duration.ofMillis(200)));
    await("the trial failed", () -> port.failed.containsKey(l.ref()));
    assertThat(port.failed.get(l.ref())).contains("time limit", "PT0.2S");
  }

  @Test
  void lifecycleMisuseIsRefused() {
    ExecutorInfo none = new ExecutorInfo("z", 0, 1, List.of(), Map.of());
    assertThatThrownBy(() -> new ExecutorNode(port, none, REGISTRY, Duration.ofSeconds(30), workRoot))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 slot");
    start(1, settings());
    assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class);
    node.close();
    assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingANodeThatNeverStartedDoesNotDeregister() {
    ExecutorNode idle = new ExecutorNode(port, new ExecutorInfo("idle", 1, 1, List.of(), Map.of()), REGISTRY,
        Duration.ofSeconds(30), workRoot);
    assertThat(idle.drain(Duration.ofSeconds(1))).isTrue();
    assertThat(idle.executorId()).isEmpty();
    assertThat(port.deregistrations).hasValue(0);
  }

  @Test
  void failureReasonsAreMessagesNeverStackTraces() {
    assertThat(ExecutorNode.reasonOf(new IllegalArgumentException("bad x"))).isEqualTo("bad x");
    assertThat(ExecutorNode.reasonOf(new ArithmeticException())).isEqualTo("ArithmeticException");
    assertThat(ExecutorNode.reasonOf(new RuntimeException("  "))).isEqualTo("RuntimeException");
    assertThat(ExecutorNode.reasonOf(new RuntimeException("x".repeat(5000)))).hasSize(5000);
    assertThat(ExecutorNode.reasonOf(new RuntimeException("x".repeat(50_000))))
        .hasSizeLessThanOrEqualTo(FailureReason.MAX_LENGTH).contains("characters cut");
  }

  private ExecutorNode startWithGpus(int slots, int gpuCount) {
    List<ExecutorInfo.Gpu> gpus = new java.util.ArrayList<>();
    for (int i = 0; i < gpuCount; i++) {
      gpus.add(new ExecutorInfo.Gpu(i, "Fake GPU", 1024));
    }
    node = new ExecutorNode(port, new ExecutorInfo("test", slots, 2, gpus, Map.of()), REGISTRY, settings());
    node.start();
    return node;
  }

  @Test
  void trialsAskingForGpusGetDistinctFreeDevices() {
    ProbeProvider.SHARED.clear();
    for (long t = 300; t < 312; t++) {
      port.queue.add(lease(t, "probe", Map.of("gpus", 1, "sleepMs", 30)));
    }
    for (long t = 312; t < 316; t++) {
      port.queue.add(lease(t, "probe", Map.of("gpus", 2, "sleepMs", 30)));
    }
    startWithGpus(6, 3);
    await("all completed", () -> port.completed.size() == 16);
    assertThat(ProbeProvider.SHARED).isEmpty();
    for (long t = 300; t < 316; t++) {
      List<Integer> seen = ProbeProvider.SEEN.get(t).gpus();
      assertThat(seen).hasSize(t < 312 ? 1 : 2).doesNotHaveDuplicates().allSatisfy(d -> assertThat(d).isBetween(0, 2));
    }
  }

  @Test
  void serverAssignedGpusWinAndTooManyGpusFailTheTrial() {
    Lease named = new Lease(new LeaseRef(401, 1), 1, 401, Map.of("x", 1.0, "y", 2.0), "probe", Map.of("gpus", 1),
        PROBLEM, List.of(1), Instant.now().plusSeconds(60));
    Lease greedy = lease(402, "probe", Map.of("gpus", 3));
    Lease cpu = lease(403, "probe", Map.of());
    Lease bad = lease(404, "probe", Map.of("gpus", -1));
    port.queue.addAll(List.of(named, greedy, cpu, bad));
    startWithGpus(1, 2);
    await("all done", () -> port.completed.size() + port.failed.size() == 4);
    assertThat(ProbeProvider.SEEN.get(401L).gpus()).containsExactly(1);
    assertThat(ProbeProvider.SEEN.get(403L).gpus()).isEmpty();
    assertThat(port.failed.get(greedy.ref())).isEqualTo("trial asks for 3 GPU(s) (evaluatorConfig.gpus) but executor"
        + " 'test' has 2");
    assertThat(port.failed).containsKey(bad.ref());
  }

  @Test
  void aNodeWithoutGpusFailsGpuTrialsWithAReason() {
    Lease l = lease(501, "probe", Map.of("gpus", 1));
    port.queue.add(l);
    start(1, settings());
    await("failed", () -> port.failed.containsKey(l.ref()));
    assertThat(port.failed.get(l.ref())).contains("asks for 1 GPU(s)", "has 0");
  }

  @Test
  void registersAgainWhenTheServerForgotTheExecutor() {
    port.unknownExecutorErrorsToThrow.set(1);
    Lease l = noop(601, Map.of());
    port.queue.add(l);
    start(1, settings());
    await("completed", () -> port.completed.containsKey(l.ref()));
    assertThat(port.registrations.get()).isEqualTo(2);
  }

  @Test
  void idleExitWaitsForRunningWorkThenStopsLeasing() throws Exception {
    // the trial runs three times longer than the idle exit: a node that is busy is not idle
    Lease l = noop(701, Map.of("sleepMs", 1500));
    port.queue.add(l);
    start(2, settings().withIdleExit(Duration.ofMillis(500)));
    java.util.concurrent.CompletableFuture<Integer> completedAtIdle = node.idle().thenApply(v -> port.completed.size());
    assertThat(completedAtIdle.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(port.completed).containsKey(l.ref());
    // the lease loop has ended: a lease queued now is never taken
    int requests = port.leaseRequests.size();
    Lease late = noop(702, Map.of());
    port.queue.add(late);
    Thread.sleep(500); // five long polls' worth
    assertThat(port.leaseRequests).hasSize(requests);
    assertThat(port.queue).containsExactly(late);
    assertThat(node.drain(Duration.ofSeconds(1))).isTrue();
    assertThat(port.deregistrations.get()).isEqualTo(1);
  }

  @Test
  void withoutIdleExitAnIdleNodeKeepsLeasing() throws Exception {
    start(1, settings());
    await("a few empty polls", () -> port.leaseRequests.size() >= 5);
    assertThat(node.idle()).isNotDone();
    Lease l = noop(711, Map.of());
    port.queue.add(l);
    await("completed", () -> port.completed.containsKey(l.ref()));
  }
}
