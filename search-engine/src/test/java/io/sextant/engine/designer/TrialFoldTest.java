package io.sextant.engine.designer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The watermark bookkeeping on a summary that records which trials it folded (so double counting shows). */
class TrialFoldTest {
  private static final StudyProblem PROBLEM = new StudyProblem(SearchSpace.EMPTY,
      List.of(new Objective("loss", Direction.MINIMIZE)), List.of());

  /** Folded trial numbers, in folding order; "empty" calls counted. */
  static final class Seen {
    final List<Long> numbers = new ArrayList<>();
    int rebuilds;
  }

  private static TrialFold.Folder<Seen> folder(Set<Long> outgrowing) {
    return new TrialFold.Folder<>() {
      @Override
      public Seen empty(List<TrialView> finished) {
        Seen s = new Seen();
        s.rebuilds = 1;
        return s;
      }

      @Override
      public void add(Seen s, TrialView t) {
        s.numbers.add(t.number());
      }

      @Override
      public boolean outgrows(Seen s, TrialView t) {
        return outgrowing.contains(t.number());
      }
    };
  }

  private static List<TrialView> trials(int from, int to, Set<Long> pending) {
    List<TrialView> out = new ArrayList<>();
    for (long n = from; n <= to; n++) {
      TrialState st = pending.contains(n) ? TrialState.RUNNING : TrialState.COMPLETED;
      out.add(new TrialView(n, st, Map.of(), new double[] {n}, Map.of(), Map.of()));
    }
    return out;
  }

  private static StudySnapshot snapshot(long issued, List<TrialView> trials) {
    return StudySnapshot.of(PROBLEM, issued, trials);
  }

  @Test
  void outOfOrderTrialsAreFoldedExactlyOnce() {
    var first = TrialFold.fold(snapshot(10, trials(1, 10, Set.of(4L, 7L))), Optional.empty(), folder(Set.of()));
    assertThat(first.watermark()).isEqualTo(3);
    assertThat(first.above()).containsExactly(5L, 6L, 8L, 9L, 10L);
    // later: 4 and 7 finished, 11-12 new; the window starts at 4 = watermark + 1
    var second = TrialFold.fold(snapshot(12, trials(4, 12, Set.of())), Optional.of(first), folder(Set.of()));
    assertThat(second.watermark()).isEqualTo(12);
    assertThat(second.above()).isEmpty();
    assertThat(second.summary().rebuilds).isEqualTo(1); // the first one's
    assertThat(new TreeSet<>(second.summary().numbers)).hasSize(12);
    assertThat(second.summary().numbers).hasSize(12).doesNotHaveDuplicates();
  }

  @Test
  void aWindowStartingAfterTheWatermarkRebuilds() {
    var first = TrialFold.fold(snapshot(10, trials(1, 10, Set.of(4L))), Optional.empty(), folder(Set.of()));
    var second = TrialFold.fold(snapshot(15, trials(6, 15, Set.of())), Optional.of(first), folder(Set.of()));
    assertThat(second.summary().numbers).containsExactly(6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L);
    assertThat(second.watermark()).isEqualTo(15);
  }

  @Test
  void aFoldedTrialShownPendingOrAWatermarkBeyondTheStudyRebuilds() {
    var first = TrialFold.fold(snapshot(5, trials(1, 5, Set.of(2L))), Optional.empty(), folder(Set.of()));
    // trial 3 was folded but the snapshot shows it running (the state belongs to another history)
    var second = TrialFold.fold(snapshot(5, trials(1, 5, Set.of(3L))), Optional.of(first), folder(Set.of()));
    assertThat(second.summary().numbers).containsExactly(1L, 2L, 4L, 5L);
    var beyond = new TrialFold.Folded<>(9, new TreeSet<>(), first.summary());
    var third = TrialFold.fold(snapshot(5, trials(1, 5, Set.of())), Optional.of(beyond), folder(Set.of()));
    assertThat(third.summary().numbers).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void aSummaryThatOutgrowsRebuilds() {
    var first = TrialFold.fold(snapshot(5, trials(1, 5, Set.of())), Optional.empty(), folder(Set.of()));
    var second = TrialFold.fold(snapshot(7, trials(1, 7, Set.of())), Optional.of(first), folder(Set.of(7L)));
    assertThat(second.summary().numbers).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    var third = TrialFold.fold(snapshot(7, trials(1, 7, Set.of())), Optional.of(first), folder(Set.of()));
    assertThat(third.summary().numbers).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(third.summary()).isSameAs(first.summary()); // folded onto the cached summary
  }

  @Test
  void theCodecKeepsTheBookkeepingAndRefusesMalformedNumbers() {
    var codec = TrialFold.<List<Long>>codec("t", 1, l -> Map.of("n", List.copyOf(l)),
        m -> new ArrayList<>(((List<?>) DesignerState.field(m, "n")).stream().map(o -> ((Number) o).longValue())
            .toList()));
    var f = new TrialFold.Folded<List<Long>>(3, new TreeSet<>(List.of(5L, 6L)), List.of(1L, 2L));
    Map<String, Object> stored = DesignerState.write(codec, f);
    assertThat(stored).containsEntry("designer", "t").containsEntry("watermark", 3L);
    assertThat(DesignerState.read(Optional.of(stored), codec)).hasValueSatisfying(g -> {
      assertThat(g.watermark()).isEqualTo(3);
      assertThat(g.above()).containsExactly(5L, 6L);
      assertThat(g.summary()).containsExactly(1L, 2L);
    });
    Map<String, Object> bad = new java.util.LinkedHashMap<>(stored);
    bad.put("folded", List.of(5.5));
    assertThat(DesignerState.read(Optional.of(bad), codec)).isEmpty();
  }
}
