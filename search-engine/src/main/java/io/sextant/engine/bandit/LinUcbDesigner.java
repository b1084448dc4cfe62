package io.sextant.engine.bandit;

import io.sextant.engine.space.CategoricalParameter;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.Parameter;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * LinUCB for costs (Li, Chu, Langford, Schapire 2010) over a joint model of arm and context.
 *
 * <p><b>Features.</b> Context: Chebyshev polynomials T0..Td of the context mapped to [-1, 1] ({@link ContextSettings}).
 * Arm: when the arms are numbers of one parameter (a stepped float or int, or numeric categorical choices: an omega
 * grid), Chebyshev polynomials T0..Ta of the arm's value mapped to [-1, 1] (in log space for a log-scale float), and
 * an arm's feature vector is their tensor product, so one ridge regression of the cost over (arm, context) is shared
 * by all arms: a pull of omega = 1.80 also informs omega = 1.75 and 1.85. Arms that are not numbers (or
 * {@code armFeatures: onehot}) get one independent regression each (disjoint LinUCB): block i holds arm i's
 * regression on the context features.
 *
 * <p><b>Model.</b> The target is {@code y = log(cost)} ({@code costTransform: log}, the default for MINIMIZE:
 * iteration counts are multiplicative in the context; costs <= 0 are not learned from) or the cost (identity, the
 * default for MAXIMIZE, whose cost is minus the value), centred by the mean m of all learned y; per block a ridge
 * regression {@code (G + ridge I) w = X'(y - m)} from sufficient statistics (G = X'X, X'y, the feature sum, count,
 * sum and sum of squares of y), so it needs no trial history. The noise scale is
 * {@code sigma^2 = (s0^2 + SS) / (1 + dof)}: SS the residual sum of squares with dof = n - parameters once there are
 * more pulls than parameters, else the spread of y around m with dof = n - 1, plus one prior pseudo-observation of
 * scale s0 (1 for log costs, |m| otherwise) so that identical costs do not stop exploration.
 *
 * <p><b>Rule.</b> The arm minimizing {@code m + x'w - alpha sigma sqrt(x' (G + ridge I)^-1 x)} (an optimistic lower
 * confidence bound on the cost); exact ties are broken at random, otherwise the choice does not depend on the
 * generator. Pending trials of other workers (in the snapshot) and the earlier choices of a batch count as virtual
 * pulls whose outcome is the prediction: the fit is unchanged, the widths along them shrink (Sherman-Morrison on
 * the explicit inverse), so parallel workers and batches spread out. A request without a numeric context (when
 * degree > 0) gets uniformly random arms, and trials without one are not learned from; with degree 0 the context is
 * not used at all.
 */
final class LinUcbDesigner extends BanditDesigner {
  private final ContextSettings context;
  private final int contextFeatures;
  private final double alpha;
  private final double ridge;
  private final boolean logCost;
  /** Per arm: its block and its arm features (null: one-hot, the block's features are the context's). */
  private final int[] blockOf;
  private final double[][] armFeatures;
  private final int blocks;
  private final int blockSize;

  LinUcbDesigner(String name, BanditSettings settings, ContextSettings context, int degree, int armDegree,
      boolean oneHot, double alpha, double ridge, boolean logCost) {
    super(name, settings);
    this.context = context;
    this.contextFeatures = degree + 1;
    this.alpha = alpha;
    this.ridge = ridge;
    this.logCost = logCost;
    int k = arms.size();
    this.blockOf = new int[k];
    Optional<double[]> values = oneHot ? Optional.empty() : numericArms(arms);
    if (values.isPresent()) {
      int p = Math.min(armDegree, k - 1) + 1;
      double[] v = values.get();
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double x : v) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
      armFeatures = new double[k][];
      for (int i = 0; i < k; i++) {
        armFeatures[i] = ContextSettings.chebyshev(hi > lo ? 2 * (v[i] - lo) / (hi - lo) - 1 : 0, p);
      }
      blocks = 1;
      blockSize = p * contextFeatures;
    } else {
      armFeatures = null;
      for (int i = 0; i < k; i++) {
        blockOf[i] = i;
      }
      blocks = k;
      blockSize = contextFeatures;
    }
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

  /** Number of regression parameters (all blocks). */
  int parameters() {
    return blocks * blockSize;
  }

  /** Context features at x (NaN x only when degree is 0, where it is not used). */
  private double[] phi(double x) {
    return contextFeatures == 1 ? new double[] {1} : ContextSettings.chebyshev(context.unit(x), contextFeatures);
  }

  /** Arm i's feature vector within its block at context features f. */
  private double[] features(int arm, double[] f) {
    if (armFeatures == null) {
      return f;
    }
    double[] a = armFeatures[arm];
    double[] v = new double[blockSize];
    for (int p = 0; p < a.length; p++) {
      for (int q = 0; q < f.length; q++) {
        v[p * f.length + q] = a[p] * f[q];
      }
    }
    return v;
  }

