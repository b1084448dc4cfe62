package io.sextant.engine.designer;

import io.sextant.engine.study.TrialView;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The one owner of "which trials have I already folded in" for designers whose state is a summary of finished trials
 * (sums, counts, moments) that does not depend on the order of folding.
 *
 * <p>The state holds the summary with a watermark W (every trial numbered up to W is finished and folded) and the
 * numbers above W already folded (trials finish out of order). {@link #fold} folds only the finished, not yet folded
 * trials of the snapshot, so the cost per suggestion is independent of the study's length. The summary is rebuilt
 * from the snapshot's finished trials when there is no cached state, when the cached state names a folded trial the
 * snapshot shows pending or does not hold, when W lies beyond the study or the snapshot's window starts after W + 1
 * (trials between were not loaded), or when the summary says it cannot take a new trial incrementally
 * ({@link Folder#outgrows}). With more trials than the designer's window such a rebuild sees only the last window of
 * them; with a valid state this never happens.
 *
 * @param <S> the summary: mutable, confined to one call
 */
public final class TrialFold<S> {
  /** How a designer folds trials into its summary. */
  public interface Folder<S> {
    /** An empty summary for folding {@code finished} (the snapshot's finished trials) from scratch. */
    S empty(List<TrialView> finished);

    /** Folds one finished trial (each exactly once; the folder decides whether it is usable). */
    void add(S summary, TrialView trial);

    /** Whether the cached summary cannot take {@code trial} incrementally (then it is rebuilt); default never. */
    default boolean outgrows(S summary, TrialView trial) {
      return false;
    }
  }

  /** A summary with its bookkeeping: the watermark and the folded numbers above it. */
  public record Folded<S>(long watermark, SortedSet<Long> above, S summary) {
    public Folded {
      above = Collections.unmodifiableSortedSet(new TreeSet<>(above));
    }
  }

  private TrialFold() {}

  /** Brings {@code cached} (or a fresh summary) up to date with the snapshot's finished trials. */
  public static <S> Folded<S> fold(StudySnapshot study, Optional<Folded<S>> cached, Folder<S> folder) {
    List<TrialView> trials = study.trials();
    long first = trials.isEmpty() ? study.issuedCount() + 1 : trials.getFirst().number();
    Map<Long, TrialView> byNumber = new HashMap<>();
    for (TrialView t : trials) {
      byNumber.put(t.number(), t);
    }
    S summary = null;
    long watermark = 0;
    TreeSet<Long> folded = new TreeSet<>();
    if (cached.isPresent()) {
      Folded<S> c = cached.get();
      boolean consistent = c.watermark() >= 0 && c.watermark() <= study.issuedCount() && first <= c.watermark() + 1;
      for (long k : c.above()) {
        TrialView t = byNumber.get(k);
        consistent &= k > c.watermark() && t != null && t.state().isFinished();
      }
      if (consistent) {
        summary = c.summary();
        watermark = c.watermark();
        folded.addAll(c.above());
        for (TrialView t : trials) {
          if (isNew(t, watermark, folded) && folder.outgrows(summary, t)) {
            summary = null;
            break;
          }
        }
      }
    }
    if (summary == null) {
      summary = folder.empty(trials.stream().filter(t -> t.state().isFinished()).toList());
      watermark = Math.max(0, first - 1);
      folded = new TreeSet<>();
    }
    for (TrialView t : trials) {
      if (isNew(t, watermark, folded)) {
        folded.add(t.number());
        folder.add(summary, t);
      }
    }
    while (folded.contains(watermark + 1)) {
      folded.remove(++watermark);
    }
    return new Folded<>(watermark, folded, summary);
  }

  private static boolean isNew(TrialView t, long watermark, TreeSet<Long> folded) {
    return t.number() > watermark && t.state().isFinished() && !folded.contains(t.number());
  }

  /**
   * The codec of a folded state: fields {@code watermark}, {@code folded} (the numbers above it) plus the summary's
   * own fields (which must not use those two keys).
   *
   * @param encode the summary's fields
   * @param decode reads the summary from the same map (throws when malformed)
   */
  public static <S> StateCodec<Folded<S>> codec(String name, int version, Function<S, Map<String, Object>> encode,
      Function<Map<String, Object>, S> decode) {
    return new StateCodec<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int version() {
        return version;
      }

      @Override
      public Map<String, Object> encode(Folded<S> state) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("watermark", state.watermark());
        out.put("folded", List.copyOf(state.above()));
        Map<String, Object> own = encode.apply(state.summary());
        if (own.containsKey("watermark") || own.containsKey("folded")) {
          throw new IllegalStateException("summary fields of " + name + " use a reserved key");
        }
        out.putAll(own);
        return out;
      }

      @Override
      public Folded<S> decode(Map<String, Object> fields) {
        long w = DesignerState.longField(fields, "watermark");
        TreeSet<Long> above = new TreeSet<>();
        for (Object o : DesignerState.listField(fields, "folded")) {
          if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException("state field 'folded' holds a non-integer");
          }
          above.add(n.longValue());
        }
        return new Folded<>(w, above, decode.apply(fields));
      }
    };
  }
}
