package io.sextant.engine.bandit;

import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-arm sufficient statistics over the context columns of {@link ContextFeatures}, the statistics of the
 * regression designers ({@code linucb}, {@code contextual-cb}): for every arm i the number of learned pulls n_i, the
 * sums of y and y^2 (y = log cost or cost), of the rows c, of c y and of c c'. Any model whose features are
 * (arm features) x (a linear map of the context columns) has its Gram matrix and right-hand side in these sums. The
 * raw costs are also summed per arm (count, sum, sum of squares) for the non-contextual rule ({@link GpRule}).
 *
 * <p>Under the log transform a cost <= 0 is not learned from (at all). When the fields change (a new field, a wider
 * range, a new category), the sums are carried over to the new layout exactly ({@link ContextFeatures#transform}).
 */
final class ContextStats implements BanditDesigner.Stats {
  final ContextFeatures features;
  final int arms;
  final boolean logCost;
  ContextFeatures.Fields fields = ContextFeatures.Fields.NONE;
  ContextFeatures.Layout layout;
  final long[] n;
  final double[] ySum;
  final double[] ySq;
  double[][] cSum;
  double[][] cy;
  double[][] cc;
  /** Raw costs per arm (the pulls learned from): count, sum, sum of squares. */
  final long[] costN;
  final double[] costSum;
  final double[] costSq;

  ContextStats(ContextFeatures features, int arms, boolean logCost) {
    this.features = features;
    this.arms = arms;
    this.logCost = logCost;
    this.layout = features.layout(fields);
    n = new long[arms];
    ySum = new double[arms];
    ySq = new double[arms];
    costN = new long[arms];
    costSum = new double[arms];
    costSq = new double[arms];
    int c = layout.size();
    cSum = new double[arms][c];
    cy = new double[arms][c];
    cc = new double[arms][c * c];
  }

  /** The context a trial was proposed with (its {@code bandit.context} metadata), empty when none. */
  static Map<?, ?> context(TrialView t) {
    return t.metadata().get(BanditDesigner.META_CONTEXT) instanceof Map<?, ?> m ? m : Map.of();
  }

  @Override
  public void add(int arm, double cost, TrialView trial) {
    double y = cost;
    if (logCost) {
      if (!(cost > 0)) {
        return;
      }
      y = Math.log(cost);
    }
    costN[arm]++;
    costSum[arm] += cost;
    costSq[arm] += cost * cost;
    Map<?, ?> ctx = features.enabled() ? context(trial) : Map.of();
    ContextFeatures.Fields next = features.observe(fields, ctx);
    if (next != fields) {
      relayout(next);
    }
    double[] r = ContextFeatures.row(layout, ctx);
    int c = r.length;
    n[arm]++;
    ySum[arm] += y;
    ySq[arm] += y * y;
    double[] s = cSum[arm];
    double[] b = cy[arm];
    double[] g = cc[arm];
    for (int i = 0; i < c; i++) {
      if (r[i] == 0) {
        continue;
      }
      s[i] += r[i];
      b[i] += r[i] * y;
      for (int j = 0; j < c; j++) {
        g[i * c + j] += r[i] * r[j];
      }
    }
  }

  /** Moves the sums to the layout of {@code next} (exactly: see {@link ContextFeatures#transform}). */
  private void relayout(ContextFeatures.Fields next) {
    ContextFeatures.Layout to = features.layout(next);
    if (!to.equals(layout)) {
      double[] m = ContextFeatures.transform(layout, to);
      int o = layout.size();
      int c = to.size();
      for (int a = 0; a < arms; a++) {
        cSum[a] = times(m, cSum[a], c, o);
        cy[a] = times(m, cy[a], c, o);
        cc[a] = sandwich(m, cc[a], c, o);
      }
      layout = to;
    }
    fields = next;
  }

  static double[] times(double[] m, double[] v, int rows, int cols) {
    double[] out = new double[rows];
    for (int i = 0; i < rows; i++) {
      double s = 0;
      for (int j = 0; j < cols; j++) {
        s += m[i * cols + j] * v[j];
      }
      out[i] = s;
    }
    return out;
  }

  /** M G M' for M rows x cols and G cols x cols (row-major). */
  static double[] sandwich(double[] m, double[] g, int rows, int cols) {
    double[] mg = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int k = 0; k < cols; k++) {
        double x = m[i * cols + k];
        if (x != 0) {
          for (int j = 0; j < cols; j++) {
            mg[i * cols + j] += x * g[k * cols + j];
          }
        }
      }
    }
    double[] out = new double[rows * rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < rows; j++) {
        double s = 0;
        for (int k = 0; k < cols; k++) {
          s += mg[i * cols + k] * m[j * cols + k];
        }
        out[i * rows + j] = s;
      }
    }
    return out;
  }

  long total() {
    long t = 0;
    for (long x : n) {
      t += x;
    }
    return t;
  }

  @Override
  public Map<String, Object> toJson() {
    int c = layout.size();
    List<Object> s = new ArrayList<>();
    List<Object> b = new ArrayList<>();
    List<Object> g = new ArrayList<>();
    for (int a = 0; a < arms; a++) {
      s.add(BanditDesigner.list(cSum[a]));
      b.add(BanditDesigner.list(cy[a]));
      double[] u = new double[c * (c + 1) / 2];
      int k = 0;
      for (int i = 0; i < c; i++) {
        for (int j = i; j < c; j++) {
          u[k++] = cc[a][i * c + j];
        }
      }
      g.add(BanditDesigner.list(u));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fields", fields.toJson());
    m.put("columns", layout.names());
    m.put("n", longs(n));
    m.put("ySum", BanditDesigner.list(ySum));
    m.put("ySq", BanditDesigner.list(ySq));
    m.put("cSum", List.copyOf(s));
    m.put("cy", List.copyOf(b));
    m.put("cc", List.copyOf(g));
    m.put("costN", longs(costN));
    m.put("costSum", BanditDesigner.list(costSum));
    m.put("costSq", BanditDesigner.list(costSq));
    return m;
  }

  private static List<Long> longs(long[] a) {
    List<Long> out = new ArrayList<>(a.length);
    for (long x : a) {
      out.add(x);
    }
    return List.copyOf(out);
  }

  /** Reads {@link #toJson()}; throws IllegalArgumentException when malformed or written for another layout. */
  static ContextStats read(Map<?, ?> json, ContextFeatures features, int arms, boolean logCost) {
    ContextStats s = new ContextStats(features, arms, logCost);
    s.fields = ContextFeatures.Fields.read(json.get("fields"));
    for (String name : s.fields.byName().keySet()) {
      if (!features.uses(name)) {
        throw new IllegalArgumentException("field " + name + " is not used");
      }
    }
    s.layout = features.layout(s.fields);
    if (!s.layout.names().equals(json.get("columns"))) {
      throw new IllegalArgumentException("the columns changed");
    }
    int c = s.layout.size();
    double[] nn = BanditDesigner.doubles(json.get("n"), arms);
    double[] cn = BanditDesigner.doubles(json.get("costN"), arms);
    for (int a = 0; a < arms; a++) {
      if (nn[a] < 0 || cn[a] < 0) {
        throw new IllegalArgumentException("negative count");
      }
      s.n[a] = (long) nn[a];
      s.costN[a] = (long) cn[a];
    }
    System.arraycopy(BanditDesigner.doubles(json.get("ySum"), arms), 0, s.ySum, 0, arms);
    System.arraycopy(BanditDesigner.doubles(json.get("ySq"), arms), 0, s.ySq, 0, arms);
    System.arraycopy(BanditDesigner.doubles(json.get("costSum"), arms), 0, s.costSum, 0, arms);
    System.arraycopy(BanditDesigner.doubles(json.get("costSq"), arms), 0, s.costSq, 0, arms);
    List<?> cs = (List<?>) json.get("cSum");
    List<?> cys = (List<?>) json.get("cy");
    List<?> ccs = (List<?>) json.get("cc");
    if (cs.size() != arms || cys.size() != arms || ccs.size() != arms) {
      throw new IllegalArgumentException("arm count changed");
    }
    for (int a = 0; a < arms; a++) {
      s.cSum[a] = BanditDesigner.doubles(cs.get(a), c);
      s.cy[a] = BanditDesigner.doubles(cys.get(a), c);
      double[] u = BanditDesigner.doubles(ccs.get(a), c * (c + 1) / 2);
      s.cc[a] = new double[c * c];
      int k = 0;
      for (int i = 0; i < c; i++) {
        for (int j = i; j < c; j++) {
          s.cc[a][i * c + j] = u[k];
          s.cc[a][j * c + i] = u[k++];
        }
      }
    }
    return s;
  }

  /**
   * The model's context features for a subset of the fields: the intercept, each chosen numeric field's T1..Te
   * (e = min(d, distinct values - 1): higher ones are collinear) with a missing value imputed by the field's mean
   * features, each chosen categorical field's indicators with its missing indicator. {@code map} (size x stored
   * columns) maps a stored row to these features.
   */
  record FitSpace(int size, double[] map, List<ContextFeatures.Block> blocks, List<int[]> cols, List<double[]> means,
      double[][] grams, double[][] xys, double[][] xsums) {
    /** The features of a request's context (unknown fields ignored, values clamped to the ranges). */
    double[] features(Map<?, ?> ctx) {
      double[] f = new double[size];
      f[0] = 1;
      for (int k = 0; k < blocks.size(); k++) {
        ContextFeatures.Block b = blocks.get(k);
        int[] c = cols.get(k);
        Object v = ctx.get(b.field().name());
        if (b.field().kind() == ContextFeatures.Kind.NUMBER) {
          Double x = ContextFeatures.number(v);
          if (x == null) {
            System.arraycopy(means.get(k), 0, f, c[0], c.length);
          } else {
            double[] t = ContextFeatures.chebyshev(b.field().unit(x), c.length + 1);
            System.arraycopy(t, 1, f, c[0], c.length);
          }
        } else {
          if (v == null) {
            f[c[c.length - 1]] = 1;
          } else if (v instanceof String s && b.field().categories().indexOf(s) >= 0) {
            f[c[b.field().categories().indexOf(s)]] = 1;
          }
        }
      }
      return f;
    }

    /** Whether the field is numeric (its columns are T1..Te, in order). */
    boolean isNumeric(String name) {
      return blocks.stream().anyMatch(b -> b.field().name().equals(name)
          && b.field().kind() == ContextFeatures.Kind.NUMBER);
    }

    /** Column indices (in this space) of the fields' features, by field name. */
    Map<String, int[]> columnsByField() {
      Map<String, int[]> out = new LinkedHashMap<>();
      for (int k = 0; k < blocks.size(); k++) {
        out.put(blocks.get(k).field().name(), cols.get(k));
      }
      return out;
    }

    /** Arm a's Gram matrix in this space (size x size, row-major). */
    double[] gram(int a) {
      return grams[a];
    }

    /** Arm a's sum of features x y. */
    double[] xy(int a) {
      return xys[a];
    }

    /** Arm a's sum of features. */
    double[] xsum(int a) {
      return xsums[a];
    }
  }

  /** The features of the given fields (all usable ones when {@code names} is null). */
  FitSpace fitSpace(Set<String> names) {
    int c = layout.size();
    double[] total = new double[c];
    long count = 0;
    for (int a = 0; a < arms; a++) {
      for (int i = 0; i < c; i++) {
        total[i] += cSum[a][i];
      }
      count += n[a];
    }
    List<ContextFeatures.Block> blocks = new ArrayList<>();
    List<int[]> cols = new ArrayList<>();
    List<double[]> means = new ArrayList<>();
    List<double[]> rows = new ArrayList<>();
    double[] intercept = new double[c];
    intercept[0] = 1;
    rows.add(intercept);
    for (ContextFeatures.Block b : layout.blocks()) {
      if (names != null && !names.contains(b.field().name())) {
        continue;
      }
      if (b.field().kind() == ContextFeatures.Kind.NUMBER) {
        int e = b.field().distinct() >= 3 ? b.degree() : Math.min(b.degree(), b.field().distinct() - 1);
        if (e < 1) {
          continue;
        }
        double present = count - total[b.missing()];
        double[] mean = new double[e];
        int[] ix = new int[e];
        for (int j = 0; j < e; j++) {
          mean[j] = present > 0.5 ? total[b.start() + j] / present : 0;
          double[] r = new double[c];
          r[b.start() + j] = 1;
          r[b.missing()] = mean[j];
          ix[j] = rows.size();
          rows.add(r);
        }
        blocks.add(b);
        cols.add(ix);
        means.add(mean);
      } else {
        int w = b.width();
        int[] ix = new int[w];
        for (int j = 0; j < w; j++) {
          double[] r = new double[c];
          r[b.start() + j] = 1;
          ix[j] = rows.size();
          rows.add(r);
        }
        blocks.add(b);
        cols.add(ix);
        means.add(new double[0]);
      }
    }
    int size = rows.size();
    double[] map = new double[size * c];
    for (int i = 0; i < size; i++) {
      System.arraycopy(rows.get(i), 0, map, i * c, c);
    }
    double[][] grams = new double[arms][];
    double[][] xys = new double[arms][];
    double[][] xsums = new double[arms][];
    for (int a = 0; a < arms; a++) {
      grams[a] = sandwich(map, cc[a], size, c);
      xys[a] = times(map, cy[a], size, c);
      xsums[a] = times(map, cSum[a], size, c);
    }
    return new FitSpace(size, map, blocks, cols, means, grams, xys, xsums);
  }
}