  /** The context a trial was learned at: NaN when it has none and the context is used. */
  private double contextOf(TrialView trial) {
    return contextFeatures == 1 ? 0 : trialContext(trial, context.key());
  }

  final class Regression implements Stats {
    final double[][] gram = new double[blocks][blockSize * blockSize];
    final double[][] xty = new double[blocks][blockSize];
    final double[][] xsum = new double[blocks][blockSize];
    long n;
    double ySum;
    double ySquares;

    @Override
    public void add(int arm, double cost, TrialView trial) {
      double x = contextOf(trial);
      if (Double.isNaN(x)) {
        return;
      }
      double y = cost;
      if (logCost) {
        if (!(cost > 0)) {
          return;
        }
        y = Math.log(cost);
      }
      double[] v = features(arm, phi(x));
      int b = blockOf[arm];
      for (int i = 0; i < blockSize; i++) {
        xty[b][i] += v[i] * y;
        xsum[b][i] += v[i];
        for (int j = 0; j < blockSize; j++) {
          gram[b][i * blockSize + j] += v[i] * v[j];
        }
      }
      n++;
      ySum += y;
      ySquares += y * y;
    }

    double mean() {
      return n == 0 ? 0 : ySum / n;
    }

    @Override
    public Map<String, Object> toJson() {
      List<Object> g = new ArrayList<>();
      List<Object> b = new ArrayList<>();
      List<Object> s = new ArrayList<>();
      for (int k = 0; k < blocks; k++) {
        g.add(list(upper(gram[k])));
        b.add(list(xty[k]));
        s.add(list(xsum[k]));
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("gram", List.copyOf(g));
      m.put("xty", List.copyOf(b));
      m.put("xsum", List.copyOf(s));
      m.put("n", n);
      m.put("ySum", ySum);
      m.put("ySquares", ySquares);
      return m;
    }

    private double[] upper(double[] a) {
      double[] u = new double[blockSize * (blockSize + 1) / 2];
      int k = 0;
      for (int i = 0; i < blockSize; i++) {
        for (int j = i; j < blockSize; j++) {
          u[k++] = a[i * blockSize + j];
        }
      }
      return u;
    }

    void readUpper(int block, double[] u) {
      int k = 0;
      for (int i = 0; i < blockSize; i++) {
        for (int j = i; j < blockSize; j++) {
          gram[block][i * blockSize + j] = u[k];
          gram[block][j * blockSize + i] = u[k++];
        }
      }
    }
  }

  @Override
  Stats emptyStats() {
    return new Regression();
  }

  @Override
  Stats readStats(Map<?, ?> json) {
    Regression r = new Regression();
    List<?> g = (List<?>) json.get("gram");
    List<?> b = (List<?>) json.get("xty");
    List<?> s = (List<?>) json.get("xsum");
    if (g.size() != blocks || b.size() != blocks || s.size() != blocks) {
      throw new IllegalArgumentException("block count changed");
    }
    for (int k = 0; k < blocks; k++) {
      r.readUpper(k, doubles(g.get(k), blockSize * (blockSize + 1) / 2));
      r.xty[k] = doubles(b.get(k), blockSize);
      r.xsum[k] = doubles(s.get(k), blockSize);
    }
    r.n = (long) num(json.get("n"));
    r.ySum = num(json.get("ySum"));
    r.ySquares = num(json.get("ySquares"));
    return r;
  }

  /** Ridge fits of every block: the factor of (G + ridge I) and the solution; the mean and the noise scale. */
  private final class Fit {
    final double[][] l = new double[blocks][];
    final double[][] w = new double[blocks][];
    final double mean;
    final double sigma;

    Fit(Regression r) {
      mean = r.mean();
      double explained = 0;
      for (int k = 0; k < blocks; k++) {
        double[] a = r.gram[k].clone();
        double[] rhs = new double[blockSize];
        for (int i = 0; i < blockSize; i++) {
          a[i * blockSize + i] += ridge;
          rhs[i] = r.xty[k][i] - mean * r.xsum[k][i];
        }
        l[k] = Cholesky.factor(a, blockSize);
        w[k] = Cholesky.solveUpper(l[k], Cholesky.solveLower(l[k], rhs, blockSize), blockSize);
        // RSS of the centred fit: sum (y - m)^2 - 2 w'r + w'G w
        double wr = 0;
        double wgw = 0;
        for (int i = 0; i < blockSize; i++) {
          wr += w[k][i] * rhs[i];
          double gw = 0;
          for (int j = 0; j < blockSize; j++) {
            gw += r.gram[k][i * blockSize + j] * w[k][j];
          }
          wgw += w[k][i] * gw;
        }
        explained += 2 * wr - wgw;
      }
      // sigma^2 = (s0^2 + SS) / (1 + dof): one prior pseudo-observation of scale s0 (1 for log costs, the mean cost
      // otherwise) keeps sigma > 0 when every observed cost is the same (a cap, a noiseless evaluator), so the bound
      // still explores; SS is the residual sum of squares once the fit has more pulls than parameters, else the
      // spread of the costs around their mean.
      double centred = Math.max(0, r.ySquares - r.n * mean * mean);
      double s0 = logCost || !(Math.abs(mean) > 0) || !Double.isFinite(mean) ? 1 : Math.abs(mean);
      double ss;
      double dof;
      if (r.n > parameters()) {
        ss = Math.max(0, centred - explained);
        dof = r.n - parameters();
      } else {
        ss = centred;
        dof = Math.max(0, r.n - 1);
      }
      double v = (s0 * s0 + ss) / (1 + dof);
      sigma = Double.isFinite(v) ? Math.sqrt(v) : s0;
    }

