package io.sextant.engine.bo.acq;

import io.sextant.engine.bo.BoxMinimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.commons.math3.special.Erf;

/**
 * Knowledge gradient over a <em>continuous</em> space (the unit cube of the features), for minimization: the
 * expected gain of the best posterior mean after a fantasy observation at x,
 * {@code KG(x) = E_Z[max_q (-mean(q) + slope(q) Z)] - max_q -mean(q)} (see {@link FantasyMean}; maximization of
 * {@code -mean}, as in {@link KnowledgeGradient}). The value is {@code log KG(x)}, floored at
 * {@link Acquisition#LOG_FLOOR}.
 *
 * <p><b>Estimator</b> (a hybrid of the Monte-Carlo and discrete forms, after Ungredda, Pearce and Branke's hybrid
 * KG): for each of {@code nodes.length} fixed standard-normal nodes z_j (equal-probability quantiles, the same for
 * every x: common random numbers, so the acquisition is deterministic and smooth), the fantasized mean
 * {@code -mean(q) - slope(q) z_j} is maximized over the continuous cube, starting from the best point of the
 * discrete set ({@code set} rows, which should hold the observed points and the minimizers of the current mean, and
 * x itself), by {@code innerIterations} projected L-BFGS steps with the analytic O(n d) gradient of
 * {@link Posterior#fantasyMean}; for z_j > 0 (the mean around x rises) a second run starts at x, whose bump is often
 * a basin the best discrete point does not lead to (without it the value stalled at 91% of a brute-force grid KG
 * on a 1-D test GP, whatever the number of nodes). The maximizers q_j join the discrete set, and the expectation over Z is then taken
 * <em>exactly</em> over the upper envelope of the lines {@code a_i + b_i Z} of set, q_j and x
 * ({@link KnowledgeGradient#logKg}) instead of averaging the M node values. Consequences:
 * <ul>
 *   <li>no Monte-Carlo error in Z: the only approximation is that between the nodes the maximizer of the fantasized
 *       mean is taken from the finite set {set, q_1..q_M, x}; the value is a lower bound of the continuous KG that
 *       tightens as M grows;
 *   <li>it is never negative and never below the discrete {@link KnowledgeGradient} over the same set (a superset of
 *       lines can only raise the envelope), and with {@code innerIterations = 0} (inner maximization restricted to the
 *       discrete set) it equals that discrete KG;
 *   <li>far from the data the tails stay informative (log-space envelope sum, no cancellation).
 * </ul>
 * The gradient in x is by central differences with the inner maximizers held fixed (envelope theorem: at an inner
 * maximum the value does not move to first order with q_j).
 *
 * <p><b>Cost</b> of one value with n GP points, m set rows, M nodes, d features: O(n^2) (solves for x) + O(m n)
 * (covariances with the set) + O(1.5 M x innerIterations x ~1.5 x n d) (inner maximization, 1.5 runs per node) + O((m + M) log(m + M))
 * (envelope). A gradient adds 2 d envelopes with the inner points fixed, O(2 d (n^2 + (m + M) n d)).
 *
 * @param posterior the model
 * @param set discrete reference points, shape {@code m x d}
 * @param setMeans posterior means at the rows of {@code set}
 * @param covariance {@code x -> Cov(f(set_i), f(x))}, from {@link Posterior#covarianceWith}
 * @param nodes the fixed standard-normal fantasy outcomes z_j
 * @param innerIterations L-BFGS iterations of each inner maximization (0: restricted to the discrete set)
 */
