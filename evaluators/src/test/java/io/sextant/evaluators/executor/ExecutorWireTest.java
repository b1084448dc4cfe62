package io.sextant.evaluators.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.engine.space.CategoricalParameter;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.IntParameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.OutcomeConstraint;
import io.sextant.engine.study.StudyProblem;
import io.sextant.evaluators.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The executor wire codec: what one end writes the other end reads back unchanged (through real JSON text, as it
 * travels), requests are read strictly with the field named, and the one failure-reason rule.
 */
class ExecutorWireTest {
  /** Through JSON text and back to plain values, as a message travels. */
  private static Object travel(Object message) {
    return Json.parse(Json.write(message));
  }

  private static StudyProblem problem() {
    SearchSpace space = new SearchSpace(List.of(
        new FloatParameter("lr", 1e-5, 1, true, java.util.OptionalDouble.empty(), Optional.empty()),
        new IntParameter("layers", 1, 8, false, 1, Optional.empty()),
        new CategoricalParameter("act", List.of("relu", "tanh"), Optional.empty())));
    return new StudyProblem(space,
        List.of(new Objective("loss", Direction.MINIMIZE), new Objective("acc", Direction.MAXIMIZE)),
        List.of(new OutcomeConstraint("mem", OutcomeConstraint.Op.LE, 8.5),
            new OutcomeConstraint("lat", OutcomeConstraint.Op.GE, Double.NEGATIVE_INFINITY)));
  }

