package io.sextant.engine.designer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The designer-state part of the contract every designer inherits (through {@link DesignerContractTest}, or directly
 * for a designer whose problems that suite cannot build). With a history of {@value #PREFIX} trials the designer
 * writes a state; then, on the history grown to {@value #FULL} trials:
 *
 * <ul>
 *   <li>the declaration is consistent: {@link Designer#stateRole()} is NONE exactly when there is no
 *       {@link Designer#stateCodec()}, and a designer without one writes no state and ignores a stored one;
 *   <li>the state written is the codec's envelope (its name and version), JSON-shaped with finite numbers only;
 *   <li>round trip: decoding and encoding again gives the same fields, also after a trip through JSON types
 *       (integers read back as Integer or Long), and the proposals with the tripped state equal those with the
 *       original;
 *   <li>corrupt (empty, envelope only, a field or a nested number replaced by garbage), foreign (another designer's
 *       name) and other-version (newer, older, missing, not a number) states are rebuilt, never an error: the
 *       proposal equals the one made without a state;
 *   <li>a designer that declares its state a pure cache ({@link DesignerState.Role#CACHE}) proposes the same with and
 *       without it, also when trials finished out of order in between.
 * </ul>
 */
public abstract class DesignerStateContract {
  static final int PREFIX = 30;
  static final int FULL = 40;
  private static final int COUNT = 2;

  /** A designer for the problem, with the options under test. */
  protected abstract Designer create(StudyProblem problem);

  /** The problem the state checks run on. */
  protected abstract StudyProblem stateProblem();

  /** Completed trials numbered 1..n with finite values, each a prefix of the next for growing n. */
  protected abstract List<TrialView> stateHistory(StudyProblem problem, int n);

  /** The snapshot the API builds: the last {@code window} trials, the given stored state. */
  protected static StudySnapshot snapshot(Designer d, StudyProblem problem, List<TrialView> history,
      Optional<Map<String, Object>> state) {
    int window = d.needs().reads() == SnapshotNeeds.Reads.COUNT_ONLY ? 0 : d.needs().window();
    List<TrialView> trials = history.subList(Math.max(0, history.size() - window), history.size());
    return new StudySnapshot(problem, history.size(), trials, state, Map.of());
  }

  private Proposal suggest(Designer d, List<TrialView> history, Optional<Map<String, Object>> state) {
    return d.suggest(snapshot(d, stateProblem(), history, state), COUNT, new SplittableRandom(20240611L));
  }

  /** The state written after the prefix (asserted present for designers with state). */
  private Map<String, Object> writtenState(Designer d) {
    List<TrialView> prefix = stateHistory(stateProblem(), PREFIX);
    Optional<Map<String, Object>> s = suggest(d, prefix, Optional.empty()).nextState();
    assertThat(s).as("state written by a designer with a state codec after %d trials", PREFIX).isPresent();
    return s.get();
  }

  private StateCodec<?> codec(Designer d) {
    return d.stateCodec().orElseThrow();
  }

  @Test
  void stateRoleIsDeclaredConsistently() {
    Designer d = create(stateProblem());
    assertThat(d.stateRole()).isNotNull();
    assertThat(d.stateRole() == DesignerState.Role.NONE).as("role NONE exactly when there is no state codec")
        .isEqualTo(d.stateCodec().isEmpty());
    if (d.stateCodec().isEmpty()) {
      List<TrialView> full = stateHistory(stateProblem(), FULL);
      assertThat(suggest(d, full, Optional.empty()).nextState()).as("state of a designer without codec").isEmpty();
      assertThat(suggest(d, List.of(), Optional.empty()).nextState()).isEmpty();
    }
  }

  @Test
  void writtenStateIsTheCodecsEnvelopeOfFiniteJson() {
    Designer d = create(stateProblem());
    if (d.stateCodec().isEmpty()) {
      assertStoredStatesAreIgnored(d);
      return;
    }
    Map<String, Object> s = writtenState(d);
    assertThat(s.get(DesignerState.DESIGNER)).isEqualTo(codec(d).name());
    assertThat(s.get(DesignerState.VERSION)).isInstanceOf(Number.class);
    assertThat(((Number) s.get(DesignerState.VERSION)).intValue()).isEqualTo(codec(d).version());
    jsonTrip(s); // throws on anything JSON cannot hold
  }

  @Test
  void stateRoundTripsThroughTheCodecAndJson() {
    Designer d = create(stateProblem());
    if (d.stateCodec().isEmpty()) {
      assertStoredStatesAreIgnored(d);
      return;
    }
    Map<String, Object> s = writtenState(d);
    Map<String, Object> tripped = jsonTrip(s);
    assertThat((Object) jsonTrip(reencode(codec(d), tripped))).as("decode then encode").isEqualTo(tripped);
    assertThat((Object) jsonTrip(reencode(codec(d), s))).as("decode then encode, original types").isEqualTo(tripped);
    List<TrialView> full = stateHistory(stateProblem(), FULL);
    assertThat(suggest(d, full, Optional.of(tripped))).as("proposal with the state after a JSON trip")
        .isEqualTo(suggest(d, full, Optional.of(s)));
  }

  private static <S> Map<String, Object> reencode(StateCodec<S> codec, Map<String, Object> stored) {
    Optional<S> decoded = DesignerState.read(Optional.of(stored), codec);
    assertThat(decoded).as("the designer's own state decodes").isPresent();
    return DesignerState.write(codec, decoded.get());
  }

  @Test
  void corruptStatesAreRebuiltNotErrors() {
    Designer d = create(stateProblem());
    if (d.stateCodec().isEmpty()) {
      assertStoredStatesAreIgnored(d);
      return;
    }
    Map<String, Object> s = writtenState(d);
    List<TrialView> full = stateHistory(stateProblem(), FULL);
    Proposal rebuilt = suggest(d, full, Optional.empty());
    Map<String, Map<String, Object>> variants = new LinkedHashMap<>();
    variants.put("empty", Map.of());
    variants.put("envelope only", envelope(s));
    for (String key : s.keySet()) {
      if (!key.equals(DesignerState.DESIGNER) && !key.equals(DesignerState.VERSION)) {
        variants.put(key + " -> string", with(s, key, "corrupt"));
        variants.put(key + " -> list of garbage", with(s, key, List.of(Map.of("x", -1L), "y")));
      }
    }
    List<List<Object>> paths = new ArrayList<>();
    numberPaths(s, new ArrayList<>(), paths);
    int step = Math.max(1, paths.size() / 16);
    for (int i = 0; i < paths.size(); i += step) {
      List<Object> path = paths.get(i);
      if (path.size() > 1) { // top-level fields were replaced above; envelope numbers below
        variants.put(path + " -> string", replaced(s, path, 0, "corrupt"));
      }
    }
    checkRebuilt(d, full, rebuilt, variants, "corrupt");
  }

  /**
   * Every variant reads as no state; the first, the second, the last and one from the middle also give exactly the
   * proposal made without a state (a suggest per variant would make slow designers' suites slower than needed).
   */
  private void checkRebuilt(Designer d, List<TrialView> full, Proposal rebuilt,
      Map<String, Map<String, Object>> variants, String kind) {
    List<String> names = new ArrayList<>(variants.keySet());
    for (int i = 0; i < names.size(); i++) {
      Map<String, Object> v = variants.get(names.get(i));
      assertThat(DesignerState.read(Optional.of(v), codec(d))).as("%s state (%s) reads as none", kind, names.get(i))
          .isEmpty();
      if (i <= 1 || i == names.size() - 1 || i == names.size() / 2) {
        assertThat(suggest(d, full, Optional.of(v)))
            .as("proposal with a %s state (%s) equals the rebuilt one", kind, names.get(i)).isEqualTo(rebuilt);
      }
    }
  }

  @Test
  void foreignAndOtherVersionStatesAreRebuilt() {
    Designer d = create(stateProblem());
    if (d.stateCodec().isEmpty()) {
      assertStoredStatesAreIgnored(d);
      return;
    }
    Map<String, Object> s = writtenState(d);
    List<TrialView> full = stateHistory(stateProblem(), FULL);
    Proposal rebuilt = suggest(d, full, Optional.empty());
    int version = codec(d).version();
    Map<String, Map<String, Object>> variants = new LinkedHashMap<>();
    // a foreign state whose content would mislead if it were read: written on the same trials with other results
    List<TrialView> misleading = new ArrayList<>();
    for (TrialView t : stateHistory(stateProblem(), PREFIX)) {
      double[] values = t.values().clone();
      Map<String, Double> metrics = new LinkedHashMap<>(t.metrics());
      for (int k = 0; k < values.length; k++) {
        values[k] = 1 - 3 * values[k];
        metrics.put(stateProblem().objectives().get(k).metric(), values[k]);
      }
      misleading.add(new TrialView(t.number(), t.state(), t.params(), values, metrics, t.metadata()));
    }
    Map<String, Object> other = suggest(d, misleading, Optional.empty()).nextState().orElseThrow();
    variants.put("another designer's, from other results", with(other, DesignerState.DESIGNER, "some-other-designer"));
    variants.put("another designer's", with(s, DesignerState.DESIGNER, "some-other-designer"));
    variants.put("newer version", with(s, DesignerState.VERSION, (long) version + 1));
    variants.put("version 0", with(s, DesignerState.VERSION, 0L));
    variants.put("version as a string", with(s, DesignerState.VERSION, String.valueOf(version)));
    Map<String, Object> noVersion = new LinkedHashMap<>(s);
    noVersion.remove(DesignerState.VERSION);
    variants.put("no version", noVersion);
    checkRebuilt(d, full, rebuilt, variants, "foreign or other-version");
  }

  /**
   * A pure cache gives the proposals of no state; memory is read back (the designer's own state decodes, and a
   * designer without state ignores any stored one).
   */
  @Test
  void theStateIsWhatItsRoleDeclares() {
    Designer d = create(stateProblem());
    if (d.stateRole() == DesignerState.Role.NONE) {
      assertStoredStatesAreIgnored(d);
      return;
    }
    List<TrialView> full = stateHistory(stateProblem(), FULL);
    Map<String, Object> s = writtenState(d);
    if (d.stateRole() == DesignerState.Role.MEMORY) {
      assertThat(DesignerState.read(Optional.of(jsonTrip(s)), codec(d))).as("memory is read back").isPresent();
      return;
    }
    assertThat(suggest(d, full, Optional.of(s))).as("with the cached state").isEqualTo(
        suggest(d, full, Optional.empty()));
    // trials that finish out of order: some of the prefix were pending when the state was written
    List<TrialView> prefix = new ArrayList<>(full.subList(0, PREFIX));
    for (int i : new int[] {4, 11, 28}) {
      TrialView t = prefix.get(i);
      prefix.set(i, new TrialView(t.number(), TrialState.RUNNING, t.params(), new double[t.values().length],
          Map.of(), t.metadata()));
    }
    Map<String, Object> early = suggest(d, prefix, Optional.empty()).nextState().orElseThrow();
    assertThat(suggest(d, full, Optional.of(early)).suggestions())
        .as("with a state written while trials 5, 12 and 29 were pending").isEqualTo(
            suggest(d, full, Optional.empty()).suggestions());
  }

  // ------------------------------------------------------------------------------------------------------ helpers

  /** A designer without state proposes the same whatever is stored (junk, or another designer's state). */
  private void assertStoredStatesAreIgnored(Designer d) {
    List<TrialView> full = stateHistory(stateProblem(), FULL);
    Proposal none = suggest(d, full, Optional.empty());
    assertThat(none.nextState()).as("state of a designer without codec").isEmpty();
    Map<String, Object> bandit = new LinkedHashMap<>();
    bandit.put(DesignerState.DESIGNER, "ucb1");
    bandit.put(DesignerState.VERSION, 1L);
    bandit.put("watermark", 3L);
    bandit.put("folded", List.of(5L));
    for (Map<String, Object> stored : List.of(Map.<String, Object>of("junk", List.of(1, "x")), bandit)) {
      assertThat(suggest(d, full, Optional.of(stored))).as("proposal with a stored %s", stored).isEqualTo(none);
    }
  }

  private static Map<String, Object> envelope(Map<String, Object> s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(DesignerState.DESIGNER, s.get(DesignerState.DESIGNER));
    out.put(DesignerState.VERSION, s.get(DesignerState.VERSION));
    return out;
  }

  private static Map<String, Object> with(Map<String, Object> s, String key, Object value) {
    Map<String, Object> out = new LinkedHashMap<>(s);
    out.put(key, value);
    return out;
  }

  /** Paths (keys and indices) to every number in a JSON-shaped value. */
  private static void numberPaths(Object v, List<Object> at, List<List<Object>> out) {
    if (v instanceof Number) {
      out.add(List.copyOf(at));
    } else if (v instanceof Map<?, ?> m) {
      for (var e : m.entrySet()) {
        at.add(e.getKey());
        numberPaths(e.getValue(), at, out);
        at.removeLast();
      }
    } else if (v instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        at.add(i);
        numberPaths(l.get(i), at, out);
        at.removeLast();
      }
    }
  }

  /** A copy of v with the value at path[from..] replaced. */
  @SuppressWarnings("unchecked")
  private static <T> T replaced(Object v, List<Object> path, int from, Object value) {
    if (from == path.size()) {
      return (T) value;
    }
    Object key = path.get(from);
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>(m);
      out.put(key, replaced(m.get(key), path, from + 1, value));
      return (T) out;
    }
    List<Object> out = new ArrayList<>((List<?>) v);
    out.set((Integer) key, replaced(out.get((Integer) key), path, from + 1, value));
    return (T) out;
  }

  /**
   * The value as the API's JSON column gives it back: maps with string keys, lists, strings, booleans, integers as
   * Integer (or Long when large), other numbers as Double; fails on anything JSON cannot hold (NaN, infinities,
   * arrays, records).
   */
  @SuppressWarnings("unchecked")
  public static <T> T jsonTrip(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean) {
      return (T) v;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      long x = ((Number) v).longValue();
      return (T) (x == (int) x ? (Object) (int) x : (Object) x);
    }
    if (v instanceof Double || v instanceof Float) {
      double x = ((Number) v).doubleValue();
      assertThat(Double.isFinite(x)).as("state numbers must be finite to survive JSON (got %s)", x).isTrue();
      return (T) (Double) x;
    }
    if (v instanceof Map<?, ?> m) {
      List<String> keys = new ArrayList<>();
      for (Object k : m.keySet()) {
        assertThat(k).as("JSON object keys are strings").isInstanceOf(String.class);
        keys.add((String) k);
      }
      // PostgreSQL's jsonb (study.designer_state) keeps no key order: shorter keys first, then by bytes
      keys.sort(java.util.Comparator.comparingInt(String::length).thenComparing(java.util.Comparator.naturalOrder()));
      Map<String, Object> out = new LinkedHashMap<>();
      for (String k : keys) {
        out.put(k, jsonTrip(m.get(k)));
      }
      return (T) out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) {
        out.add(jsonTrip(o));
      }
      return (T) out;
    }
    throw new AssertionError("not JSON-shaped: " + v.getClass().getName() + " " + v);
  }
}
