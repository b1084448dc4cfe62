package io.sextant.engine.bandit;

import io.sextant.engine.bo.gp.Cholesky;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.space.CategoricalParameter;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.Parameter;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * LinUCB for costs (Li, Chu, Langford, Schapire 2010) over a joint model of arm and context, with the context's
 * fields chosen by the data.
 *
 * <p><b>Features.</b> Context: the columns of {@link ContextFeatures} (every field of the request context; numbers
 * as Chebyshev polynomials of their value scaled to the range seen, strings one-hot, missing numbers imputed by the
 * mean), in the space of {@link ContextStats#fitSpace}. Arm: when the arms are numbers of one parameter (a stepped
 * float or int, or numeric categorical choices: an omega grid), Chebyshev polynomials T0..Ta of the arm's value
 * mapped to [-1, 1] (in log space for a log-scale float); an arm's feature vector is their tensor product with the
 * context features, so one ridge regression is shared by all arms: a pull of omega = 1.80 also informs 1.75 and
 * 1.85. Arms that are not numbers (or {@code armFeatures: onehot}) get one independent regression each.
 *
 * <p><b>Model.</b> The target is {@code y = log(cost)} ({@code costTransform: log}, the default for MINIMIZE; costs
 * <= 0 are not learned from) or the cost (identity, the default for MAXIMIZE), centred by the mean m of all learned
 * y; ridge regression {@code (G + ridge I) w = X'(y - m)} from the per-arm sums of {@link ContextStats}. Noise scale
 * {@code sigma^2 = (s0^2 + SS) / (1 + dof)} as before (one prior pseudo-observation of scale s0, 1 for log costs).
 *
 * <p><b>Which fields, which size.</b> A model is an arm degree and, per used field, a degree (a categorical field is
 * all or nothing). Models are judged by Schwarz's criterion {@code n ln(RSS) + ln(n) p} (RSS the residual sum of
 * squares of the ridge fit the decisions use, p the parameters; {@code fieldPenalty} replaces ln n), each only once
 * n > p + 10. A local search starts from the best arm-only model (arm degree 2, 4 or 6) and takes the best of these
 * moves while one lowers the criterion: add a field, or raise a used field's degree, at a size of the ladder (2,1),
 * (2,2), (4,1), (4,2), (6,1), (6,2), (4,4), (6,4), (6,6) (arm degree, field degree; capped by {@code armDegree} and the
 * field's columns) or at the current arm degree; or change the arm degree alone (so a field is never taken in just
 * to carry a larger arm degree). So the model grows with the data (a few dozen pulls judge the small sizes), fields
 * that only matter together with others enter one after the other, and a context that does not predict the cost
 * (noise, an id) is left out. With no field used the designer plays exactly as the non-contextual {@code gp-ucb}
 * ({@link GpRule}, on the same per-arm costs), which targets the mean cost of ordered arms, where a mean-log-cost model
 * would favour arms whose cost varies less over the instances. Without any usable context (no field,
 * {@code contextFields: []}) it is {@code gp-ucb} throughout. (Ridge residuals are not nested: with few pulls a larger
 * arm degree can fit worse, which keeps small models longer; on the benchmark this beat near-unpenalized residuals,
 * which chose the largest model early on the low-variance family, 1.048 against 1.002 x best fixed at T = 600.)
 *
 * <p><b>Rule.</b> With fields: the arm minimizing {@code m + x'w + v_i / 2 - alpha sigma sqrt(x' (G + ridge I)^-1 x)};
 * exact ties at random. {@code v_i / 2} (option {@code meanCorrection}, on by default; log costs only) makes the
 * target the lognormal mean cost exp(m + x'w + v_i / 2) rather than the median: an arm that is usually cheap but
 * sometimes very expensive is judged by what it adds to a total. v_i is the residual variance of arm i's pulls about
 * the arm's own ridge regression on the model's context columns (shrunk to the pooled one by two pseudo-pulls), not
 * about the shared model: the shared model's misfit elsewhere (a cost that jumps with the context, which the
 * polynomials cannot follow) would otherwise count as variance and make the arms with the smallest misfit win
 * ({@code BanditLearningTest}; that is why an earlier correction from the shared residuals was off by default). Where the
 * features do not determine the best arm (the benchmark's variable-coefficient family) the median target loses about
 * 0.1 x the instance-optimal cost even with perfect knowledge. Pending trials of other workers and earlier choices of
 * a batch are virtual pulls whose outcome is
 * the prediction (widths shrink by Sherman-Morrison, the fit is unchanged), so parallel workers spread out.
 */
final class LinUcbDesigner extends BanditDesigner {
  private final ContextFeatures features;
  private final double alpha;
  private final double ridge;
  private final boolean logCost;
  private final double fieldPenalty;
  private final boolean meanCorrection;
  private final GpRule gp;
  /** Per arm its arm features (numeric arms), or null: one-hot, one regression per arm. */
  private final double[][] armFeatures;

  LinUcbDesigner(String name, BanditSettings settings, ContextFeatures features, int armDegree, boolean oneHot,
      double alpha, double ridge, boolean logCost, double fieldPenalty, double lengthScale, boolean meanCorrection) {
    super(name, settings);
    this.meanCorrection = meanCorrection && logCost;
    this.features = features;
    this.alpha = alpha;
    this.ridge = ridge;
    this.logCost = logCost;
    this.fieldPenalty = fieldPenalty;
    this.gp = new GpRule(GpRule.positions(arms), lengthScale, alpha, logCost);
    int k = arms.size();
    Optional<double[]> values = oneHot ? Optional.empty() : numericArms(arms);
    if (values.isPresent()) {
      int p = armBasis(armDegree, k);
      double[] v = values.get();
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double x : v) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
      armFeatures = new double[k][];
      for (int i = 0; i < k; i++) {
        armFeatures[i] = ContextFeatures.chebyshev(hi > lo ? 2 * (v[i] - lo) / (hi - lo) - 1 : 0, p);
      }
    } else {
      armFeatures = null;
    }
  }

  /** Number of arm basis functions: T0..Ta, at most one per arm. */
  static int armBasis(int armDegree, int arms) {
    return Math.min(armDegree, arms - 1) + 1;
  }

  /**
   * The arms' values when they are numbers of one parameter (log of them for a log-scale float), else empty.
   * Visible to the provider, which decides whether arm features can be Chebyshev.
   */
  static Optional<double[]> numericArms(Arms arms) {
    Optional<Parameter> p = arms.gridParameter();
    if (p.isEmpty()) {
      return Optional.empty();
    }
    boolean log = p.get() instanceof FloatParameter f && f.log();
    if (p.get() instanceof CategoricalParameter c && !c.choices().stream().allMatch(o -> o instanceof Number)) {
      return Optional.empty();
    }
    double[] v = new double[arms.size()];
    for (int i = 0; i < v.length; i++) {
      if (!(arms.assignment(i).get(p.get().name()) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        return Optional.empty();
      }
      v[i] = log ? Math.log(n.doubleValue()) : n.doubleValue();
    }
    return Optional.of(v);
  }

  @Override
  Stats emptyStats() {
    return new ContextStats(features, arms.size(), logCost);
  }

  @Override
  Stats readStats(Map<?, ?> json) {
    return ContextStats.read(json, features, arms.size(), logCost);
  }

  /**
   * The regression over arms x the context features {@code space} restricted to the columns {@code cols} of that
   * space: per block (one for numeric arms, one per arm for one-hot) the Gram matrix, X'(y - m); plus n, m and the
   * centred sum of squares of y.
   */
  final class Regression {
    final ContextStats.FitSpace space;
    final int[] cols;
    /** Arm basis functions used: T0..T(armCount - 1) (1 for one-hot arms). */
    final int armCount;
    final int blocks;
    final int blockSize;
    final double[][] gram;
    final double[][] rhs;
    /** Per arm: its pulls' Gram matrix and X'(y - m) over the context columns, and sum (y - m)^2 (null: no pulls). */
    final double[][] armGram;
    final double[][] armRhs;
    final double[] armCentred;
    final long[] armN;
    final long n;
    final double mean;
    final double centred;

    Regression(ContextStats s, ContextStats.FitSpace space, int[] cols, int armCount) {
      this.space = space;
      this.cols = cols;
      this.armCount = armFeatures == null ? 1 : armCount;
      int k = arms.size();
      int q = cols.length;
      long count = 0;
      double sum = 0;
      double squares = 0;
      for (int a = 0; a < k; a++) {
        count += s.n[a];
        sum += s.ySum[a];
        squares += s.ySq[a];
      }
      n = count;
      mean = count == 0 ? 0 : sum / count;
      centred = Math.max(0, squares - count * mean * mean);
      int p = this.armCount;
      blocks = armFeatures == null ? k : 1;
      blockSize = p * q;
      gram = new double[blocks][blockSize * blockSize];
      rhs = new double[blocks][blockSize];
      armGram = new double[k][];
      armRhs = new double[k][];
      armCentred = new double[k];
      armN = s.n.clone();
      int f = space.size();
      for (int a = 0; a < k; a++) {
        if (s.n[a] == 0) {
          continue;
        }
        double[] g = space.gram(a);
        double[] xy = space.xy(a);
        double[] xs = space.xsum(a);
        double[] gq = new double[q * q];
        double[] rq = new double[q];
        for (int i = 0; i < q; i++) {
          rq[i] = xy[cols[i]] - mean * xs[cols[i]];
          for (int j = 0; j < q; j++) {
            gq[i * q + j] = g[cols[i] * f + cols[j]];
          }
        }
        armGram[a] = gq;
        armRhs[a] = rq;
        armCentred[a] = Math.max(0, s.ySq[a] - 2 * mean * s.ySum[a] + s.n[a] * mean * mean);
        int b = armFeatures == null ? a : 0;
        double[] av = armFeatures == null ? new double[] {1} : armFeatures[a];
        for (int p1 = 0; p1 < p; p1++) {
          for (int i = 0; i < q; i++) {
            int row = p1 * q + i;
            rhs[b][row] += av[p1] * rq[i];
            for (int p2 = 0; p2 < p; p2++) {
              double w = av[p1] * av[p2];
              for (int j = 0; j < q; j++) {
                gram[b][row * blockSize + p2 * q + j] += w * gq[i * q + j];
              }
            }
          }
        }
      }
    }

    int parameters() {
      return blocks * blockSize;
    }

    int blockOf(int arm) {
      return armFeatures == null ? arm : 0;
    }

    /** Arm i's feature vector (within its block) at context features f (of the whole space). */
    double[] features(int arm, double[] f) {
      double[] av = armFeatures == null ? new double[] {1} : armFeatures[arm];
      int q = cols.length;
      double[] v = new double[blockSize];
      for (int p = 0; p < armCount; p++) {
        for (int i = 0; i < q; i++) {
          v[p * q + i] = av[p] * f[cols[i]];
        }
      }
      return v;
    }

    /** Ridge fit of every block. */
    Fit fit() {
      return new Fit(this, ridge);
    }
  }

  /** Ridge fits of every block: the factor of (G + ridge I) and the solution; the residual sum and noise scale. */
  final class Fit {
    final Regression r;
    final double[][][] l;
    final double[][] w;
    final double rss;
    final double sigma;

    Fit(Regression r, double ridge) {
      this.r = r;
      int d = r.blockSize;
      l = new double[r.blocks][][];
      w = new double[r.blocks][];
      double explained = 0;
      for (int k = 0; k < r.blocks; k++) {
        double[] a = r.gram[k].clone();
        for (int i = 0; i < d; i++) {
          a[i * d + i] += ridge;
        }
        l[k] = Cholesky.decompose(a, d);
        w[k] = Cholesky.solve(l[k], r.rhs[k]);
        // RSS of the centred fit: sum (y - m)^2 - 2 w'r + w'G w
        double wr = 0;
        double wgw = 0;
        for (int i = 0; i < d; i++) {
          wr += w[k][i] * r.rhs[k][i];
          double gw = 0;
          for (int j = 0; j < d; j++) {
            gw += r.gram[k][i * d + j] * w[k][j];
          }
          wgw += w[k][i] * gw;
        }
        explained += 2 * wr - wgw;
      }
      rss = Math.max(0, r.centred - explained);
      // sigma^2 = (s0^2 + SS) / (1 + dof): one prior pseudo-observation of scale s0 (1 for log costs, the mean cost
      // otherwise) keeps sigma > 0 when every observed cost is the same (a cap, a noiseless evaluator), so the bound
      // still explores; SS is the residual sum of squares once the fit has more pulls than parameters, else the
      // spread of the costs around their mean.
      double s0 = logCost || !(Math.abs(r.mean) > 0) || !Double.isFinite(r.mean) ? 1 : Math.abs(r.mean);
      double ss;
      double dof;
      if (r.n > r.parameters()) {
        ss = rss;
        dof = r.n - r.parameters();
      } else {
        ss = r.centred;
        dof = Math.max(0, r.n - 1);
      }
      double v = (s0 * s0 + ss) / (1 + dof);
      sigma = Double.isFinite(v) ? Math.sqrt(v) : s0;
      pooledVariance = v;
    }

    private final double pooledVariance;
    private double[] armVariance;

    /**
     * Per arm its residual variance (log units) about its own regression on the context ({@link #ownVariance}), shrunk
     * to the pooled one by {@link #PSEUDO_PULLS} pseudo-pulls; computed when first needed (model selection does not).
     */
    double[] armVariance() {
      if (armVariance == null) {
        double[] out = new double[r.armGram.length];
        for (int a = 0; a < out.length; a++) {
          out[a] = pooledVariance;
          if (r.armGram[a] != null && r.n > r.parameters()) {
            double va = ownVariance(r, a, pooledVariance);
            out[a] = Double.isFinite(va) ? va : pooledVariance;
          }
        }
        armVariance = out;
      }
      return armVariance;
    }

    /**
     * Arm a's residual variance about its own least-squares regression on the model's context columns (so misfit of the shared
     * model elsewhere, e.g. a jump of the cost with the context, does not count against the arm), on the arm's
     * degrees of freedom n_a - q, shrunk to the pooled variance v by {@link #PSEUDO_PULLS} pseudo-pulls.
     */
    private double ownVariance(Regression r, int a, double v) {
      int q = r.cols.length;
      // a jitter, not the model's ridge: a ridge of 1 on one arm's few pulls over a narrow range of contexts shrinks
      // its fit so far that the shrinkage counts as variance (0.1 - 0.7 instead of the true 0.003 on ContextualFieldsTest)
      double[] g = r.armGram[a].clone();
      double scale = 0;
      for (int i = 0; i < q; i++) {
        scale = Math.max(scale, g[i * q + i]);
      }
      for (int i = 0; i < q; i++) {
        g[i * q + i] += 1e-9 * Math.max(1, scale);
      }
      double[] u = Cholesky.solve(Cholesky.decompose(g, q), r.armRhs[a]);
      double rssA = r.armCentred[a];
      for (int i = 0; i < q; i++) {
        rssA -= 2 * u[i] * r.armRhs[a][i];
        double gu = 0;
        for (int j = 0; j < q; j++) {
          gu += r.armGram[a][i * q + j] * u[j];
        }
        rssA += u[i] * gu;
      }
      double dof = Math.max(0, r.armN[a] - q);
      return (Math.max(0, rssA) + PSEUDO_PULLS * v) / (dof + PSEUDO_PULLS);
    }

    /**
     * Arm i's predicted cost in the model's units: with the log transform and {@code meanCorrection}, the log of the
     * lognormal mean, {@code x'w + armVariance_i / 2}, so the rule targets the mean cost (what a total adds up), not
     * the median, which favours arms whose cost is usually low but sometimes very high.
     */
    double target(int arm, double[] v) {
      return predict(arm, v) + (meanCorrection ? armVariance()[arm] / 2 : 0);
    }

    double predict(int arm, double[] v) {
      double y = r.mean;
      double[] wk = w[r.blockOf(arm)];
      for (int i = 0; i < v.length; i++) {
        y += v[i] * wk[i];
      }
      return y;
    }

    /** (G + ridge I)^-1 of block k, explicit (for rank-one updates of the widths within one suggestion). */
    double[] inverse(int k) {
      int d = r.blockSize;
      double[] inv = new double[d * d];
      double[] e = new double[d];
      for (int j = 0; j < d; j++) {
        e[j] = 1;
        double[] col = Cholesky.solve(l[k], e);
        e[j] = 0;
        for (int i = 0; i < d; i++) {
          inv[i * d + j] = col[i];
        }
      }
      return inv;
    }
  }

  /**
   * The squared widths {@code x_i' (G + ridge I)^-1 x_i} of every arm at one context, kept current under virtual
   * pulls (pending trials, earlier choices of the batch) by Sherman-Morrison: a pull at features u changes the
   * inverse by {@code -g g' / (1 + u'g)}, g = inverse u, so each pull costs O(D^2 + K D) instead of a refactoring.
   */
  private static final class Widths {
    final double[][] inverse;
    final double[][] v;
    final double[] squared;
    final int[] blockOf;
    final int d;

    Widths(Fit fit, double[][] v) {
      this.v = v;
      this.d = fit.r.blockSize;
      inverse = new double[fit.r.blocks][];
      for (int k = 0; k < fit.r.blocks; k++) {
        inverse[k] = fit.inverse(k);
      }
      blockOf = new int[v.length];
      squared = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        blockOf[i] = fit.r.blockOf(i);
        squared[i] = Math.max(0, dot(v[i], times(inverse[blockOf[i]], v[i])));
      }
    }

    void pull(int arm, double[] u) {
      int k = blockOf[arm];
      double[] inv = inverse[k];
      double[] g = times(inv, u);
      double denom = 1 + dot(u, g);
      for (int i = 0; i < v.length; i++) {
        if (blockOf[i] == k) {
          double q = dot(v[i], g);
          squared[i] = Math.max(0, squared[i] - q * q / denom);
        }
      }
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          inv[i * d + j] -= g[i] * g[j] / denom;
        }
      }
    }

    private double[] times(double[] m, double[] x) {
      double[] out = new double[d];
      for (int i = 0; i < d; i++) {
        double s = 0;
        for (int j = 0; j < d; j++) {
          s += m[i * d + j] * x[j];
        }
        out[i] = s;
      }
      return out;
    }

    private static double dot(double[] a, double[] b) {
      double s = 0;
      for (int i = 0; i < a.length; i++) {
        s += a[i] * b[i];
      }
      return s;
    }
  }

  /**
   * Model sizes tried for a field, as (arm degree, the field's degree): the smaller ones can be judged after a few
   * dozen pulls, the larger ones take over as the pulls grow.
   */
  /** Pseudo-pulls of the pooled residual variance in each arm's own (as {@link GpRule}'s). */
  private static final double PSEUDO_PULLS = 2;

  private static final int[][] LADDER = {{2, 1}, {2, 2}, {4, 1}, {4, 2}, {6, 1}, {6, 2}, {4, 4}, {6, 4}, {6, 6}};

  /** A choice of model: the arm basis size and, per used field, how many of its columns (in the fit space). */
  record Model(int armCount, Map<String, Integer> fields) {}

  /**
   * The model used now (see the class doc): per field the ladder level with the lowest information criterion
   * {@code n ln(RSS) + fieldPenalty p}, used when it beats every arm-only model; the arm degree is the largest of the
   * used fields'. Empty fields: no context model (the GP rule).
   */
  Model select(ContextStats s, ContextStats.FitSpace space) {
    Map<String, int[]> byField = space.columnsByField();
    int maxArm = armFeatures == null ? 1 : armFeatures[0].length;
    if (byField.isEmpty()) {
      return new Model(maxArm, Map.of());
    }
    java.util.TreeSet<Integer> armCounts = new java.util.TreeSet<>();
    for (int[] level : LADDER) {
      armCounts.add(Math.min(maxArm, level[0] + 1));
    }
    double best = Double.POSITIVE_INFINITY;
    int arm = maxArm;
    for (int a : armCounts) {
      double sc = score(new Regression(s, space, new int[] {0}, a));
      if (sc < best) {
        best = sc;
        arm = a;
      }
    }
    // a local search from the best arm-only model: add a field or grow a used one (at a size of the ladder or the
    // current arm degree), or change the arm degree, whichever lowers the criterion most, while one does
    Map<String, Integer> chosen = new java.util.LinkedHashMap<>();
    for (int step = 0; step < 4 * byField.size() + LADDER.length; step++) {
      String bestField = null;
      int bestCols = 0;
      int bestArm = arm;
      boolean grown = false;
      if (!chosen.isEmpty()) {
        // a larger arm degree alone is a candidate too, so a field is never added just to carry one
        for (int a : armCounts) {
          if (a != arm) {
            double sc = score(new Regression(s, space, columns(space, chosen), a));
            if (sc < best) {
              best = sc;
              bestArm = a;
              grown = true;
            }
          }
        }
      }
      for (Map.Entry<String, int[]> e : byField.entrySet()) {
        int[] fc = e.getValue();
        boolean numeric = space.isNumeric(e.getKey());
        int used = chosen.getOrDefault(e.getKey(), 0);
        if (used > 0 && (!numeric || used >= fc.length)) {
          continue;
        }
        java.util.Set<String> tried = new java.util.HashSet<>();
        List<int[]> sizes = new ArrayList<>();
        for (int[] level : LADDER) {
          sizes.add(new int[] {Math.min(maxArm, level[0] + 1), level[1]});
          sizes.add(new int[] {arm, level[1]});
        }
        for (int[] size : sizes) {
          int a = size[0];
          int d = numeric ? Math.min(fc.length, size[1]) : fc.length;
          if (d <= used || !tried.add(a + ":" + d)) {
            continue;
          }
          Map<String, Integer> trial = new java.util.LinkedHashMap<>(chosen);
          trial.put(e.getKey(), d);
          double sc = score(new Regression(s, space, columns(space, trial), a));
          if (sc < best) {
            best = sc;
            bestField = e.getKey();
            bestCols = d;
            bestArm = a;
            grown = false;
          }
        }
      }
      if (bestField == null && !grown) {
        break;
      }
      if (bestField != null) {
        chosen.put(bestField, bestCols);
      }
      arm = bestArm;
    }
    return new Model(arm, chosen);
  }

  /** Column indices of the intercept and the first {@code d} columns of each field in {@code fields}. */
  private static int[] columns(ContextStats.FitSpace space, Map<String, Integer> fields) {
    List<Integer> cols = new ArrayList<>(List.of(0));
    space.columnsByField().forEach((name, c) -> {
      Integer d = fields.get(name);
      if (d != null) {
        for (int i = 0; i < d; i++) {
          cols.add(c[i]);
        }
      }
    });
    return cols.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * {@code n ln(RSS) + penalty p} (penalty ln n, Schwarz's criterion, unless {@code fieldPenalty} is set), or
   * +infinity without enough pulls (n <= p + 10).
   */
  private double score(Regression r) {
    if (r.n <= r.parameters() + 10) {
      return Double.POSITIVE_INFINITY;
    }
    Fit f = r.fit();
    double penalty = Double.isNaN(fieldPenalty) ? Math.log(r.n) : fieldPenalty;
    return r.n * Math.log(Math.max(f.rss, 1e-300)) + penalty * r.parameters();
  }

  /** The fields the model uses now, by name. Visible for tests. */
  Set<String> selectedFields(ContextStats s) {
    return select(s, s.fitSpace(null)).fields().keySet();
  }

  /** The regression with the selected fields, or empty when the context is not used (then {@link GpRule}). */
  Optional<Regression> model(ContextStats s) {
    ContextStats.FitSpace space = s.fitSpace(null);
    Model chosen = select(s, space);
    if (chosen.fields().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Regression(s, space, columns(space, chosen.fields()),
        chosen.armCount()));
  }

  /** Lower confidence bounds of every arm's cost (in the model's units) at context ctx. Visible for tests. */
  double[] bounds(ContextStats s, Map<String, Object> ctx) {
    Regression r = model(s).orElseThrow(() -> new IllegalStateException("no field is used"));
    Fit fit = r.fit();
    double[][] v = features(r, r.space.features(ctx));
    Widths widths = new Widths(fit, v);
    double[] out = new double[arms.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = fit.target(i, v[i]) - alpha * fit.sigma * Math.sqrt(widths.squared[i]);
    }
    return out;
  }

  private double[][] features(Regression r, double[] f) {
    double[][] v = new double[arms.size()][];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.features(i, f);
    }
    return v;
  }

  @Override
  List<Choice> choose(Stats stats, StudySnapshot study, int count, RandomGenerator rng) {
    return choose(stats, study.context(), study.trials(), count, rng);
  }

  @Override
  List<Choice> choose(Stats stats, Map<String, Object> ctx, int count, RandomGenerator rng) {
    return choose(stats, ctx, List.of(), count, rng);
  }

  /** The rule, with {@code trials} (the snapshot's) supplying the pending pulls of other workers. */
  private List<Choice> choose(Stats stats, Map<String, Object> ctx, List<TrialView> trials, int count,
      RandomGenerator rng) {
    ContextStats s = (ContextStats) stats;
    Optional<Regression> model = model(s);
    if (model.isEmpty()) {
      long[] pending = new long[arms.size()];
      for (TrialView t : trials) {
        int arm = t.state().isPending() ? arms.indexOf(t.params()) : -1;
        if (arm >= 0) {
          pending[arm]++;
        }
      }
      return gp.choose(s.costN, s.costSum, s.costSq, pending, count, rng);
    }
    Regression r = model.get();
    Fit fit = r.fit();
    double[][] v = features(r, r.space.features(ctx));
    Widths widths = new Widths(fit, v);
    // other workers' pending pulls: their outcomes are not known yet, but they will be, so count them as virtual
    // pulls at their own contexts (so parallel workers asking one at a time do not all get the same arm)
    for (TrialView t : trials) {
      if (t.state().isPending()) {
        int arm = arms.indexOf(t.params());
        if (arm >= 0) {
          widths.pull(arm, r.features(arm, r.space.features(ContextStats.context(t))));
        }
      }
    }
    int k = arms.size();
    List<Choice> out = new ArrayList<>(count);
    double[] bound = new double[k];
    for (int c = 0; c < count; c++) {
      double min = Double.POSITIVE_INFINITY;
      for (int i = 0; i < k; i++) {
        bound[i] = fit.target(i, v[i]) - alpha * fit.sigma * Math.sqrt(widths.squared[i]);
        min = Math.min(min, bound[i]);
      }
      // exact ties are broken at random
      List<Integer> best = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        if (bound[i] <= min + 1e-12 * Math.max(1, Math.abs(min)) || Double.isNaN(min)) {
          best.add(i);
        }
      }
      int chosen = best.size() == 1 ? best.getFirst() : best.get(rng.nextInt(best.size()));
      out.add(new Choice(chosen, Double.NaN));
      widths.pull(chosen, v[chosen]);
    }
    return out;
  }
}
