package io.sextant.engine.bandit;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerContractTest;
import io.sextant.engine.designer.InvalidConfig;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.space.FloatParameter;
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
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Shared problems, invalid configs and a simulator that drives a designer as the API would. */
final class BanditFixtures {
  private BanditFixtures() {}

  /** omega stepped 0.05 on [1, 1.95]: the reference's 20 arms. */
  static StudyProblem omegaProblem(Direction direction) {
    return new StudyProblem(new SearchSpace(List.of(
        new FloatParameter("omega", 1.0, 1.95, false, OptionalDouble.of(0.05), Optional.empty()))),
        List.of(new Objective("iterations", direction)), List.of());
  }

  static List<InvalidConfig> invalidConfigs(String name) {
    StudyProblem p = omegaProblem(Direction.MINIMIZE);
    List<InvalidConfig> out = new ArrayList<>(List.of(
        new InvalidConfig("string seed", p, Map.of("seed", "1"), "seed"),
        new InvalidConfig("one arm", p, Map.of("arms", 1), "arms"),
        new InvalidConfig("zero window", p, Map.of("window", 0), "window"),
        new InvalidConfig("fixed-only space", DesignerContractTest.singleObjective(
            DesignerContractTest.fixedOnlySpace()), Map.of(), "space")));
    switch (name) {
      case "tsallis-inf" -> {
        out.add(new InvalidConfig("negative rate", p, Map.of("learningRate", -1), "learningRate"));
        out.add(new InvalidConfig("negative baseline", p, Map.of("baseline", -0.5), "baseline"));
        out.add(new InvalidConfig("baseline above 1", p, Map.of("baseline", 2), "baseline"));
        out.add(new InvalidConfig("string baseline", p, Map.of("baseline", "mean"), "baseline"));
      }
      case "exp3" -> out.add(new InvalidConfig("gamma 1", p, Map.of("gamma", 1.0), "gamma"));
      case "ucb1" -> out.add(new InvalidConfig("zero exploration", p, Map.of("exploration", 0), "exploration"));
      case "binned-tsallis-inf" -> {
        out.add(new InvalidConfig("zero bins", p, Map.of("bins", 0), "bins"));
        out.add(new InvalidConfig("a range, which the fields' own values now give", p, Map.of("low", 1, "high", 0),
            "low"));
        out.add(new InvalidConfig("fields not an array", p, Map.of("contextFields", "shift"), "contextFields"));
      }
      case "contextual-cb" -> {
        out.add(new InvalidConfig("degree", p, Map.of("degree", -1), "degree"));
        out.add(new InvalidConfig("ridge", p, Map.of("ridge", 0), "ridge"));
        out.add(new InvalidConfig("unknown cost transform", p, Map.of("costTransform", "sqrt"), "costTransform"));
        out.add(new InvalidConfig("the retired context key", p, Map.of("contextKey", "shift"), "contextKey"));
        out.add(new InvalidConfig("a blank field name", p, Map.of("contextFields", List.of(" ")), "contextFields"));
        out.add(new InvalidConfig("a field name that is a number", p, Map.of("contextFields", List.of(1)),
            "contextFields"));
      }
      case "linucb" -> {
        out.add(new InvalidConfig("degree", p, Map.of("degree", 21), "degree"));
        out.add(new InvalidConfig("arm degree", p, Map.of("armDegree", -1), "armDegree"));
        out.add(new InvalidConfig("too many features", p, Map.of("armDegree", 20, "degree", 20), "armDegree"));
        out.add(new InvalidConfig("alpha", p, Map.of("alpha", 0), "alpha"));
        out.add(new InvalidConfig("ridge", p, Map.of("ridge", -1), "ridge"));
        out.add(new InvalidConfig("negative field penalty", p, Map.of("fieldPenalty", -1), "fieldPenalty"));
        out.add(new InvalidConfig("zero length scale", p, Map.of("lengthScale", 0), "lengthScale"));
        out.add(new InvalidConfig("unknown arm features", p, Map.of("armFeatures", "spline"), "armFeatures"));
        out.add(new InvalidConfig("unknown cost transform", p, Map.of("costTransform", "sqrt"), "costTransform"));
        out.add(new InvalidConfig("the retired range", p, Map.of("low", 2, "high", 1), "low"));
        out.add(new InvalidConfig("the retired upper end alone", p, Map.of("high", 1), "high"));
        out.add(new InvalidConfig("the retired context key", p, Map.of("contextKey", "shift"), "contextKey"));
        out.add(new InvalidConfig("log cost of a maximized value", omegaProblem(Direction.MAXIMIZE),
            Map.of("costTransform", "log"), "costTransform"));
      }
      case "gp-ucb" -> {
        out.add(new InvalidConfig("alpha", p, Map.of("alpha", 0), "alpha"));
        out.add(new InvalidConfig("zero length scale", p, Map.of("lengthScale", 0), "lengthScale"));
        out.add(new InvalidConfig("unknown cost transform", p, Map.of("costTransform", "sqrt"), "costTransform"));
        out.add(new InvalidConfig("log cost of a maximized value", omegaProblem(Direction.MAXIMIZE),
            Map.of("costTransform", "log"), "costTransform"));
        out.add(new InvalidConfig("a context option on a non-contextual designer", p,
            Map.of("contextFields", List.of("shift")), "contextFields"));
      }
      default -> { }
    }
    return out;
  }

  /** Cost of pulling arm {@code arm} (index) in a context, with noise from rng. */
  interface CostModel {
    double cost(int arm, double context, RandomGenerator rng);
  }

  /** What a simulation did. */
  record Run(List<TrialView> trials, int[] arms, double totalCost) {}

  /**
   * Drives a designer for {@code rounds} one-trial suggestions: snapshot of the last window trials plus the cached
   * state, context {@code key -> contexts(t)} (none when key is empty), the trial completed with the model's cost
   * before the next round. rng for suggestions: seeded by round (as the API seeds from seed + issuedCount).
   */
  static Run simulate(Designer d, StudyProblem problem, int rounds, CostModel model, String key,
      java.util.function.LongToDoubleFunction contexts, long seed) {
    Arms arms = ((BanditDesigner) d).arms;
    List<TrialView> trials = new ArrayList<>();
    Optional<Map<String, Object>> state = Optional.empty();
    RandomGenerator noise = new SplittableRandom(seed ^ 0x5DEECE66DL);
    int[] chosen = new int[rounds];
    double total = 0;
    int window = d.needs().window();
    for (int t = 0; t < rounds; t++) {
      double x = contexts.applyAsDouble(t);
      Map<String, Object> ctx = key.isEmpty() ? Map.of() : Map.of(key, x);
      List<TrialView> view = trials.subList(Math.max(0, trials.size() - window), trials.size());
      Proposal p = d.suggest(new StudySnapshot(problem, trials.size(), view, state, ctx), 1,
          new SplittableRandom(seed + t));
      state = p.nextState();
      Suggestion s = p.suggestions().getFirst();
      int arm = arms.indexOf(s.params());
      chosen[t] = arm;
      double cost = model.cost(arm, x, noise);
      total += cost;
      double sign = problem.objectives().getFirst().direction().toMinimization();
      trials.add(new TrialView(t + 1, TrialState.COMPLETED, s.params(), new double[] {sign * cost},
          Map.of("iterations", sign * cost), s.metadata()));
    }
    return new Run(trials, chosen, total);
  }
}