  private static Lease lease() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("lr", 0.01);
    params.put("layers", 3L);
    params.put("act", "relu");
    return new Lease(new LeaseRef(41, 2), 7, 12, params, "command",
        Map.of("command", List.of("python3", "train.py"), "gpus", 1L), problem(), List.of(0, 2),
        Instant.parse("2030-01-02T03:04:05.123Z"));
  }

  @Test
  void aLeaseWrittenByTheServerIsReadBackUnchangedByTheExecutor() {
    Lease l = lease();
    List<Lease> back = ExecutorWire.readLeases(travel(ExecutorWire.writeLeases(List.of(l))),
        (i, item, e) -> { throw new AssertionError(e); });
    assertThat(back).hasSize(1);
    Lease r = back.getFirst();
    assertThat(r.ref()).isEqualTo(l.ref());
    assertThat(r.studyId()).isEqualTo(7);
    assertThat(r.trialNumber()).isEqualTo(12);
    assertThat(r.params()).isEqualTo(l.params());
    assertThat(r.evaluator()).isEqualTo("command");
    assertThat(r.evaluatorConfig()).isEqualTo(Map.of("command", List.of("python3", "train.py"), "gpus", 1));
    assertThat(r.problem()).isEqualTo(l.problem());
    assertThat(r.gpus()).containsExactly(0, 2);
    assertThat(r.expiresAt()).isEqualTo(l.expiresAt());
    // the op is written in the form a study body uses; the infinite bound as a string
    List<Object> constraints = Json.array(ExecutorWire.writeProblem(problem()).get("constraints"), "constraints");
    assertThat(constraints).containsExactly(Map.of("metric", "mem", "op", "<=", "bound", 8.5),
        Map.of("metric", "lat", "op", ">=", "bound", "-Infinity"));
  }

  @Test
  void opAliasesAreTheOnesAStudyBodyAccepts() {
    for (String le : List.of("<=", "LE", "le")) {
      assertThat(OutcomeConstraint.Op.parse(le)).contains(OutcomeConstraint.Op.LE);
    }
    for (String ge : List.of(">=", "GE", "ge")) {
      assertThat(OutcomeConstraint.Op.parse(ge)).contains(OutcomeConstraint.Op.GE);
    }
    assertThat(OutcomeConstraint.Op.parse("<")).isEmpty();
    assertThat(OutcomeConstraint.Op.parse(null)).isEmpty();
    Map<String, Object> p = new LinkedHashMap<>(ExecutorWire.writeProblem(problem()));
    p.put("constraints", List.of(Map.of("metric", "mem", "op", "le", "bound", 1)));
    assertThat(ExecutorWire.readProblem(p).constraints())
        .containsExactly(new OutcomeConstraint("mem", OutcomeConstraint.Op.LE, 1));
    p.put("constraints", List.of(Map.of("metric", "mem", "op", "<", "bound", 1)));
    assertThatThrownBy(() -> ExecutorWire.readProblem(p)).hasMessage("problem.constraints[0].op must be \"<=\" or \">=\"");
  }

  @Test
  void everyRequestRoundTripsThroughTheCodec() {
    ExecutorInfo info = new ExecutorInfo("node-a", 4, 16, List.of(new ExecutorInfo.Gpu(0, "H100", 81559)),
        Map.of("zone", "b"), List.of("noop", "sor"));
    assertThat(ExecutorWire.readExecutor(travel(ExecutorWire.writeExecutor(info)))).isEqualTo(info);
    ExecutorInfo undeclared = new ExecutorInfo("n", 1, 1, List.of(), Map.of());
    assertThat(ExecutorWire.writeExecutor(undeclared)).doesNotContainKey("evaluators");
    assertThat(ExecutorWire.readExecutor(travel(ExecutorWire.writeExecutor(undeclared)))).isEqualTo(undeclared);
    assertThat(ExecutorWire.writeExecutor(undeclared)).doesNotContainKey("pool"); // the default pool: as before
    ExecutorInfo pooled = info.inPool(java.util.Optional.of("gpu-a100"));
    assertThat(ExecutorWire.writeExecutor(pooled)).containsEntry("pool", "gpu-a100");
    assertThat(ExecutorWire.readExecutor(travel(ExecutorWire.writeExecutor(pooled)))).isEqualTo(pooled);
    assertThat(ExecutorWire.readRegistered(travel(ExecutorWire.writeRegistered("ex-1")))).isEqualTo("ex-1");

    for (Duration wait : List.of(Duration.ZERO, Duration.ofSeconds(20), Duration.ofMillis(250))) {
      var req = new ExecutorWire.LeaseRequest(3, wait);
      assertThat(ExecutorWire.LeaseRequest.fromJson(travel(req.toJson()))).isEqualTo(req);
    }
    assertThat(ExecutorWire.LeaseRequest.fromJson(null)).isEqualTo(new ExecutorWire.LeaseRequest(1, Duration.ZERO));

    var hb = new ExecutorWire.Heartbeat(List.of(new LeaseRef(5, 1), new LeaseRef(6, 3)));
    assertThat(ExecutorWire.Heartbeat.fromJson(travel(hb.toJson()))).isEqualTo(hb);
    assertThat(ExecutorWire.readStop(travel(ExecutorWire.writeStop(hb.leases())))).isEqualTo(hb.leases());
    assertThat(ExecutorWire.readStop(null)).isEmpty();

    Map<String, Double> values = new LinkedHashMap<>();
    values.put("loss", Double.POSITIVE_INFINITY);
    values.put("low", Double.NEGATIVE_INFINITY);
    values.put("nan", Double.NaN);
    values.put("acc", 0.5);
    var m = new ExecutorWire.Measurement(10, values);
    assertThat(ExecutorWire.Measurement.fromJson(travel(m.toJson()))).isEqualTo(m);
    assertThat(ExecutorWire.readStopFlag(travel(ExecutorWire.writeStopFlag(true)))).isTrue();
    assertThat(ExecutorWire.readStopFlag(travel(ExecutorWire.writeStopFlag(false)))).isFalse();
    var c = new ExecutorWire.Completion(values);
    assertThat(ExecutorWire.Completion.fromJson(travel(c.toJson()))).isEqualTo(c);
    var f = new ExecutorWire.Failure("exit status 1: \"boom\"\n");
    assertThat(ExecutorWire.Failure.fromJson(travel(f.toJson()))).isEqualTo(f);

    var batch = new ExecutorWire.OutcomeBatch(List.of(Outcome.completed(new LeaseRef(41, 2), values),
        Outcome.failed(new LeaseRef(42, 1), "exit status 1")), Optional.of(2));
    assertThat(ExecutorWire.OutcomeBatch.fromJson(travel(batch.toJson()))).isEqualTo(batch);
    var noLease = new ExecutorWire.OutcomeBatch(batch.outcomes(), Optional.empty());
    assertThat(noLease.toJson()).doesNotContainKey("lease");
    assertThat(ExecutorWire.OutcomeBatch.fromJson(travel(noLease.toJson()))).isEqualTo(noLease);

    var answer = new ExecutorWire.OutcomeAnswer(List.of(new LeaseRef(42, 1)), Optional.of(List.of(lease())));
    var read = ExecutorWire.OutcomeAnswer.fromJson(travel(answer.toJson()), (i, item, e) -> {
      throw new AssertionError(e);
    });
    assertThat(read.stale()).containsExactly(new LeaseRef(42, 1));
    assertThat(read.leases().orElseThrow()).extracting(Lease::ref).containsExactly(new LeaseRef(41, 2));
    var none = new ExecutorWire.OutcomeAnswer(List.of(), Optional.empty());
    assertThat(none.toJson()).doesNotContainKey("leases");
    assertThat(ExecutorWire.OutcomeAnswer.fromJson(null, (i, item, e) -> { }).leases()).isEmpty();
  }

  /** The field a request is refused at. */
  private static String refused(Runnable read) {
    try {
      read.run();
    } catch (WireFormatException e) {
      return e.field();
    }
    throw new AssertionError("not refused");
  }

  @Test
  void requestsAreReadStrictlyNamingTheField() {
    Map<String, Object> reg = new LinkedHashMap<>(Map.of("name", "n", "slots", 2));
    assertThat(ExecutorWire.readExecutor(reg).cpuCores()).isEqualTo(2); // cpuCores defaults to the slots
    assertThat(refused(() -> ExecutorWire.readExecutor(Map.of("name", "n", "slots", 0)))).isEqualTo("slots");
    assertThat(refused(() -> ExecutorWire.readExecutor(Map.of("name", "n", "slots", 1, "colour", "red"))))
        .isEqualTo("colour");
    assertThat(refused(() -> ExecutorWire.readExecutor(Map.of("name", "n", "slots", 1,
        "gpus", List.of(Map.of("index", -1)))))).isEqualTo("gpus[0].index");
    assertThat(refused(() -> ExecutorWire.readExecutor(Map.of("name", "n", "slots", 1, "labels", Map.of("a", 1)))))
        .isEqualTo("labels.a");
    assertThat(refused(() -> ExecutorWire.readExecutor(List.of()))).isEqualTo("body");
    for (Object pool : List.of("", "a b", "-x", "x".repeat(65), "a/b", 3, List.of("a"))) {
      assertThat(refused(() -> ExecutorWire.readExecutor(Map.of("name", "n", "slots", 1, "pool", pool))))
          .as("pool " + pool).isEqualTo("pool");
    }
    assertThat(ExecutorWire.readExecutor(Map.of("name", "n", "slots", 1, "pool", "x".repeat(64))).pool())
        .contains("x".repeat(64));
    assertThat(ExecutorWire.readExecutor(Map.of("name", "n", "slots", 1)).pool()).isEmpty();
    assertThat(refused(() -> ExecutorWire.LeaseRequest.fromJson(Map.of("waitSeconds", 600))))
        .isEqualTo("waitSeconds");
    assertThat(refused(() -> ExecutorWire.LeaseRequest.fromJson(Map.of("max", 1.5)))).isEqualTo("max");
    assertThat(refused(() -> ExecutorWire.Heartbeat.fromJson(Map.of("leases", List.of(Map.of("trialId", 1))))))
        .isEqualTo("leases[0].attempt");
    assertThat(refused(() -> ExecutorWire.Measurement.fromJson(Map.of("step", -1, "values", Map.of()))))
        .isEqualTo("step");
    assertThat(refused(() -> ExecutorWire.Measurement.fromJson(Map.of("step", 1, "values", Map.of("loss", true)))))
        .isEqualTo("values.loss");
    assertThat(refused(() -> ExecutorWire.Completion.fromJson(Map.of()))).isEqualTo("values");
    assertThat(refused(() -> ExecutorWire.Failure.fromJson(Map.of("reason", " ")))).isEqualTo("reason");
    assertThat(refused(() -> ExecutorWire.OutcomeBatch.fromJson(Map.of("outcomes", List.of(),
        "lease", Map.of("max", -1))))).isEqualTo("lease.max");
    assertThat(refused(() -> ExecutorWire.OutcomeBatch.fromJson(Map.of("outcomes", List.of(
        Map.of("trialId", 1, "attempt", 1)))))).isEqualTo("outcomes[0]");
    // the client-side spellings of non-finite values are all accepted, in any case
    assertThat(ExecutorWire.Completion.fromJson(Map.of("values", Map.of("a", "inf", "b", "-Infinity", "c", "nan")))
        .values()).containsEntry("a", Double.POSITIVE_INFINITY).containsEntry("b", Double.NEGATIVE_INFINITY)
        .hasEntrySatisfying("c", v -> assertThat(v).isNaN());
  }

  @Test
  void oneFailureReasonLimitRefusedWhenReceivedAndFittedWhereMade() {
    String longest = "r".repeat(FailureReason.MAX_LENGTH);
    assertThat(ExecutorWire.Failure.fromJson(Map.of("reason", longest)).reason()).isEqualTo(longest);
    assertThat(refused(() -> ExecutorWire.Failure.fromJson(Map.of("reason", longest + "r")))).isEqualTo("reason");
    assertThat(refused(() -> ExecutorWire.OutcomeBatch.fromJson(Map.of("outcomes", List.of(
        Map.of("trialId", 1, "attempt", 1, "values", Map.of("y", 1)),
        Map.of("trialId", 2, "attempt", 1, "reason", longest + "r")))))).isEqualTo("outcomes[1].reason");

    // made by an executor: fitted, head and tail kept around the marker, so the server never refuses it
    for (int n : List.of(FailureReason.MAX_LENGTH + 1, 12_345, 200_000, 5_000_000)) {
      StringBuilder b = new StringBuilder("HEADLINE: exit status 3\n");
      while (b.length() < n - 20) {
        b.append('.');
      }
      b.append("\nValueError: the end");
      String reason = Outcome.failed(new LeaseRef(1, 1), b.toString()).reason();
      assertThat(reason.length()).as("n = %d", n).isLessThanOrEqualTo(FailureReason.MAX_LENGTH)
          .isGreaterThan(FailureReason.MAX_LENGTH - 60);
      assertThat(reason).startsWith("HEADLINE: exit status 3\n").endsWith("\nValueError: the end")
          .contains(" characters cut ...]");
      int cut = Integer.parseInt(reason.replaceAll("(?s).*\\[\\.\\.\\. (\\d+) characters cut.*", "$1"));
      String marker = "\n[... " + cut + " characters cut ...]\n";
      assertThat(reason.length()).isEqualTo(b.length() - cut + marker.length());
      assertThat(ExecutorWire.Failure.fromJson(travel(new ExecutorWire.Failure(reason).toJson())).reason())
          .isEqualTo(reason);
    }
    // a surrogate pair on the cut is never split
    String emoji = "\uD83D\uDE00".repeat(FailureReason.MAX_LENGTH);
    String fitted = FailureReason.fit(emoji);
    assertThat(fitted.codePoints().filter(cp -> Character.isSurrogate((char) cp)).count()).isZero();
    assertThat(FailureReason.fit("short")).isEqualTo("short");
    assertThat(FailureReason.fit("  ")).isEqualTo(FailureReason.BLANK);
    assertThat(Outcome.failed(new LeaseRef(1, 1), "").reason()).isEqualTo("evaluation failed");
    List<String> reasons = new ArrayList<>();
    for (int n = FailureReason.MAX_LENGTH - 2; n <= FailureReason.MAX_LENGTH + 2; n++) {
      reasons.add(FailureReason.fit("x".repeat(n)));
    }
    assertThat(reasons).allSatisfy(r -> assertThat(r.length()).isLessThanOrEqualTo(FailureReason.MAX_LENGTH));
    assertThat(reasons.get(2)).doesNotContain("cut");
    assertThat(reasons.get(3)).contains("cut");
  }
}
