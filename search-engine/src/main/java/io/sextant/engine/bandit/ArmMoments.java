package io.sextant.engine.bandit;

import io.sextant.engine.study.TrialView;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-arm pull counts, cost sums and sums of squares (sufficient statistics of UCB1, Gaussian Thompson and GP-UCB).
 * With {@code positiveOnly} (GP-UCB's log transform) costs <= 0 are not counted.
 */
final class ArmMoments implements BanditDesigner.Stats {
  final long[] n;
  final double[] sum;
  final double[] sumSq;
  private final boolean positiveOnly;

  ArmMoments(int arms) {
    this(arms, false);
  }

  ArmMoments(int arms, boolean positiveOnly) {
    n = new long[arms];
    sum = new double[arms];
    sumSq = new double[arms];
    this.positiveOnly = positiveOnly;
  }

  static ArmMoments read(Map<?, ?> json, int arms) {
    return read(json, arms, false);
  }

  static ArmMoments read(Map<?, ?> json, int arms, boolean positiveOnly) {
    ArmMoments m = new ArmMoments(arms, positiveOnly);
    double[] n = BanditDesigner.doubles(json.get("n"), arms);
    for (int i = 0; i < arms; i++) {
      m.n[i] = (long) n[i];
      if (n[i] < 0) {
        throw new IllegalArgumentException("negative count");
      }
    }
    System.arraycopy(BanditDesigner.doubles(json.get("sum"), arms), 0, m.sum, 0, arms);
    System.arraycopy(BanditDesigner.doubles(json.get("sumSq"), arms), 0, m.sumSq, 0, arms);
    return m;
  }

  @Override
  public void add(int arm, double cost, TrialView trial) {
    if (positiveOnly && !(cost > 0)) {
      return;
    }
    n[arm]++;
    sum[arm] += cost;
    sumSq[arm] += cost * cost;
  }

  @Override
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    double[] nd = new double[n.length];
    for (int i = 0; i < n.length; i++) {
      nd[i] = n[i];
    }
    m.put("n", BanditDesigner.list(nd));
    m.put("sum", BanditDesigner.list(sum));
    m.put("sumSq", BanditDesigner.list(sumSq));
    return m;
  }

  long total() {
    long t = 0;
    for (long x : n) {
      t += x;
    }
    return t;
  }

  double mean() {
    double s = 0;
    for (double x : sum) {
      s += x;
    }
    long t = total();
    return t == 0 ? 0 : s / t;
  }

  /** Sample variance of all costs pooled over arms (0 with fewer than 2 pulls). */
  double pooledVariance() {
    long t = total();
    if (t < 2) {
      return 0;
    }
    double s = 0;
    double s2 = 0;
    for (int i = 0; i < n.length; i++) {
      s += sum[i];
      s2 += sumSq[i];
    }
    return Math.max(0, (s2 - s * s / t) / (t - 1));
  }

  /** A positive cost scale: |mean cost|, or 1 when that is 0 or undefined. */
  double scale() {
    double m = Math.abs(mean());
    return m > 0 && Double.isFinite(m) ? m : 1;
  }
}
