package io.sextant.evaluators.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttemptContextTest {
  @TempDir Path root;
  private final FakeDispatchPort port = new FakeDispatchPort();

  private AttemptContext context() {
    StudyProblem problem = new StudyProblem(SearchSpace.EMPTY, List.of(new Objective("loss", Direction.MINIMIZE)),
        List.of());
    Lease lease = new Lease(new LeaseRef(5, 3), 1, 9, Map.of(), "noop", Map.of(), problem, List.of(),
        Instant.now());
    return new AttemptContext(lease, port, "exec-test", root, Instant.now().plusSeconds(10));
  }

  @Test
  void workDirectoryIsCreatedOnDemandAndDeletedWithItsContents() throws Exception {
    AttemptContext ctx = context();
    Path dir = ctx.workDirectory();
    assertThat(dir).isDirectory().hasFileName("trial-5-attempt-3");
    Files.createDirectories(dir.resolve("a/b"));
    Files.writeString(dir.resolve("a/b/c.txt"), "x");
    ctx.deleteWorkDirectory();
    assertThat(dir).doesNotExist();
  }

  @Test
  void noWorkDirectoryUnlessAsked() {
    AttemptContext ctx = context();
    ctx.deleteWorkDirectory();
    assertThat(root).isEmptyDirectory();
  }

  @Test
  void aLeftoverDirectoryOfTheSameAttemptIsCleared() throws Exception {
    Path leftover = Files.createDirectories(root.resolve("trial-5-attempt-3"));
    Files.writeString(leftover.resolve("old.txt"), "x");
    assertThat(context().workDirectory()).isEmptyDirectory();
  }

  @Test
  void aStaleLeaseOnReportMeansStop() {
    AttemptContext ctx = context();
    // The fake never leased (5, 3), so the report is refused as stale.
    assertThat(ctx.report(1, Map.of("loss", 1.0))).isTrue();
    assertThat(ctx.stopRequested()).isTrue();
    assertThat(ctx.stopReason()).contains(StopReason.SERVER);
  }

  @Test
  void theFirstStopReasonWins() {
    AttemptContext ctx = context();
    assertThat(ctx.signal(StopReason.DEADLINE)).isTrue();
    assertThat(ctx.signal(StopReason.SHUTDOWN)).isFalse();
    assertThat(ctx.stopReason()).contains(StopReason.DEADLINE);
    assertThat(ctx.report(2, Map.of())).isTrue();
    assertThat(port.reported).isEmpty();
  }
}
