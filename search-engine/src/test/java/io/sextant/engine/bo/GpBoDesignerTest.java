package io.sextant.engine.bo;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerContractTest;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.InvalidConfig;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.IntParameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.OutcomeConstraint;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GpBoDesignerTest extends DesignerContractTest {
  static final double BRANIN_MIN = 0.397887357729738;

  /** Never a proposal within 1e-3 of a PRUNED or FAILED trial (issue 24). */
  @org.junit.jupiter.api.Test
  void neverProposesNearPrunedOrFailedTrials() {
    assertNeverProposesNearPrunedOrFailedTrials();
  }

  @Override
  protected DesignerProvider provider() {
    return new GpBoDesignerProvider();
  }

  @Override
  protected Map<String, Object> options() {
    // a short initial design so that the contract's 10-15 trial histories exercise the GP phase; fewer candidates
    // keep the suite fast on 2 cores
    return Map.of("seed", 7, "initialTrials", 4, "candidates", 128, "restarts", 2);
  }

  @Override
  protected boolean supportsMultiObjective() {
    return false;
  }

  @Override
  protected List<InvalidConfig> invalidConfigs() {
    StudyProblem p = singleObjective(mixedSpace());
    return List.of(
        new InvalidConfig("unknown acquisition", p, Map.of("acquisition", "pi"), "acquisition"),
        new InvalidConfig("negative ucbBeta", p, Map.of("ucbBeta", -1.0), "ucbBeta"),
        new InvalidConfig("string initialTrials", p, Map.of("initialTrials", "5"), "initialTrials"),
        new InvalidConfig("tiny window", p, Map.of("window", 2), "window"),
        new InvalidConfig("non-integer seed", p, Map.of("seed", 0.5), "seed"));
  }

  // ------------------------------------------------------------------------------------------- helpers

  static SearchSpace braninSpace() {
    return new SearchSpace(List.of(
        new FloatParameter("x1", -5, 10, false, OptionalDouble.empty(), Optional.empty()),
        new FloatParameter("x2", 0, 15, false, OptionalDouble.empty(), Optional.empty())));
  }

  static double branin(Map<String, Object> p) {
    double x1 = (Double) p.get("x1");
    double x2 = (Double) p.get("x2");
    double b = 5.1 / (4 * Math.PI * Math.PI);
    double c = 5 / Math.PI;
    double t = 1 / (8 * Math.PI);
    return Math.pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.cos(x1) + 10;
  }

  /** Runs a sequential study of {@code budget} trials and returns the objective values in order. */
  static List<Double> run(Designer d, StudyProblem problem, int budget, int batch, ToDoubleFunction<Map<String, Object>> f,
      long seed) {
    List<TrialView> history = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    Optional<Map<String, Object>> state = Optional.empty();
    while (history.size() < budget) {
      StudySnapshot snap = new StudySnapshot(problem, history.size(), history, state, Map.of());
      Proposal p = d.suggest(snap, Math.min(batch, budget - history.size()), new SplittableRandom(seed + history.size()));
      state = p.nextState().isPresent() ? p.nextState() : state;
      for (Suggestion s : p.suggestions()) {
        double v = f.applyAsDouble(s.params());
        values.add(v);
        history.add(trial(problem, history.size() + 1, TrialState.COMPLETED, s.params(), new double[] {v}));
      }
    }
    return values;
  }

  static double best(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  // ------------------------------------------------------------------------------------------- behaviour

  @Test
  void findsTheBraninMinimumRegionWithin30Evaluations() {
    StudyProblem problem = singleObjective(braninSpace());
    Designer d = provider().create(problem, Map.of("seed", 1));
    double regret = best(run(d, problem, 30, 1, GpBoDesignerTest::branin, 11)) - BRANIN_MIN;
    // Random search with 30 evaluations reaches a median regret of about 1-2 on Branin (Optuna's random: 0.88 at
    // 50). A GP with LogEI typically gets below 0.01 on this budget; 0.1 leaves an order-of-magnitude margin while
    // still failing any designer that merely samples the space (P(random regret < 0.1 in 30 draws) ~ 5%), and the
    // run is deterministic (fixed seeds).
    assertThat(regret).isLessThan(0.1);
    List<Double> random = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < 30; i++) {
      random.add(branin(problem.space().sample(r)));
    }
    assertThat(regret).isLessThan(best(random) - BRANIN_MIN);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"nei", "kg", "kg-mc", "ucb"})
  void everyAcquisitionImprovesOnTheInitialDesign(String acquisition) {
    StudyProblem problem = singleObjective(braninSpace());
    Designer d = provider().create(problem,
        Map.of("seed", 1, "acquisition", acquisition, "candidates", 256, "restarts", 2));
    List<Double> v = run(d, problem, 20, 1, GpBoDesignerTest::branin, 5);
    // 5 Sobol points then 15 GP steps: the GP phase must beat the initial design clearly and reach regret < 1.5
    // (random search needs ~100 draws for that in expectation)
    assertThat(best(v.subList(5, 20))).isLessThan(best(v.subList(0, 5)));
    assertThat(best(v) - BRANIN_MIN).isLessThan(1.5);
  }

  @Test
  void continuousKnowledgeGradientFindsTheBraninMinimumRegionWithin30Evaluations() {
    StudyProblem problem = singleObjective(braninSpace());
    Designer d = provider().create(problem, Map.of("seed", 1, "acquisition", "kg-mc"));
    double regret = best(run(d, problem, 30, 1, GpBoDesignerTest::branin, 11)) - BRANIN_MIN;
    // the bar of the LogEI test above (random search: regret ~1-2 at 30 draws; P(random < 0.1) ~ 5%), same seeds
    assertThat(regret).isLessThan(0.1);
  }

  @Test
  void continuousKnowledgeGradientHonoursMaximization() {
    StudyProblem problem = new StudyProblem(braninSpace(), List.of(new Objective("score", Direction.MAXIMIZE)),
        List.of());
    Designer d = provider().create(problem, Map.of("seed", 3, "acquisition", "kg-mc", "kgSamples", 8));
    List<Double> v = run(d, problem, 20, 1, p -> -branin(p), 3);
    assertThat(-v.stream().mapToDouble(Double::doubleValue).max().orElseThrow() - BRANIN_MIN).isLessThan(0.5);
  }

  @Test
  void maximizationIsHonoured() {
    StudyProblem problem = new StudyProblem(braninSpace(), List.of(new Objective("score", Direction.MAXIMIZE)),
        List.of());
    Designer d = provider().create(problem, Map.of("seed", 3));
    List<Double> v = run(d, problem, 20, 1, p -> -branin(p), 3);
    assertThat(-v.stream().mapToDouble(Double::doubleValue).max().orElseThrow() - BRANIN_MIN).isLessThan(0.5);
  }

  @Test
  void batchesAndPendingTrialsGetDistinctPoints() {
    StudyProblem problem = singleObjective(braninSpace());
    Designer d = provider().create(problem, Map.of("seed", 2, "initialTrials", 5));
    List<TrialView> history = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(4);
    for (int i = 0; i < 10; i++) {
      Map<String, Object> p = problem.space().sample(r);
      history.add(trial(problem, i + 1, TrialState.COMPLETED, p, new double[] {branin(p)}));
    }
    Proposal batch = d.suggest(StudySnapshot.of(problem, 10, history), 8, new SplittableRandom(1));
    Set<Map<String, Object>> distinct = new HashSet<>();
    batch.suggestions().forEach(s -> distinct.add(s.params()));
    assertThat(distinct).hasSize(8);
    // points of a batch are spread out by the believer: no two closer than 1% of the range
    List<Suggestion> s = batch.suggestions();
    for (int i = 0; i < s.size(); i++) {
      for (int j = 0; j < i; j++) {
        double dx = ((Double) s.get(i).params().get("x1") - (Double) s.get(j).params().get("x1")) / 15;
        double dy = ((Double) s.get(i).params().get("x2") - (Double) s.get(j).params().get("x2")) / 15;
        assertThat(Math.hypot(dx, dy)).isGreaterThan(0.01);
      }
    }
    // asynchronous workers: the first suggestion becomes a RUNNING trial; the next request must differ from it
    Suggestion first = d.suggest(StudySnapshot.of(problem, 10, history), 1, new SplittableRandom(1)).suggestions()
        .get(0);
    List<TrialView> withPending = new ArrayList<>(history);
    withPending.add(trial(problem, 11, TrialState.RUNNING, first.params(), new double[] {Double.NaN}));
    Suggestion second = d.suggest(StudySnapshot.of(problem, 11, withPending), 1, new SplittableRandom(1))
        .suggestions().get(0);
    assertThat(second.params()).isNotEqualTo(first.params());
  }

  @Test
  void smallDiscreteSpacesNeverRepeatAnObservedPointUntilExhausted() {
    SearchSpace space = new SearchSpace(List.of(new IntParameter("a", 0, 3, false, 1, Optional.empty()),
        new IntParameter("b", 0, 2, false, 1, Optional.empty())));
    StudyProblem problem = singleObjective(space);
    Designer d = provider().create(problem, Map.of("initialTrials", 3, "candidates", 32));
    List<Double> v = run(d, problem, 12, 1, p -> Math.pow((Long) p.get("a") - 2, 2) + (Long) p.get("b"), 1);
    // 12 points of a 12-point space, each once: the values form the multiset of all 12 objective values
    List<Double> all = new ArrayList<>();
    for (long a = 0; a <= 3; a++) {
      for (long b = 0; b <= 2; b++) {
        all.add(Math.pow(a - 2, 2) + b);
      }
    }
    assertThat(v).containsExactlyInAnyOrderElementsOf(all);
  }

  @Test
  void outcomeConstraintSteersTheSearchIntoTheFeasibleRegion() {
    // minimize Branin subject to x1 >= 5 (metric "x1" reported by the trial): the unconstrained minima at
    // x1 = -pi and pi are infeasible; the feasible minimum is 9.42478 -> 0.397887
    StudyProblem problem = new StudyProblem(braninSpace(), List.of(new Objective("loss", Direction.MINIMIZE)),
        List.of(new OutcomeConstraint("x1", OutcomeConstraint.Op.GE, 5.0)));
    Designer d = provider().create(problem, Map.of("seed", 4));
    List<TrialView> history = new ArrayList<>();
    Optional<Map<String, Object>> state = Optional.empty();
    for (int i = 0; i < 30; i++) {
      Proposal p = d.suggest(new StudySnapshot(problem, i, history, state, Map.of()), 1, new SplittableRandom(i));
      state = p.nextState().isPresent() ? p.nextState() : state;
      Map<String, Object> params = p.suggestions().get(0).params();
      double x1 = (Double) params.get("x1");
      Map<String, Double> metrics = new HashMap<>(Map.of("loss", branin(params), "x1", x1));
      // violating trials come back INFEASIBLE with the metric, which still teaches the constraint model
      TrialState st = x1 >= 5 ? TrialState.COMPLETED : TrialState.INFEASIBLE;
      history.add(new TrialView(i + 1, st, params, new double[] {st == TrialState.COMPLETED ? branin(params)
          : Double.NaN}, metrics, Map.of()));
    }
    List<TrialView> gpPhase = history.subList(10, 30);
    long feasible = gpPhase.stream().filter(t -> t.state() == TrialState.COMPLETED).count();
    // a third of the box is feasible; a model of the constraint should put most GP-phase points there
    assertThat(feasible).isGreaterThanOrEqualTo(15);
    double bestFeasible = history.stream().filter(t -> t.state() == TrialState.COMPLETED)
        .mapToDouble(t -> t.values()[0]).min().orElseThrow();
    assertThat(bestFeasible - BRANIN_MIN).isLessThan(0.5);
    assertThat(state.orElseThrow()).containsKeys("objective", "constraints");
  }

  @Test
  void cachedHyperparametersAreReusedUntilTheRefitIsDue() {
    StudyProblem problem = singleObjective(braninSpace());
    Designer d = provider().create(problem, Map.of("seed", 1, "candidates", 64));
    List<TrialView> history = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(8);
    for (int i = 0; i < 50; i++) {
      Map<String, Object> p = problem.space().sample(r);
      history.add(trial(problem, i + 1, TrialState.COMPLETED, p, new double[] {branin(p)}));
    }
    Proposal first = d.suggest(StudySnapshot.of(problem, 50, history), 1, new SplittableRandom(1));
    @SuppressWarnings("unchecked")
    Map<String, Object> obj = (Map<String, Object>) first.nextState().orElseThrow().get("objective");
    assertThat(obj.get("fittedAt")).isEqualTo(50);
    Map<String, Object> p = problem.space().sample(r);
    history.add(trial(problem, 51, TrialState.COMPLETED, p, new double[] {branin(p)}));
    Proposal second = d.suggest(new StudySnapshot(problem, 51, history, first.nextState(), Map.of()), 1,
        new SplittableRandom(1));
    // 51 < 50 + max(2, 5): the cached hyperparameters are used as they are
    assertThat(second.nextState().orElseThrow().get("objective")).isEqualTo(obj);
  }

  @Test
  void theOutputWarpIsChosenAndCachedOnlyForRightSkewedObjectives() {
    StudyProblem problem = singleObjective(braninSpace());
    Designer d = provider().create(problem, Map.of("seed", 1, "candidates", 64));
    SplittableRandom r = new SplittableRandom(9);
    List<TrialView> skewed = new ArrayList<>();
    List<TrialView> symmetric = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Map<String, Object> p = problem.space().sample(r);
      // squared Branin over its box: 0.16 to ~9e4 with a long right tail; sin + cos: symmetric
      skewed.add(trial(problem, i + 1, TrialState.COMPLETED, p, new double[] {Math.pow(branin(p), 2)}));
      symmetric.add(trial(problem, i + 1, TrialState.COMPLETED, p,
          new double[] {Math.sin((Double) p.get("x1")) + Math.cos((Double) p.get("x2"))}));
    }
    Proposal a = d.suggest(StudySnapshot.of(problem, 30, skewed), 1, new SplittableRandom(1));
    Map<?, ?> objA = (Map<?, ?>) a.nextState().orElseThrow().get("objective");
    assertThat(objA.get("warp")).isIn("none", "log0.1", "log1.0");
    Proposal b = d.suggest(StudySnapshot.of(problem, 30, symmetric), 1, new SplittableRandom(1));
    Map<?, ?> objB = (Map<?, ?>) b.nextState().orElseThrow().get("objective");
    assertThat(objB.containsKey("warp")).isFalse();
    assertThat(objB.containsKey("lengthscales")).isTrue();
  }
}
