package io.sextant.engine.bandit;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Per-arm statistics and regret of a bandit study, a pure function of its trials (for GET .../arms).
 *
 * <p><b>Arms.</b> For a grid space (one categorical, stepped float or int parameter, see {@link Arms#grid}) every
 * grid value is listed, pulled or not, in grid order; otherwise the arms are the distinct parameter assignments
 * found in the trials, in order of first appearance.
 *
 * <p><b>Pulls and costs.</b> A pull is a COMPLETED trial with a finite value of the (single) objective; its cost is
 * the value (MINIMIZE) or minus the value (MAXIMIZE). Pending trials are counted per arm but never enter costs.
 * {@code pulls} = T, {@code cumulativeCost} = C = the sum of the T costs.
 *
 * <p><b>Regret against the best fixed arm in hindsight.</b> The best fixed arm is the pulled arm with the lowest mean
 * cost (ties to the first). Its cost on the instances where other arms were pulled is unknown, so its cumulative
 * cost over the whole sequence is estimated by {@code T * meanCost(best)} and
 * {@code regret = C - T * meanCost(best)} (= sum over arms of n_i (mean_i - mean_best) >= 0). This is the usual
 * pseudo-regret estimate; with uneven pulls it is noisy for arms pulled rarely and, because the minimum of noisy
 * means is optimistic, biased upwards when the best arm has few pulls. It is exact for deterministic costs on
 * identical instances.
 *
 * <p><b>Regret against an instance-optimal comparator.</b> When the evaluator reports, per trial, the cost that the
 * instance-optimal choice would have had on the same instance (the {@code sor} evaluator's
 * {@code optimal_iterations}), pass that metric's name: if every pull carries a finite value of it,
 * {@code instanceOptimalCost} is its sum (in cost units) and {@code instanceOptimalRegret = C - instanceOptimalCost};
 * otherwise both are empty (per-instance costs are used only when known for every pull).
 *
 * @param objective the objective metric
 * @param arms one entry per arm (see above)
 * @param pulls T, usable pulls over all arms (pulls of no listed arm cannot occur: unknown assignments become arms)
 * @param pending pending trials over all arms
 * @param cumulativeCost C
 * @param bestArm index into {@code arms} of the best fixed arm, empty without pulls
 * @param bestFixedCost T * meanCost(best) (0 without pulls)
 * @param regret C - bestFixedCost (0 without pulls)
 * @param instanceOptimalCost sum of the per-instance optimal costs, when known for every pull
 * @param instanceOptimalRegret C - instanceOptimalCost, when known
 */
public record ArmStatistics(
    String objective, List<ArmStat> arms, long pulls, long pending, double cumulativeCost, OptionalInt bestArm,
    double bestFixedCost, double regret, OptionalDouble instanceOptimalCost, OptionalDouble instanceOptimalRegret) {
  public ArmStatistics {
    arms = List.copyOf(arms);
  }

  /** Statistics without an instance-optimal comparator. */
  public static ArmStatistics of(StudyProblem problem, List<TrialView> trials) {
    return of(problem, trials, Optional.empty());
  }

  /**
   * Statistics of {@code trials} (any order; each trial counted once).
   *
   * @param instanceOptimalMetric metric holding each trial's instance-optimal cost in objective units (e.g.
   *     {@code optimal_iterations}), if any
   * @throws ConfigException field {@code objectives} unless the problem has exactly one objective
   */
  public static ArmStatistics of(StudyProblem problem, List<TrialView> trials, Optional<String> instanceOptimalMetric) {
    if (problem.objectives().size() != 1) {
      throw new ConfigException("objectives", "arm statistics need exactly one objective (the cost)");
    }
    String metric = problem.objectives().getFirst().metric();
    double sign = problem.objectives().getFirst().direction().toMinimization();
    Optional<Arms> grid = Arms.grid(problem.space());
    List<Map<String, Object>> armParams = new ArrayList<>(grid.map(Arms::assignments).orElse(List.of()));
    Map<Map<String, Object>, Integer> seen = new LinkedHashMap<>();
    List<long[]> counts = new ArrayList<>();
    List<double[]> sums = new ArrayList<>();
    for (int i = 0; i < armParams.size(); i++) {
      counts.add(new long[2]);
      sums.add(new double[1]);
    }
    long pulls = 0;
    long pending = 0;
    double c = 0;
    double optimal = 0;
    boolean optimalKnown = instanceOptimalMetric.isPresent();
    for (TrialView t : trials) {
      int arm;
      if (grid.isPresent()) {
        arm = grid.get().indexOf(t.params());
        if (arm < 0) {
          continue;
        }
      } else {
        Map<String, Object> key = Map.copyOf(t.params());
        Integer known = seen.get(key);
        if (known == null) {
          known = armParams.size();
          seen.put(key, known);
          armParams.add(key);
          counts.add(new long[2]);
          sums.add(new double[1]);
        }
        arm = known;
      }
      if (t.state().isPending()) {
        counts.get(arm)[1]++;
        pending++;
        continue;
      }
      double v = t.values().length > 0 ? t.values()[0] : Double.NaN;
      if (t.state() != TrialState.COMPLETED || !Double.isFinite(v)) {
        continue;
      }
      counts.get(arm)[0]++;
      sums.get(arm)[0] += v;
      pulls++;
      c += sign * v;
      if (optimalKnown) {
        Double o = t.metrics().get(instanceOptimalMetric.get());
        if (o == null || !Double.isFinite(o)) {
          optimalKnown = false;
        } else {
          optimal += sign * o;
        }
      }
    }
    List<ArmStat> stats = new ArrayList<>();
    int best = -1;
    double bestMean = Double.POSITIVE_INFINITY;
    for (int i = 0; i < armParams.size(); i++) {
      long n = counts.get(i)[0];
      double sum = sums.get(i)[0];
      OptionalDouble mean = n == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / n);
      OptionalDouble meanCost = n == 0 ? OptionalDouble.empty() : OptionalDouble.of(sign * sum / n);
      if (n > 0 && sign * sum / n < bestMean) {
        bestMean = sign * sum / n;
        best = i;
      }
      stats.add(new ArmStat(armParams.get(i), n, counts.get(i)[1], mean, sum, meanCost));
    }
    double bestFixed = best < 0 ? 0 : pulls * bestMean;
    double regret = best < 0 ? 0 : Math.max(0, c - bestFixed);
    boolean withOptimal = optimalKnown && pulls > 0;
    return new ArmStatistics(metric, stats, pulls, pending, c, best < 0 ? OptionalInt.empty() : OptionalInt.of(best),
        bestFixed, regret, withOptimal ? OptionalDouble.of(optimal) : OptionalDouble.empty(),
        withOptimal ? OptionalDouble.of(c - optimal) : OptionalDouble.empty());
  }
}
