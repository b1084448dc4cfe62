package io.sextant.engine.bo;

import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a single-objective model learns from a PRUNED trial: an estimate of the final value it would have reached.
 *
 * <p><b>Model.</b> A trial pruned at step s reported v there. The COMPLETED trials that reported a value at the same
 * step (its cohort) show how much a trial still improves from step s to its end: {@code d = value at s - final}.
 * That remaining improvement is regressed on the parameters' features (ridge, {@link #RIDGE} on unit-cube features,
 * unpenalized intercept), and the estimate is {@code v - d(x)}. So the estimate is in the final values' units
 * whatever the scale of the early values, and crossing curves are learnt where the cohort shows them (a slow
 * starter, e.g. a small learning rate, still improves a lot after step s, so its early value alone would condemn
 * it). With few peers the ridge shrinks d(x) to the cohort's mean improvement. Without {@link #MIN_COHORT}
 * completed peers at that step, or without a reported value, the estimate is the median of all completed final
 * values: what the median rule's decision says at the least. Values are in minimization form.
 *
 * <p>Alternatives considered: the last value itself as an observation is on another scale (early losses are
 * higher) and would make every pruned region look worse than any completed one; a censored observation (final
 * &lt;= v for decreasing curves) bounds the final from the side that says nothing about badness; rank persistence
 * (the pruned trial keeps its rank among the cohort's finals) is what the stopping rule assumed when it stopped the
 * trial and inherits its error on crossing curves; a GP over (x, step) needs every trial's whole curve in each
 * snapshot and a model in D + 1 dimensions for proposals made at the final step only. Pure functions; thread-safe.
 */
public final class PrunedTrials {
  /** Completed peers at the pruning step needed for the improvement model. */
  public static final int MIN_COHORT = 3;
  /** Ridge penalty of the improvement model (features in the unit cube, centred). */
  public static final double RIDGE = 0.1;

  private PrunedTrials() {}

  /**
   * The estimated final value (minimization form) of every PRUNED trial of {@code trials}, by index (NaN for other
   * trials, and for all of them when no completed trial has a finite first objective).
   *
   * @param sign +1 to minimize the first objective, -1 to maximize it
   * @param features the model's features of a trial's parameters
   */
  public static double[] estimates(List<TrialView> trials, double sign,
      Function<Map<String, Object>, double[]> features) {
    double[] out = new double[trials.size()];
    java.util.Arrays.fill(out, Double.NaN);
    List<TrialView> completed = new ArrayList<>();
    for (TrialView t : trials) {
      if (t.state() == TrialState.COMPLETED && t.values().length > 0 && Double.isFinite(t.values()[0])) {
        completed.add(t);
      }
    }
    if (completed.isEmpty()) {
      return out;
    }
    double median = quantile(completed.stream().mapToDouble(t -> sign * t.values()[0]).sorted().toArray(), 0.5);
    Map<Long, Model> models = new HashMap<>(); // step -> model of the final value, or null
    for (int i = 0; i < trials.size(); i++) {
      TrialView p = trials.get(i);
      if (p.state() != TrialState.PRUNED) {
        continue;
      }
      out[i] = median;
      if (p.intermediate().isEmpty() || !Double.isFinite(p.intermediate().lastEntry().getValue())) {
        continue;
      }
      long step = p.intermediate().lastKey();
      Model model = models.computeIfAbsent(step, s -> finalValueModel(completed, s, sign, features));
      if (model != null) {
        out[i] = model.predict(sign * p.intermediate().lastEntry().getValue(), features.apply(p.params()));
      }
    }
    return out;
  }

  /**
   * The final value as a linear function of the value at a step (standardized) and the features, fitted by ridge
   * regression over a cohort; predictions are clamped to the cohort's range of final values (no extrapolation
   * beyond what a completed trial reached).
   */
  record Model(double[] beta, double meanV, double sdV, double lo, double hi) {
    double predict(double v, double[] x) {
      double y = beta[0] * (v - meanV) / sdV + beta[x.length + 1];
      for (int j = 0; j < x.length; j++) {
        y += beta[j + 1] * x[j];
      }
      return Math.min(hi, Math.max(lo, y));
    }
  }

  /**
   * Ridge regression of the final value on (value at {@code step}, features) over the completed trials that
   * reported a finite value at that step (minimization form), or null with fewer than {@link #MIN_COHORT} of them.
   */
  static Model finalValueModel(List<TrialView> completed, long step, double sign,
      Function<Map<String, Object>, double[]> features) {
    List<double[]> xs = new ArrayList<>();
    List<Double> vs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (TrialView t : completed) {
      Double at = t.intermediate().get(step);
      if (at != null && Double.isFinite(at)) {
        xs.add(features.apply(t.params()));
        vs.add(sign * at);
        ys.add(sign * t.values()[0]);
      }
    }
    int k = xs.size();
    if (k < MIN_COHORT) {
      return null;
    }
    double meanV = vs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double sdV = Math.sqrt(vs.stream().mapToDouble(v -> (v - meanV) * (v - meanV)).sum() / k);
    if (!(sdV > 0)) {
      sdV = 1;
    }
    int dims = xs.get(0).length + 1;
    double[][] z = new double[k][dims];
    for (int i = 0; i < k; i++) {
      z[i][0] = (vs.get(i) - meanV) / sdV;
      System.arraycopy(xs.get(i), 0, z[i], 1, dims - 1);
    }
    double[] meanZ = new double[dims];
    double meanY = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < dims; j++) {
        meanZ[j] += z[i][j] / k;
      }
      meanY += ys.get(i) / k;
    }
    double[][] a = new double[dims][dims];
    double[] b = new double[dims];
    for (int i = 0; i < k; i++) {
      for (int r = 0; r < dims; r++) {
        double zr = z[i][r] - meanZ[r];
        b[r] += zr * (ys.get(i) - meanY);
        for (int c = 0; c < dims; c++) {
          a[r][c] += zr * (z[i][c] - meanZ[c]);
        }
      }
    }
    for (int r = 0; r < dims; r++) {
      a[r][r] += RIDGE;
    }
    double[] w = solve(a, b);
    double[] beta = new double[dims + 1];
    double intercept = meanY;
    for (int j = 0; j < dims; j++) {
      beta[j] = w[j];
      intercept -= w[j] * meanZ[j];
    }
    beta[dims] = intercept;
    double lo = ys.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double hi = ys.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    return new Model(beta, meanV, sdV, lo, hi);
  }

  /** Solves a symmetric positive definite system by Cholesky (a and b are overwritten). */
  static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    for (int j = 0; j < n; j++) {
      double s = a[j][j];
      for (int k = 0; k < j; k++) {
        s -= a[j][k] * a[j][k];
      }
      a[j][j] = Math.sqrt(Math.max(s, 1e-12));
      for (int i = j + 1; i < n; i++) {
        double t = a[i][j];
        for (int k = 0; k < j; k++) {
          t -= a[i][k] * a[j][k];
        }
        a[i][j] = t / a[j][j];
      }
    }
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= a[i][k] * y[k];
      }
      y[i] = s / a[i][i];
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = y[i];
      for (int k = i + 1; k < n; k++) {
        s -= a[k][i] * x[k];
      }
      x[i] = s / a[i][i];
    }
    return x;
  }

  /** The q-quantile of sorted values by linear interpolation between order statistics at (i + 1/2)/n. */
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
