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
 * grid value is listed, pulled or not, in grid order (by value); otherwise the arms are the distinct parameter
 * assignments found in the trials, in order of first appearance.
 *
 * <p><b>Pulls and costs.</b> A pull is a COMPLETED trial with a finite value of the (single) objective; its cost is
 * the value (MINIMIZE) or minus the value (MAXIMIZE). Pending trials are counted per arm but never enter costs.
 * {@code pulls} = T, {@code cumulativeCost} = C = the sum of the T costs.
 *
 * <p><b>Instance-optimal comparator.</b> When the evaluator reports, per trial, the cost that the instance-optimal
 * choice would have had on the same instance (the {@code sor} evaluator's {@code optimal_iterations}), pass that
 * metric's name: if every pull carries a finite value of it, {@code instanceOptimalCost} O is its sum (in cost units)
 * and {@code instanceOptimalRegret = C - O}; otherwise both are empty.
 *
 * <p><b>Best fixed arm in hindsight</b> ({@code comparator}): its cost on the instances where other arms were pulled is
 * unknown, so it is estimated, and how depends on how the arms were chosen.
 * <ul>
 *   <li>{@code arm-mean} (a non-contextual study): the pulled arm with the lowest mean cost (ties to the first), with
 *       {@code bestFixedCost = T * meanCost(best)} and {@code regret = C - bestFixedCost} (= sum over arms of
 *       n_i (mean_i - mean_best) >= 0), the usual pseudo-regret estimate: noisy for arms pulled rarely and, because
 *       the minimum of noisy means is optimistic, biased upwards when the best arm has few pulls; exact for
 *       deterministic costs on identical instances.
 *   <li>{@code instance-optimal-ratio} (a contextual study with the instance-optimal cost known): a contextual
 *       learner pulls each arm on the instances where it looks good, so an arm's mean cost describes those instances,
 *       not the sequence, and {@code T * mean} can fall below even the instance-optimal cost. Instead each arm's mean
 *       relative cost {@code r_i = mean(cost / optimal)} over its pulls (the instance's difficulty divided out) is
 *       scaled by the whole sequence: {@code bestFixedCost = max(1, min_i r_i) * O}, never below O (a fixed arm does
 *       not beat the per-instance optimum over a sequence; the floor only matters when few pulls make an arm look
 *       lucky). {@code regret = C - bestFixedCost} may be negative: the learner beat every fixed arm.
 *   <li>{@code none} (a contextual study without a per-instance reference): no honest estimate exists from these
 *       trials, so {@code bestArm}, {@code bestFixedCost} and {@code regret} are empty.
 * </ul>
 *
 * <p><b>History.</b> One row per pull in the order given: [pull t, cumulative cost, best fixed arm's estimated
 * cumulative cost (NaN without a comparator), instance-optimal cumulative cost (NaN when unknown)].
 *
 * @param objective the objective metric
 * @param arms one entry per arm (see above)
 * @param pulls T, usable pulls over all arms (pulls of no listed arm cannot occur: unknown assignments become arms)
 * @param pending pending trials over all arms
 * @param cumulativeCost C
 * @param comparator how the best fixed arm is estimated: {@code arm-mean}, {@code instance-optimal-ratio} or
 *     {@code none}
 * @param bestArm index into {@code arms} of the best fixed arm, empty without pulls or without a comparator
 * @param bestFixedCost the best fixed arm's estimated cost over the T pulls (0 without pulls; empty for {@code none})
 * @param regret C - bestFixedCost (0 without pulls; empty for {@code none})
 * @param instanceOptimalCost O, when known for every pull
 * @param instanceOptimalRegret C - O, when known
 * @param history see above
 */
public record ArmStatistics(
    String objective, List<ArmStat> arms, long pulls, long pending, double cumulativeCost, String comparator,
    OptionalInt bestArm, OptionalDouble bestFixedCost, OptionalDouble regret, OptionalDouble instanceOptimalCost,
    OptionalDouble instanceOptimalRegret, List<double[]> history) {
  public static final String ARM_MEAN = "arm-mean";
  public static final String INSTANCE_OPTIMAL_RATIO = "instance-optimal-ratio";
  public static final String NONE = "none";

  public ArmStatistics {
    arms = List.copyOf(arms);
    history = List.copyOf(history);
  }

  /** Whether designer {@code algorithm} chooses arms by the context (its arms' means are then not comparable). */
  public static boolean isContextual(String algorithm) {
    return java.util.Set.of(LinUcbProvider.NAME, ContextualCbProvider.NAME, BinnedTsallisInfProvider.NAME)
        .contains(algorithm);
  }

  /** Statistics of a non-contextual study without an instance-optimal comparator. */
  public static ArmStatistics of(StudyProblem problem, List<TrialView> trials) {
    return of(problem, trials, Optional.empty(), false);
  }

  /** Statistics of a non-contextual study. */
  public static ArmStatistics of(StudyProblem problem, List<TrialView> trials, Optional<String> instanceOptimalMetric) {
    return of(problem, trials, instanceOptimalMetric, false);
  }

  /**
   * Statistics of {@code trials} (each trial counted once; the history follows their order).
   *
   * @param instanceOptimalMetric metric holding each trial's instance-optimal cost in objective units (e.g.
   *     {@code optimal_iterations}), if any
   * @param contextual whether the arms were chosen by the context (a contextual designer), see the class doc
   * @throws ConfigException field {@code objectives} unless the problem has exactly one objective
   */
  public static ArmStatistics of(StudyProblem problem, List<TrialView> trials, Optional<String> instanceOptimalMetric,
      boolean contextual) {
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
      sums.add(new double[2]);
    }
    long pulls = 0;
    long pending = 0;
    double c = 0;
    double optimal = 0;
    boolean optimalKnown = instanceOptimalMetric.isPresent();
    boolean ratios = optimalKnown;
    List<double[]> rows = new ArrayList<>();
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
          sums.add(new double[2]);
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
      double o = Double.NaN;
      if (optimalKnown) {
        Double m = t.metrics().get(instanceOptimalMetric.get());
        if (m == null || !Double.isFinite(m)) {
          optimalKnown = false;
          ratios = false;
        } else {
          o = sign * m;
          optimal += o;
          if (o > 0 && sign * v >= 0) {
            sums.get(arm)[1] += sign * v / o;
          } else {
            ratios = false;
          }
        }
      }
      rows.add(new double[] {pulls, c, Double.NaN, optimalKnown ? optimal : Double.NaN});
    }
    List<ArmStat> stats = new ArrayList<>();
    int bestByMean = -1;
    double bestMean = Double.POSITIVE_INFINITY;
    int bestByRatio = -1;
    double bestRatio = Double.POSITIVE_INFINITY;
    for (int i = 0; i < armParams.size(); i++) {
      long n = counts.get(i)[0];
      double sum = sums.get(i)[0];
      OptionalDouble mean = n == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / n);
      OptionalDouble meanCost = n == 0 ? OptionalDouble.empty() : OptionalDouble.of(sign * sum / n);
      OptionalDouble ratio = n == 0 || !ratios ? OptionalDouble.empty() : OptionalDouble.of(sums.get(i)[1] / n);
      if (n > 0 && sign * sum / n < bestMean) {
        bestMean = sign * sum / n;
        bestByMean = i;
      }
      if (ratio.isPresent() && ratio.getAsDouble() < bestRatio) {
        bestRatio = ratio.getAsDouble();
        bestByRatio = i;
      }
      stats.add(new ArmStat(armParams.get(i), n, counts.get(i)[1], mean, sum, meanCost, ratio));
    }
    String comparator = !contextual ? ARM_MEAN : ratios && pulls > 0 ? INSTANCE_OPTIMAL_RATIO : NONE;
    OptionalInt bestArm = OptionalInt.empty();
    OptionalDouble bestFixed = OptionalDouble.empty();
    OptionalDouble regret = OptionalDouble.empty();
    double perPull = Double.NaN;
    double perOptimal = Double.NaN;
    switch (comparator) {
      case ARM_MEAN -> {
        double b = bestByMean < 0 ? 0 : pulls * bestMean;
        bestArm = bestByMean < 0 ? OptionalInt.empty() : OptionalInt.of(bestByMean);
        bestFixed = OptionalDouble.of(b);
        regret = OptionalDouble.of(bestByMean < 0 ? 0 : Math.max(0, c - b));
        perPull = bestByMean < 0 ? Double.NaN : bestMean;
      }
      case INSTANCE_OPTIMAL_RATIO -> {
        perOptimal = Math.max(1, bestRatio);
        bestArm = OptionalInt.of(bestByRatio);
        bestFixed = OptionalDouble.of(perOptimal * optimal);
        regret = OptionalDouble.of(c - perOptimal * optimal);
      }
      default -> { }
    }
    for (double[] r : rows) {
      r[2] = !Double.isNaN(perPull) ? r[0] * perPull : !Double.isNaN(perOptimal) ? r[3] * perOptimal : Double.NaN;
    }
    boolean withOptimal = optimalKnown && pulls > 0;
    if (!withOptimal) {
      rows.forEach(r -> r[3] = Double.NaN);
    }
    return new ArmStatistics(metric, stats, pulls, pending, c, comparator, bestArm, bestFixed, regret,
        withOptimal ? OptionalDouble.of(optimal) : OptionalDouble.empty(),
        withOptimal ? OptionalDouble.of(c - optimal) : OptionalDouble.empty(), rows);
  }
}
