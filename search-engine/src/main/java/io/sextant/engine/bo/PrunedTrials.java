package io.sextant.engine.bo;

import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a single-objective model learns from a PRUNED trial: an estimate of the final value it would have reached,
 * by <b>rank persistence</b>, the assumption the stopping rule itself made when it stopped the trial (median rule,
 * ASHA: a trial behind its peers at step s stays behind them). The pruned trial's last reported value {@code v} at
 * step {@code s} is ranked among the values that COMPLETED trials reported at the same step, {@code q = (below +
 * ties / 2 + 1/2) / (k + 1)} for a cohort of k, and the estimate is the q-quantile (linear interpolation) of those
 * completed trials' final values. So the estimate is in the final values' own units whatever the scale of the
 * intermediate ones, a trial pruned at the bottom of its cohort is modelled near the worst finals, and crossing
 * curves (a slow starter that ends well) only cost what the rule already decided. With fewer than
 * {@link #MIN_COHORT} completed peers at that step, or no reported value, the estimate is the median of all
 * completed final values: what the median rule's decision says at the least. Values are in minimization form.
 *
 * <p>The alternatives considered: the last value itself as an observation is on another scale (early losses are
 * higher) and would make every pruned region look worse than any completed one however good it was; a censored
 * observation (final &lt;= v for decreasing curves) says nothing useful, since early values bound the final from the
 * wrong side; a model over (x, step) needs every trial's whole curve in each snapshot and a GP in D + 1 dimensions
 * for what the designer proposes at the final step only. Pure functions; thread-safe.
 */
public final class PrunedTrials {
  /** Completed peers at the pruning step needed for the rank-based estimate. */
  public static final int MIN_COHORT = 3;

  private PrunedTrials() {}

  /**
   * The estimated final value (minimization form) of a PRUNED trial, or NaN when no completed trial has a finite
   * first objective.
   *
   * @param sign +1 to minimize the first objective, -1 to maximize it
   */
  public static double estimate(TrialView pruned, List<TrialView> trials, double sign) {
    List<double[]> finals = new ArrayList<>(); // (value at step or NaN, final)
    Map.Entry<Long, Double> last = pruned.intermediate().isEmpty() ? null : pruned.intermediate().lastEntry();
    for (TrialView t : trials) {
      if (t.state() != TrialState.COMPLETED || t.values().length == 0 || !Double.isFinite(t.values()[0])) {
        continue;
      }
      Double at = last == null ? null : t.intermediate().get(last.getKey());
      finals.add(new double[] {at == null ? Double.NaN : sign * at, sign * t.values()[0]});
    }
    if (finals.isEmpty()) {
      return Double.NaN;
    }
    double[] all = finals.stream().mapToDouble(r -> r[1]).sorted().toArray();
    if (last == null || Double.isNaN(last.getValue())) {
      return quantile(all, 0.5);
    }
    double v = sign * last.getValue();
    List<double[]> cohort = finals.stream().filter(r -> !Double.isNaN(r[0])).toList();
    if (cohort.size() < MIN_COHORT) {
      return quantile(all, 0.5);
    }
    double below = 0;
    for (double[] r : cohort) {
      below += r[0] < v ? 1 : r[0] == v ? 0.5 : 0;
    }
    double q = (below + 0.5) / (cohort.size() + 1);
    return quantile(cohort.stream().mapToDouble(r -> r[1]).sorted().toArray(), q);
  }

  /** The q-quantile of sorted values, q in (0, 1), by linear interpolation between order statistics at (i + 1/2)/n. */
  static double quantile(double[] sorted, double q) {
    int n = sorted.length;
    double pos = q * n - 0.5;
    if (pos <= 0) {
      return sorted[0];
    }
    if (pos >= n - 1) {
      return sorted[n - 1];
    }
    int i = (int) Math.floor(pos);
    double w = pos - i;
    return sorted[i] * (1 - w) + sorted[i + 1] * w;
  }
}
