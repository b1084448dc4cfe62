package io.sextant.engine.bo;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.SnapshotNeeds;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.Parameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.stopping.StoppingRule;
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
import java.util.TreeMap;

/**
 * A learning-curve objective and the API's ask/tell loop with a stopping rule, in process (for the pruned-trial
 * tests and {@code PrunedBenchmark}; benchmarks/gp-bo/pruned_optuna.py computes the same curve).
 *
 * <p>Parameters x1, x2 (Branin's inputs scaled to [0, 1]) and lr in [0, 1]. Final value
 * {@code F = branin(15 x1 - 5, 15 x2) / 10 + 2 (lr - 0.3)^2} (minimum {@link #OPTIMUM} at Branin's minima, lr = 0.3);
 * the value reported at step t = 1..steps is {@code F + (3 + B / 2) exp(-t (0.05 + 0.6 lr))} with B the Branin term:
 * curves approach the final value from above, fast for a large lr, and cross (a large lr looks best early and ends
 * worse than lr = 0.3, which ends best but starts slower).
 */
public final class LearningCurves {
  /** The minimum of the final value. */
  public static final double OPTIMUM = 0.397887357729738 / 10;

  private LearningCurves() {}

  public static StudyProblem problem() {
    List<Parameter> ps = new ArrayList<>();
    for (String n : List.of("x1", "x2", "lr")) {
      ps.add(new FloatParameter(n, 0, 1, false, OptionalDouble.empty(), Optional.empty()));
    }
    return new StudyProblem(new SearchSpace(ps), List.of(new Objective("loss", Direction.MINIMIZE)), List.of());
  }

  static double branin(double x1, double x2) {
    double a = 15 * x1 - 5;
    double b = 15 * x2;
    double t = b - 5.1 / (4 * Math.PI * Math.PI) * a * a + 5 / Math.PI * a - 6;
    return t * t + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(a) + 10;
  }

  /** The value reported at step t (1-based). */
  public static double at(Map<String, Object> p, int step) {
    double x1 = (Double) p.get("x1");
    double x2 = (Double) p.get("x2");
    double lr = (Double) p.get("lr");
    double b = branin(x1, x2) / 10;
    double fin = b + 2 * (lr - 0.3) * (lr - 0.3);
    return fin + (3 + b / 2) * Math.exp(-step * (0.05 + 0.6 * lr));
  }

  /** The final value (the limit of the curve; what a completed trial reports at its last step). */
  public static double fin(Map<String, Object> p) {
    double b = branin((Double) p.get("x1"), (Double) p.get("x2")) / 10;
    double lr = (Double) p.get("lr");
    return b + 2 * (lr - 0.3) * (lr - 0.3);
  }

  /** Outcome of one simulated study. */
  public record Run(double regret, long steps, int pruned, int nearPruned, List<TrialView> trials) {}

  /**
   * Runs {@code trials} sequential trials of {@code steps} steps each: after every step the rule decides exactly as
   * the API does (history = the trial's earlier steps, peers = the values other trials reported at that step, only
   * COMPLETED ones for {@link StoppingRule.Peers#COMPLETED}, finishedPeers = finished trials); a stopped trial is
   * PRUNED with its curve so far, else COMPLETED with the value of its last step. Trials carry their whole curves
   * in the snapshot (the API carries a subset: the pruned trials' last values and the others' values at those steps,
   * all the designer reads). Regret = best completed final value - OPTIMUM; nearPruned counts proposals within
   * 1e-3 (max-norm) of an earlier PRUNED or FAILED trial.
   */
  public static Run run(Designer d, StoppingRule rule, int trials, int steps, long seed) {
    StudyProblem problem = problem();
    List<TrialView> history = new ArrayList<>();
    Optional<Map<String, Object>> state = Optional.empty();
    double best = Double.POSITIVE_INFINITY;
    long spent = 0;
    int pruned = 0;
    int near = 0;
    while (history.size() < trials) {
      SnapshotNeeds needs = d.needs();
      List<TrialView> window = needs.reads() == SnapshotNeeds.Reads.ALL_TRIALS
          ? history.subList(Math.max(0, history.size() - needs.window()), history.size()) : List.of();
      StudySnapshot snap = new StudySnapshot(problem, history.size(), window, state, Map.of());
      Proposal p = d.suggest(snap, 1, new SplittableRandom(seed * 1_000_003L + history.size()));
      if (p.nextState().isPresent()) {
        state = p.nextState();
      }
      Suggestion s = p.suggestions().get(0);
      for (TrialView t : history) {
        if (t.state() == TrialState.PRUNED && close(t.params(), s.params())) {
          near++;
          break;
        }
      }
      TreeMap<Long, Double> curve = new TreeMap<>();
      List<double[]> own = new ArrayList<>();
      boolean stopped = false;
      long finished = history.stream().filter(t -> t.state() == TrialState.COMPLETED
          || t.state() == TrialState.PRUNED).count();
      double last = Double.NaN;
      for (int step = 1; step <= steps; step++) {
        last = at(s.params(), step);
        spent++;
        curve.put((long) step, last);
        if (rule.decidesAt(step)) {
          List<Double> peers = new ArrayList<>();
          for (TrialView t : history) {
            if (rule.peerStates() == StoppingRule.Peers.ALL || t.state() == TrialState.COMPLETED) {
              Double v = t.intermediate().get((long) step);
              if (v != null) {
                peers.add(v);
              }
            }
          }
          if (rule.shouldStop(Direction.MINIMIZE, step, last, own, peers, finished)) {
            stopped = true;
            break;
          }
        }
        own.add(new double[] {step, last});
      }
      long number = history.size() + 1;
      if (stopped) {
        pruned++;
        history.add(new TrialView(number, TrialState.PRUNED, s.params(), new double[] {Double.NaN},
            Map.of("loss", last), s.metadata(), curve));
      } else {
        best = Math.min(best, last);
        history.add(new TrialView(number, TrialState.COMPLETED, s.params(), new double[] {last},
            Map.of("loss", last), s.metadata(), curve));
      }
    }
    return new Run(best - OPTIMUM, spent, pruned, near, history);
  }

  static boolean close(Map<String, Object> a, Map<String, Object> b) {
    for (String k : a.keySet()) {
      if (Math.abs((Double) a.get(k) - (Double) b.get(k)) > 1e-3) {
        return false;
      }
    }
    return true;
  }
}
