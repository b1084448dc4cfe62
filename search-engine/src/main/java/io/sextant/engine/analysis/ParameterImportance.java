package io.sextant.engine.analysis;

import io.sextant.engine.space.CategoricalParameter;
import io.sextant.engine.space.FixedParameter;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.IntParameter;
import io.sextant.engine.space.Parameter;
import io.sextant.engine.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter importance as first-order (main-effect) variance shares, the quantity fANOVA reports for single
 * parameters: for each parameter, the variance over its bins of the mean objective within the bin, divided by the
 * total variance of the objective. Numeric parameters are cut into {@code bins} equal-count bins (in log space for
 * log parameters, which only matters for ties), categorical ones by category; trials where a conditional parameter is
 * inactive form a bin of their own. Estimates are computed on the given trials, not on a surrogate, so they are
 * noisy for few trials; the shares need not sum to 1 (interactions take the rest).
 */
public final class ParameterImportance {
  private ParameterImportance() {}

  /**
   * @param params one assignment per trial
   * @param values one finite objective value per trial (same order); non-finite values are skipped
   * @return importance in [0, 1] per non-fixed parameter, in space order; empty when fewer than 4 finite values
   */
  public static Map<String, Double> mainEffects(SearchSpace space, List<Map<String, Object>> params, double[] values,
      int bins) {
    if (params.size() != values.length) {
      throw new IllegalArgumentException("one value per assignment expected: " + params.size() + " != " + values.length);
    }
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      if (Double.isFinite(values[i])) {
        rows.add(i);
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    if (rows.size() < 4) {
      return out;
    }
    double mean = rows.stream().mapToDouble(i -> values[i]).average().orElse(0);
    double total = rows.stream().mapToDouble(i -> (values[i] - mean) * (values[i] - mean)).sum() / rows.size();
    for (Parameter p : space.parameters()) {
      if (p instanceof FixedParameter) {
        continue;
      }
      if (total <= 0) {
        out.put(p.name(), 0.0);
        continue;
      }
      Map<Object, double[]> groups = new HashMap<>(); // key -> {sum, count}
      double[] cuts = p instanceof FloatParameter || p instanceof IntParameter ? cuts(p, params, rows, bins) : null;
      for (int i : rows) {
        Object v = params.get(i).get(p.name());
        Object key;
        if (v == null) {
          key = "inactive";
        } else if (p instanceof CategoricalParameter) {
          key = v;
        } else {
          key = bin(cuts, transform(p, ((Number) v).doubleValue()));
        }
        double[] g = groups.computeIfAbsent(key, k -> new double[2]);
        g[0] += values[i];
        g[1]++;
      }
      double between = 0;
      for (double[] g : groups.values()) {
        double m = g[0] / g[1];
        between += g[1] * (m - mean) * (m - mean);
      }
      between /= rows.size();
      // small-sample correction: with k groups, pure noise explains about (k - 1) / n of the variance
      double expectedNoise = (groups.size() - 1.0) / rows.size();
      double share = Math.max(0, (between / total - expectedNoise) / (1 - expectedNoise));
      out.put(p.name(), Math.min(1, share));
    }
    return out;
  }

  private static double transform(Parameter p, double x) {
    boolean log = p instanceof FloatParameter f ? f.log() : p instanceof IntParameter ip && ip.log();
    return log ? Math.log(x) : x;
  }

  private static double[] cuts(Parameter p, List<Map<String, Object>> params, List<Integer> rows, int bins) {
    double[] xs = rows.stream().map(i -> params.get(i).get(p.name())).filter(v -> v instanceof Number)
        .mapToDouble(v -> transform(p, ((Number) v).doubleValue())).sorted().toArray();
    if (xs.length == 0) {
      return new double[0];
    }
    int k = Math.max(1, Math.min(bins, xs.length / 2));
    double[] c = new double[k - 1];
    for (int j = 1; j < k; j++) {
      c[j - 1] = xs[(int) ((long) j * xs.length / k)];
    }
    return c;
  }

  private static int bin(double[] cuts, double x) {
    int i = Arrays.binarySearch(cuts, x);
    return i >= 0 ? i + 1 : -i - 1;
  }
}