    double predict(int arm, double[] v) {
      double y = mean;
      double[] wk = w[blockOf[arm]];
      for (int i = 0; i < blockSize; i++) {
        y += v[i] * wk[i];
      }
      return y;
    }

    /** (G + ridge I)^-1 of block k, explicit (for rank-one updates of the widths within one suggestion). */
    double[] inverse(int k) {
      double[] inv = new double[blockSize * blockSize];
      double[] e = new double[blockSize];
      for (int j = 0; j < blockSize; j++) {
        e[j] = 1;
        double[] col = Cholesky.solveUpper(l[k], Cholesky.solveLower(l[k], e, blockSize), blockSize);
        e[j] = 0;
        for (int i = 0; i < blockSize; i++) {
          inv[i * blockSize + j] = col[i];
        }
      }
      return inv;
    }
  }

  /**
   * The squared widths {@code x_i' (G + ridge I)^-1 x_i} of every arm at one context, kept current under virtual
   * pulls (pending trials, earlier choices of the batch) by Sherman-Morrison: a pull at features u changes the
   * inverse by {@code -g g' / (1 + u'g)}, g = inverse u, so each pull costs O(D^2 + K D) instead of a refactoring.
   * The fit itself is unchanged by a virtual pull whose outcome is its prediction.
   */
  private final class Widths {
    final double[][] inverse = new double[blocks][];
    final double[][] v;
    final double[] squared;

    Widths(Fit fit, double[][] v) {
      this.v = v;
      for (int k = 0; k < blocks; k++) {
        inverse[k] = fit.inverse(k);
      }
      squared = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        double[] g = times(inverse[blockOf[i]], v[i]);
        squared[i] = Math.max(0, dot(v[i], g));
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
      for (int i = 0; i < blockSize; i++) {
        for (int j = 0; j < blockSize; j++) {
          inv[i * blockSize + j] -= g[i] * g[j] / denom;
        }
      }
    }

    private double[] times(double[] m, double[] x) {
      double[] out = new double[blockSize];
      for (int i = 0; i < blockSize; i++) {
        double s = 0;
        for (int j = 0; j < blockSize; j++) {
          s += m[i * blockSize + j] * x[j];
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

  /** Lower confidence bounds of every arm's cost (in the model's units) at context x. Visible for tests. */
  double[] bounds(Regression r, double x) {
    Fit fit = new Fit(r);
    double[][] v = features(phi(x));
    Widths widths = new Widths(fit, v);
    double[] out = new double[arms.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = fit.predict(i, v[i]) - alpha * fit.sigma * Math.sqrt(widths.squared[i]);
    }
    return out;
  }

  private double[][] features(double[] f) {
    double[][] v = new double[arms.size()][];
    for (int i = 0; i < v.length; i++) {
      v[i] = features(i, f);
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
    double x = contextFeatures == 1 ? 0 : contextValue(ctx, context.key());
    if (Double.isNaN(x)) {
      return uniform(count, rng);
    }
    Fit fit = new Fit((Regression) stats);
    double[][] v = features(phi(x));
    Widths widths = new Widths(fit, v);
    // other workers' pending pulls: their outcomes are not known yet, but they will be, so count them as virtual
    // pulls at their own contexts (so parallel workers asking one at a time do not all get the same arm)
    for (TrialView t : trials) {
      if (t.state().isPending()) {
        int arm = arms.indexOf(t.params());
        double tx = contextOf(t);
        if (arm >= 0 && !Double.isNaN(tx)) {
          widths.pull(arm, features(arm, phi(tx)));
        }
      }
    }
    int k = arms.size();
    List<Choice> out = new ArrayList<>(count);
    double[] bound = new double[k];
    for (int c = 0; c < count; c++) {
      double min = Double.POSITIVE_INFINITY;
      for (int i = 0; i < k; i++) {
        bound[i] = fit.predict(i, v[i]) - alpha * fit.sigma * Math.sqrt(widths.squared[i]);
        min = Math.min(min, bound[i]);
      }
      // exact ties (e.g. before any pull, the two ends of a Chebyshev arm grid) are broken at random
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
