package io.sextant.engine.designer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sextant.engine.space.CategoricalParameter;
import io.sextant.engine.space.Condition;
import io.sextant.engine.space.FixedParameter;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.IntParameter;
import io.sextant.engine.space.Parameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.space.SpaceException;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.OutcomeConstraint;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every designer inherits (as Optuna's sampler test suites): a subclass implements {@link #provider()}
 * and, where the designer differs from the defaults, overrides the capability hooks. Checked here:
 *
 * <ul>
 *   <li>the provider is registered with {@link Designers} under its name, and its documented defaults are accepted;
 *   <li>every suggestion lies in the space ({@link SearchSpace#validate} accepts it, values normalized, fixed
 *       parameters present, inactive conditional parameters absent), for a mixed space and a conditional one;
 *   <li>empty history works; exactly {@code count} suggestions come back for count 1 and 7;
 *   <li>same options + same snapshot + same generator seed give equal proposals (also across threads);
 *   <li>a history with NaN, +/-Infinity, FAILED, INFEASIBLE, PRUNED, pending trials and duplicate parameters does
 *       not break it, and the snapshot is not modified;
 *   <li>unsupported problems and bad options fail at create with a {@link ConfigException} naming the field
 *       (always: an unknown option; plus {@link #invalidConfigs()} and the capability hooks).
 * </ul>
 *
 * <p>Snapshots are built as the API builds them from {@link Designer#needs()}: a COUNT_ONLY designer sees no
 * trials, an ALL_TRIALS designer the last {@code window} trials.
 */
public abstract class DesignerContractTest {
  /** Seed of the generators passed to suggest. */
  protected static final long RNG_SEED = 20240531L;

  /** The provider under test. */
  protected abstract DesignerProvider provider();

  /** Valid options used by every check (e.g. a seed). Default: none. */
  protected Map<String, Object> options() {
    return Map.of();
  }

  /** False when the designer handles one objective only; then two objectives must be refused at create. */
  protected boolean supportsMultiObjective() {
    return true;
  }

  /** False when conditional spaces are refused at create (field starting with {@code space}). */
  protected boolean supportsConditionalSpaces() {
    return true;
  }

  /** False when outcome constraints are refused at create (field starting with {@code constraints}). */
  protected boolean supportsOutcomeConstraints() {
    return true;
  }

  /** Further configurations the designer must refuse, e.g. a non-integer seed. */
  protected List<InvalidConfig> invalidConfigs() {
    return List.of();
  }

  // ---------------------------------------------------------------- problems and histories (reusable by subclasses)

  /** Every parameter kind, no conditions: float (linear, log, step), int (linear, log, step), categorical, fixed. */
  public static SearchSpace mixedSpace() {
    return new SearchSpace(List.of(
        new FloatParameter("lr", 1e-5, 1e-1, true, OptionalDouble.empty(), Optional.empty()),
        new FloatParameter("dropout", 0.0, 0.5, false, OptionalDouble.empty(), Optional.empty()),
        new FloatParameter("momentum", 0.0, 0.99, false, OptionalDouble.of(0.01), Optional.empty()),
        new IntParameter("layers", 1, 8, false, 1, Optional.empty()),
        new IntParameter("units", 16, 1024, true, 1, Optional.empty()),
        new IntParameter("batch", 32, 256, false, 32, Optional.empty()),
        new CategoricalParameter("optimizer", List.of("sgd", "adam", "rmsprop"), Optional.empty()),
        new CategoricalParameter("width", List.of(0.5, 1, 2.0), Optional.empty()),
        new CategoricalParameter("batch_norm", List.of(true, false), Optional.empty()),
        new FixedParameter("dataset", "cifar10", Optional.empty()),
        new FixedParameter("epochs", 3, Optional.empty())));
  }

  /**
   * A conditional space: children of a string parent, a grandchild (active only when its conditional parent is
   * active and matches), a conditional fixed value and a child of an integer parent listed with several values.
   */
  public static SearchSpace conditionalSpace() {
    return new SearchSpace(List.of(
        new CategoricalParameter("optimizer", List.of("sgd", "adam"), Optional.empty()),
        new FloatParameter("lr", 1e-4, 1.0, true, OptionalDouble.empty(), Optional.empty()),
        new CategoricalParameter("nesterov", List.of(true, false), when("optimizer", "sgd")),
        new FloatParameter("dampening", 0.0, 0.5, false, OptionalDouble.of(0.05), when("nesterov", false)),
        new FloatParameter("beta1", 0.8, 0.999, false, OptionalDouble.empty(), when("optimizer", "adam")),
        new FixedParameter("eps", 1e-8, when("optimizer", "adam")),
        new IntParameter("layers", 1, 4, false, 1, Optional.empty()),
        new IntParameter("units_deep", 8, 512, true, 1, when("layers", 3, 4)),
        new CategoricalParameter("kernel", List.of(1, 3, 5), when("layers", 4))));
  }

  /** A space with only fixed parameters (zero sampling dimensions). */
  public static SearchSpace fixedOnlySpace() {
    return new SearchSpace(List.of(
        new FixedParameter("a", 1, Optional.empty()), new FixedParameter("b", "x", Optional.empty())));
  }

  public static Optional<Condition> when(String parent, Object... values) {
    return Optional.of(new Condition(Map.of(parent, List.of(values))));
  }

  public static StudyProblem singleObjective(SearchSpace space) {
    return new StudyProblem(space, List.of(new Objective("loss", Direction.MINIMIZE)), List.of());
  }

  public static StudyProblem twoObjectives(SearchSpace space) {
    return new StudyProblem(space,
        List.of(new Objective("loss", Direction.MINIMIZE), new Objective("accuracy", Direction.MAXIMIZE)), List.of());
  }

  public static StudyProblem constrained(SearchSpace space) {
    return new StudyProblem(space, List.of(new Objective("loss", Direction.MINIMIZE)),
        List.of(new OutcomeConstraint("memory_gb", OutcomeConstraint.Op.LE, 8.0)));
  }

  /** Ordinary completed trials with finite values (trial numbers 1..n). */
  public static List<TrialView> completedHistory(StudyProblem problem, int n, RandomGenerator rng) {
    List<TrialView> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] values = new double[problem.objectives().size()];
      for (int j = 0; j < values.length; j++) {
        values[j] = rng.nextGaussian();
      }
      out.add(trial(problem, i + 1, TrialState.COMPLETED, problem.space().sample(rng), values));
    }
    return out;
  }

  /**
   * A hostile but legal history (trial numbers 1..n): completed trials with NaN, +Infinity, -Infinity and mixed
   * values, FAILED, INFEASIBLE, PRUNED, WAITING and RUNNING trials, repeated parameters with different values, and
   * constraint metrics that are missing, NaN or violated.
   */
  public static List<TrialView> hostileHistory(StudyProblem problem, RandomGenerator rng) {
    int m = problem.objectives().size();
    List<TrialView> out = new ArrayList<>();
    Map<String, Object> repeated = problem.space().sample(rng);
    double nan = Double.NaN;
    double inf = Double.POSITIVE_INFINITY;
    double[] completedValues = {1.0, nan, inf, -inf, 0.5, -0.0, 1e300, -1e-300, 2.0, nan};
    TrialState[] cycle = {TrialState.COMPLETED, TrialState.FAILED, TrialState.COMPLETED, TrialState.INFEASIBLE,
        TrialState.COMPLETED, TrialState.PRUNED, TrialState.COMPLETED, TrialState.WAITING, TrialState.COMPLETED,
        TrialState.RUNNING};
    for (int i = 0; i < 40; i++) {
      TrialState state = cycle[i % cycle.length];
      double[] values = new double[m];
      for (int j = 0; j < m; j++) {
        values[j] = switch (state) {
          case COMPLETED -> completedValues[(i / 2 + 3 * j) % completedValues.length];
          case PRUNED, INFEASIBLE -> j == 0 ? 3.0 + i : nan;
          default -> nan;
        };
      }
      Map<String, Object> params = i % 7 == 3 ? repeated : problem.space().sample(rng);
      out.add(trial(problem, i + 1, state, params, values));
    }
    return out;
  }

  /** A trial whose metrics mirror its values, plus a constraint metric that is sometimes missing or NaN. */
  public static TrialView trial(
      StudyProblem problem, long number, TrialState state, Map<String, Object> params, double[] values) {
    Map<String, Double> metrics = new HashMap<>();
    for (int j = 0; j < values.length; j++) {
      metrics.put(problem.objectives().get(j).metric(), values[j]);
    }
    for (OutcomeConstraint c : problem.constraints()) {
      if (number % 3 != 0) {
        metrics.put(c.metric(), number % 3 == 1 ? c.bound() + number - 10 : Double.NaN);
      }
    }
    return new TrialView(number, state, params, values, metrics, Map.of());
  }

  /** The snapshot the API would build for this designer: trial numbers 1..history.size(), trials per needs(). */
  public static StudySnapshot snapshotFor(Designer designer, StudyProblem problem, List<TrialView> history) {
    SnapshotNeeds needs = designer.needs();
    List<TrialView> trials = switch (needs.reads()) {
      case COUNT_ONLY -> List.of();
      case ALL_TRIALS -> history.subList(Math.max(0, history.size() - needs.window()), history.size());
    };
    return StudySnapshot.of(problem, history.size(), trials);
  }

  /**
   * Asserts a suggestion is a legal, normalized assignment: validate accepts it and changes nothing (so fixed
   * parameters are present and values have their canonical types), and exactly the active parameters appear.
   */
  public static void assertInSpace(SearchSpace space, Suggestion s) {
    Map<String, Object> validated;
    try {
      validated = space.validate(s.params());
    } catch (SpaceException e) {
      throw new AssertionError("suggestion " + s.params() + " rejected at " + e.field() + ": " + e.getMessage(), e);
    }
    assertThat(s.params()).as("suggestion must be normalized and complete").isEqualTo(validated);
    Map<String, Object> seen = new LinkedHashMap<>();
    for (Parameter p : space.parameters()) {
      boolean active = p.condition().map(c -> c.holds(seen)).orElse(true);
      assertThat(s.params().containsKey(p.name()))
          .as("parameter '%s' is %s in %s", p.name(), active ? "active" : "inactive", s.params())
          .isEqualTo(active);
      if (active) {
        seen.put(p.name(), s.params().get(p.name()));
      }
    }
  }

  // ----------------------------------------------------------------------------------------------------- checks

  protected Designer create(StudyProblem problem) {
    return provider().create(problem, options());
  }

  protected static RandomGenerator rng() {
    return new SplittableRandom(RNG_SEED);
  }

  private Proposal suggestChecked(Designer d, StudyProblem problem, List<TrialView> history, int count) {
    Proposal p = d.suggest(snapshotFor(d, problem, history), count, rng());
    assertThat(p.suggestions()).as("number of suggestions").hasSize(count);
    for (Suggestion s : p.suggestions()) {
      assertInSpace(problem.space(), s);
    }
    return p;
  }

  @Test
  void providerIsRegisteredUnderItsNameAndDescribed() {
    DesignerProvider provider = provider();
    assertThat(provider.name()).isNotBlank();
    assertThat(provider.description()).isNotBlank();
    assertThat(Designers.load().find(provider.name()))
        .as("META-INF/services registration of '%s'", provider.name())
        .hasValueSatisfying(found -> assertThat(found).isInstanceOf(provider.getClass()));
    Set<String> names = new HashSet<>();
    for (OptionSpec o : provider.options()) {
      assertThat(o.name()).isNotBlank();
      assertThat(o.type()).isNotBlank();
      assertThat(o.description()).isNotBlank();
      assertThat(names.add(o.name())).as("option '%s' listed once", o.name()).isTrue();
    }
  }

  @Test
  void documentedOptionsWithTheirDefaultsAreAccepted() {
    Map<String, Object> opts = new HashMap<>(options());
    for (OptionSpec o : provider().options()) {
      o.defaultValue().ifPresent(v -> opts.put(o.name(), v));
    }
    StudyProblem problem = singleObjective(mixedSpace());
    Designer d = provider().create(problem, opts);
    suggestChecked(d, problem, List.of(), 2);
  }

  @Test
  void needsAreWellFormed() {
    SnapshotNeeds needs = create(singleObjective(mixedSpace())).needs();
    assertThat(needs).isNotNull();
    assertThat(needs.reads()).isNotNull();
    if (needs.reads() == SnapshotNeeds.Reads.ALL_TRIALS) {
      // a designer that reads trials but loads none would never see a result
      assertThat(needs.window()).as("window of an ALL_TRIALS designer").isGreaterThanOrEqualTo(1);
    } else {
      assertThat(needs.window()).as("a COUNT_ONLY designer loads no trials").isZero();
    }
  }

  /** The declared multi-objective capability says what create accepts (the catalog and the web UI rely on it). */
  @Test
  void declaredMultiObjectiveCapabilityMatchesWhatCreateAccepts() {
    assertThat(provider().capabilities().contains(Capability.MULTI_OBJECTIVE)).as("declares multi-objective")
        .isEqualTo(supportsMultiObjective());
  }

  @ParameterizedTest(name = "count={0}")
  @ValueSource(ints = {1, 7})
  void emptyHistoryGivesExactlyCountSuggestionsInsideTheSpace(int count) {
    StudyProblem problem = singleObjective(mixedSpace());
    suggestChecked(create(problem), problem, List.of(), count);
  }

  @ParameterizedTest(name = "count={0}")
  @ValueSource(ints = {1, 7})
  void withHistoryGivesExactlyCountSuggestionsInsideTheSpace(int count) {
    StudyProblem problem = singleObjective(mixedSpace());
    suggestChecked(create(problem), problem, completedHistory(problem, 12, new SplittableRandom(5)), count);
  }

  @Test
  void conditionalSpaceSuggestionsHaveExactlyTheActiveParameters() {
    StudyProblem problem = singleObjective(conditionalSpace());
    if (!supportsConditionalSpaces()) {
      ConfigException e = catchThrowableOfType(ConfigException.class, () -> create(problem));
      assertThat(e).as("conditional space must be refused at create").isNotNull();
      assertThat(e.field()).startsWith("space");
      return;
    }
    Designer d = create(problem);
    List<TrialView> history = new ArrayList<>();
    RandomGenerator r = new SplittableRandom(11);
    for (int round = 0; round < 4; round++) {
      Proposal p = suggestChecked(d, problem, history, 7);
      for (Suggestion s : p.suggestions()) {
        history.add(trial(problem, history.size() + 1, TrialState.COMPLETED, s.params(),
            new double[] {r.nextGaussian()}));
      }
    }
  }

  @Test
  void hostileHistoryDoesNotBreakItNorIsModified() {
    checkHostile(singleObjective(mixedSpace()));
  }

  @Test
  void hostileHistoryInConditionalSpace() {
    assumeTrue(supportsConditionalSpaces(), "designer refuses conditional spaces");
    checkHostile(singleObjective(conditionalSpace()));
  }

  @Test
  void multiObjectiveProblemsAreHandledOrRefused() {
    StudyProblem problem = twoObjectives(mixedSpace());
    if (!supportsMultiObjective()) {
      ConfigException e = catchThrowableOfType(ConfigException.class, () -> create(problem));
      assertThat(e).as("two objectives must be refused at create").isNotNull();
      assertThat(e.field()).startsWith("objectives");
      return;
    }
    checkHostile(problem);
    suggestChecked(create(problem), problem, completedHistory(problem, 10, new SplittableRandom(3)), 7);
  }

  @Test
  void outcomeConstraintsAreHandledOrRefused() {
    StudyProblem problem = constrained(mixedSpace());
    if (!supportsOutcomeConstraints()) {
      ConfigException e = catchThrowableOfType(ConfigException.class, () -> create(problem));
      assertThat(e).as("outcome constraints must be refused at create").isNotNull();
      assertThat(e.field()).startsWith("constraints");
      return;
    }
    checkHostile(problem);
  }

  private void checkHostile(StudyProblem problem) {
    Designer d = create(problem);
    List<TrialView> history = hostileHistory(problem, new SplittableRandom(7));
    List<double[]> before = history.stream().map(t -> t.values().clone()).toList();
    suggestChecked(d, problem, history, 1);
    suggestChecked(d, problem, history, 7);
    for (int i = 0; i < history.size(); i++) {
      assertThat(history.get(i).values()).as("values of trial %d untouched", i + 1).isEqualTo(before.get(i));
    }
  }

  /**
   * For designers that promise never to propose a point within {@code Avoiding.TOLERANCE} (1e-3 of each parameter's
   * range, max-norm) of a PRUNED or FAILED trial (gp-bo, ehvi, parego; their tests call it from a test of their own,
   * so designers without the promise have no skipped test): the designer's own proposal, told PRUNED or FAILED
   * (moved by 4e-4 of each range, inside the tolerance but not a duplicate), must not come back, nor any point within
   * 1e-3 of it or of the earlier ones. A designer that ignores such trials proposes the same point again from the
   * same snapshot and generator (the failure of issue 24).
   */
  protected void assertNeverProposesNearPrunedOrFailedTrials() {
    SearchSpace space = new SearchSpace(List.of(
        new FloatParameter("x", 0, 1, false, OptionalDouble.empty(), Optional.empty()),
        new FloatParameter("y", -5, 5, false, OptionalDouble.empty(), Optional.empty())));
    StudyProblem problem = supportsMultiObjective() ? twoObjectives(space) : singleObjective(space);
    Designer d = create(problem);
    RandomGenerator r = rng();
    List<TrialView> history = new ArrayList<>();
    for (int i = 0; i < 14; i++) {
      history.add(smoothTrial(problem, i + 1, TrialState.COMPLETED, problem.space().sample(r)));
    }
    List<Map<String, Object>> avoided = new ArrayList<>();
    for (int round = 0; round < 6; round++) {
      Proposal p = d.suggest(snapshotFor(d, problem, history), round % 2 == 0 ? 1 : 3, rng());
      for (Suggestion s : p.suggestions()) {
        for (Map<String, Object> a : avoided) {
          assertThat(Math.abs((Double) s.params().get("x") - (Double) a.get("x")) > 1e-3
              || Math.abs((Double) s.params().get("y") - (Double) a.get("y")) > 1e-2)
              .as("round %d: %s proposed within tolerance of the pruned/failed %s", round, s.params(), a).isTrue();
        }
      }
      Map<String, Object> q = p.suggestions().getFirst().params();
      Map<String, Object> moved = Map.of("x", Math.min(1, (Double) q.get("x") + 4e-4),
          "y", Math.min(5, (Double) q.get("y") + 4e-3));
      avoided.add(moved);
      history.add(smoothTrial(problem, history.size() + 1, round % 2 == 0 ? TrialState.PRUNED : TrialState.FAILED,
          moved));
    }
  }

  /** A trial of a smooth objective over (x, y) (two quadratics for two objectives); NaN values unless COMPLETED. */
  private static TrialView smoothTrial(StudyProblem problem, long number, TrialState state, Map<String, Object> p) {
    double x = (Double) p.get("x");
    double y = (Double) p.get("y") / 10 + 0.5;
    double[] v = new double[problem.objectives().size()];
    for (int j = 0; j < v.length; j++) {
      double cx = j == 0 ? 0.3 : 0.7;
      double f = (x - cx) * (x - cx) + (y - 1 + cx) * (y - 1 + cx);
      v[j] = state != TrialState.COMPLETED ? Double.NaN : problem.objectives().get(j).direction()
          == Direction.MAXIMIZE ? -f : f;
    }
    return trial(problem, number, state, p, v);
  }

  @Test
  void sameSeedSameSnapshotSameRngGiveEqualProposals() {
    StudyProblem problem = singleObjective(mixedSpace());
    List<TrialView> history = completedHistory(problem, 15, new SplittableRandom(9));
    Designer a = create(problem);
    Designer b = create(problem);
    Proposal pa = a.suggest(snapshotFor(a, problem, history), 5, rng());
    Proposal pb = b.suggest(snapshotFor(b, problem, history), 5, rng());
    Proposal pa2 = a.suggest(snapshotFor(a, problem, history), 5, rng());
    assertThat(pb).as("a second designer with the same options").isEqualTo(pa);
    assertThat(pa2).as("the same designer again (no hidden state)").isEqualTo(pa);
  }

  @Test
  void concurrentCallsGiveTheSameProposalsAsSequentialOnes() throws Exception {
    StudyProblem problem = singleObjective(mixedSpace());
    List<TrialView> history = completedHistory(problem, 10, new SplittableRandom(13));
    Designer d = create(problem);
    StudySnapshot snapshot = snapshotFor(d, problem, history);
    Proposal expected = d.suggest(snapshot, 3, rng());
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<Proposal>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        futures.add(pool.submit(() -> d.suggest(snapshot, 3, rng())));
      }
      for (Future<Proposal> f : futures) {
        assertThat(f.get()).isEqualTo(expected);
      }
    }
  }

  @Test
  void fixedOnlySpaceIsRefusedOrAnsweredWithTheFixedValues() {
    StudyProblem problem = singleObjective(fixedOnlySpace());
    Designer d;
    try {
      d = create(problem);
    } catch (ConfigException e) {
      assertThat(e.field()).startsWith("space");
      return;
    }
    Proposal p = suggestChecked(d, problem, List.of(), 3);
    for (Suggestion s : p.suggestions()) {
      assertThat(s.params()).isEqualTo(Map.of("a", 1L, "b", "x"));
    }
  }

  @Test
  void unknownOptionIsRefusedNamingIt() {
    Map<String, Object> opts = new HashMap<>(options());
    opts.put("noSuchOption", 1);
    assertThatThrownBy(() -> provider().create(singleObjective(mixedSpace()), opts))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.field()).isEqualTo("noSuchOption");
          assertThat(e.getMessage()).contains("noSuchOption");
        });
  }

  @Test
  void invalidConfigsAreRefusedNamingTheField() {
    for (InvalidConfig c : invalidConfigs()) {
      assertThatThrownBy(() -> provider().create(c.problem(), c.options()))
          .as(c.description())
          .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).startsWith(c.field()));
    }
  }
}
