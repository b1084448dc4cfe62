package io.sextant.engine.bo.acq;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Knowledge gradient (Frazier, Powell and Dayanik 2009) for minimization, computed exactly over a discrete set: the
 * reference set (observed points plus candidates, rows of {@code set}) together with x itself. The value is
 * {@code log KG(x)} in the posterior's units (floored at {@link Acquisition#LOG_FLOOR}); the gradient is by finite
 * differences. For continuous spaces the fixed candidate rows make this a discretized (one-shot style) KG.
 *
 * @param posterior the model
 * @param set reference points, shape {@code m x d}
 * @param setMeans posterior means at the rows of {@code set}
 * @param covariance {@code x -> Cov(f(set_i), f(x))}, from {@link Posterior#covarianceWith}
 */
public record KnowledgeGradient(
    Posterior posterior, double[][] set, double[] setMeans, Function<double[], double[]> covariance)
    implements Acquisition {

  /** Prepares the KG over {@code set} (shape {@code m x d}). */
  public static KnowledgeGradient over(Posterior posterior, double[][] set) {
    double[] means = new double[set.length];
    for (int i = 0; i < set.length; i++) {
      means[i] = posterior.predict(set[i]).mean();
    }
    return new KnowledgeGradient(posterior, set, means, posterior.covarianceWith(set));
  }

  @Override
  public double value(double[] x) {
    Prediction p = posterior.predict(x);
    double[] cov = covariance.apply(x);
    int m = set.length;
    double[] a = new double[m + 1];
    double[] b = new double[m + 1];
    double scale = 1.0 / Math.sqrt(p.variance() + posterior.noiseVariance());
    for (int i = 0; i < m; i++) {
      a[i] = -setMeans[i]; // maximize -f
      b[i] = cov[i] * scale;
    }
    a[m] = -p.mean();
    b[m] = p.variance() * scale;
    return Acquisition.floor(logKg(a, b));
  }

  /**
   * Exact {@code log(E[max_i(a_i + b_i Z)] - max_i a_i)}, Z standard normal, through the upper envelope of the
   * lines {@code a_i + b_i z}: {@code KG = sum_k (b_{k+1} - b_k) h(-|c_k|)} with breakpoints c_k, summed in log
   * space. Returns -infinity when all b are equal (no value of information). Pure; arrays are not modified.
   *
   * @param a intercepts (current means, to maximize), length m
   * @param b slopes, length m
   */
  public static double logKg(double[] a, double[] b) {
    int m = a.length;
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (i, j) -> b[i] != b[j] ? Double.compare(b[i], b[j]) : Double.compare(a[i], a[j]));
    // drop ties in b, keeping the larger a (the last of equal b after sorting)
    double[] as = new double[m];
    double[] bs = new double[m];
    int k = 0;
    for (int t = 0; t < m; t++) {
      int i = order[t];
      if (t + 1 < m && b[order[t + 1]] == b[i]) {
        continue;
      }
      as[k] = a[i];
      bs[k] = b[i];
      k++;
    }
    int[] stack = new int[k];
    double[] c = new double[k];
    int top = 0;
    stack[0] = 0;
    c[0] = Double.NEGATIVE_INFINITY;
    for (int i = 1; i < k; i++) {
      while (true) {
        int j = stack[top];
        double cNew = (as[j] - as[i]) / (bs[i] - bs[j]);
        if (top > 0 && cNew <= c[top]) {
          top--;
          continue;
        }
        top++;
        stack[top] = i;
        c[top] = cNew;
        break;
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    double[] terms = new double[top];
    for (int t = 1; t <= top; t++) {
      terms[t - 1] = Math.log(bs[stack[t]] - bs[stack[t - 1]]) + NormalMath.logH(-Math.abs(c[t]));
      max = Math.max(max, terms[t - 1]);
    }
    if (top == 0 || max == Double.NEGATIVE_INFINITY) {
      return Double.NEGATIVE_INFINITY;
    }
    double sum = 0;
    for (double t : terms) {
      sum += Math.exp(t - max);
    }
    return max + Math.log(sum);
  }
}