public record MonteCarloKnowledgeGradient(
    Posterior posterior, double[][] set, double[] setMeans, Function<double[], double[]> covariance,
    double[] nodes, int innerIterations) implements Acquisition {

  /** Inner L-BFGS iterations per node used by {@link #over}. */
  public static final int INNER_ITERATIONS = 5;
  /** Starts (set rows of lowest mean) of the minimization of the current mean in {@link #over}. */
  static final int MEAN_STARTS = 3;
  private static final int MEAN_ITERATIONS = 40;
  private static final double FD_STEP = 1e-6;

  /**
   * Prepares the acquisition: {@code set} (shape {@code m x d}: observed and believed points) extended by the
   * minimizers of the current posterior mean (L-BFGS from the {@value #MEAN_STARTS} rows of lowest mean), so that
   * the baseline {@code max_q -mean(q)} is the continuous one; {@code samples} nodes; {@link #INNER_ITERATIONS}.
   */
  public static MonteCarloKnowledgeGradient over(Posterior posterior, double[][] set, int samples) {
    int d = posterior.dimensions();
    double[] means = means(posterior, set);
    int[] best = IntStream.range(0, set.length).boxed().sorted(Comparator.comparingDouble(i -> means[i]))
        .limit(MEAN_STARTS).mapToInt(Integer::intValue).toArray();
    double[][] all = Arrays.copyOf(set, set.length + best.length);
    double[] lower = new double[d];
    double[] upper = new double[d];
    Arrays.fill(upper, 1.0);
    for (int k = 0; k < best.length; k++) {
      all[set.length + k] = BoxMinimizer.minimize((q, g) -> {
        Prediction p = posterior.predictWithGradient(q);
        System.arraycopy(p.meanGradient(), 0, g, 0, g.length);
        return p.mean();
      }, set[best[k]], lower, upper, MEAN_ITERATIONS).point();
    }
    return of(posterior, all, nodes(samples), INNER_ITERATIONS);
  }

  /** The acquisition over exactly {@code set} (no mean minimizers added), with the given nodes and iterations. */
  public static MonteCarloKnowledgeGradient of(Posterior posterior, double[][] set, double[] nodes,
      int innerIterations) {
    return new MonteCarloKnowledgeGradient(posterior, set, means(posterior, set), posterior.covarianceWith(set),
        nodes.clone(), innerIterations);
  }

  /** {@code m} equal-probability standard-normal quantiles {@code Phi^-1((j + 1/2) / m)}, j = 0..m-1, symmetric. */
  public static double[] nodes(int m) {
    if (m < 1) {
      throw new IllegalArgumentException("at least one node (got " + m + ")");
    }
    double[] z = new double[m];
    for (int j = 0; j < m; j++) {
      double p = (j + 0.5) / m;
      z[j] = Math.sqrt(2.0) * Erf.erfInv(2 * p - 1);
    }
    for (int j = 0; j < m / 2; j++) { // exact symmetry
      z[m - 1 - j] = -z[j];
    }
    if (m % 2 == 1) {
      z[m / 2] = 0.0;
    }
    return z;
  }

  private static double[] means(Posterior posterior, double[][] set) {
    double[] means = new double[set.length];
    for (int i = 0; i < set.length; i++) {
      means[i] = posterior.predict(set[i]).mean();
    }
    return means;
  }

  @Override
  public double value(double[] x) {
    FantasyMean fm = posterior.fantasyMean(x);
    return envelope(x, fm, innerMaximizers(x, fm));
  }

  @Override
  public double valueAndGradient(double[] x, double[] gradient) {
    FantasyMean fm = posterior.fantasyMean(x);
    double[][] inner = innerMaximizers(x, fm);
    double v = envelope(x, fm, inner);
    double[] p = x.clone();
    for (int j = 0; j < x.length; j++) {
      p[j] = x[j] + FD_STEP;
      double up = envelope(p, posterior.fantasyMean(p), inner);
      p[j] = x[j] - FD_STEP;
      double down = envelope(p, posterior.fantasyMean(p), inner);
      p[j] = x[j];
      gradient[j] = (up - down) / (2 * FD_STEP);
    }
    return v;
  }

  /** Lines of the set rows and of x: a = -mean, b = slope; returned as {a[], b[]} of length m + 1 (x last). */
  private double[][] discreteLines(double[] x) {
    Prediction px = posterior.predict(x);
    double[] cov = covariance.apply(x);
    int m = set.length;
    double scale = 1.0 / Math.sqrt(px.variance() + posterior.noiseVariance());
    double[] a = new double[m + 1];
    double[] b = new double[m + 1];
    for (int i = 0; i < m; i++) {
      a[i] = -setMeans[i];
      b[i] = cov[i] * scale;
    }
    a[m] = -px.mean();
    b[m] = px.variance() * scale;
    return new double[][] {a, b};
  }

  /** For each node, the maximizer of the fantasized mean reached from the best discrete line (rows: nodes). */
  private double[][] innerMaximizers(double[] x, FantasyMean fm) {
    if (innerIterations == 0) {
      return new double[0][];
    }
    double[][] lines = discreteLines(x);
    double[] a = lines[0];
    double[] b = lines[1];
    int d = x.length;
    double[] lower = new double[d];
    double[] upper = new double[d];
    Arrays.fill(upper, 1.0);
    double[] out = new double[2];
    double[] gm = new double[d];
    double[] gs = new double[d];
    // nodes from the centre outwards (|z| ascending): the maximizer moves continuously with z, so each run starts
    // from the best line so far (discrete or found at a previous node) and needs few iterations
    Integer[] order = IntStream.range(0, nodes.length).boxed()
        .sorted(Comparator.comparingDouble(j -> Math.abs(nodes[j]))).toArray(Integer[]::new);
    List<double[]> found = new ArrayList<>(2 * nodes.length);
    List<double[]> foundLines = new ArrayList<>(2 * nodes.length);
    for (int j : order) {
      double z = nodes[j];
      double[] start = x;
      double bestLine = a[a.length - 1] + b[b.length - 1] * z;
      for (int i = 0; i < set.length; i++) {
        if (a[i] + b[i] * z > bestLine) {
          bestLine = a[i] + b[i] * z;
          start = set[i];
        }
      }
      for (int k = 0; k < found.size(); k++) {
        double[] ab = foundLines.get(k);
        if (ab[0] + ab[1] * z > bestLine) {
          bestLine = ab[0] + ab[1] * z;
          start = found.get(k);
        }
      }
      // maximize the fantasized line a(q) + b(q) z = -mean(q) + slope(q) z, i.e. minimize mean(q) - z slope(q)
      BoxMinimizer.Objective line = (q, g) -> {
        fm.evaluate(q, out, gm, gs);
        for (int k = 0; k < g.length; k++) {
          g[k] = gm[k] - z * gs[k];
        }
        return out[0] - z * out[1];
      };
      double[] q = BoxMinimizer.minimize(line, start, lower, upper, innerIterations).point();
      found.add(q);
      foundLines.add(line(fm, q, out));
      if (z > 0 && start != x) {
        // an outcome better than expected raises the mean around x (b(x) > 0): that bump's summit is the other
        // candidate maximizer, often in a basin the best line does not lead to (always started at x: continued
        // from a smaller z the run would slide into the basin of the best point before the bump forms)
        double[] bump = BoxMinimizer.minimize(line, x, lower, upper, innerIterations).point();
        found.add(bump);
        foundLines.add(line(fm, bump, out));
      }
    }
    return found.toArray(new double[0][]);
  }

  private static double[] line(FantasyMean fm, double[] q, double[] out) {
    fm.evaluate(q, out, Prediction.NONE, Prediction.NONE);
    return new double[] {-out[0], out[1]};
  }

  /** log KG over the set, the inner points (fixed) and x. */
  private double envelope(double[] x, FantasyMean fm, double[][] inner) {
    double[][] lines = discreteLines(x);
    int m = lines[0].length;
    double[] a = Arrays.copyOf(lines[0], m + inner.length);
    double[] b = Arrays.copyOf(lines[1], m + inner.length);
    double[] out = new double[2];
    for (int j = 0; j < inner.length; j++) {
      fm.evaluate(inner[j], out, Prediction.NONE, Prediction.NONE);
      a[m + j] = -out[0];
      b[m + j] = out[1];
    }
    return Acquisition.floor(KnowledgeGradient.logKg(a, b));
  }
}
