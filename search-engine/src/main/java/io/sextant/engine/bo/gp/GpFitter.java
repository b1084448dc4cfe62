package io.sextant.engine.bo.gp;

import io.sextant.engine.bo.BoxMinimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Fits {@link GpHyperparameters} by maximizing {@link MarginalLikelihood} (log marginal likelihood + log-priors)
 * with multi-start projected L-BFGS ({@link BoxMinimizer}) in log coordinates. Bounds: lengthscale [0.025, 20], amplitude [0.01, 100], noise
 * [1e-6, 2] (outputs are standardized). Starts: the warm start when given, a fixed default (l = 0.5, s2 = 1,
 * noise = 1e-3) and {@code randomStarts} draws from {@code rng}. Pure given the generator; thread-safe.
 */
public final class GpFitter {
  static final double MIN_LS = 0.025;
  static final double MAX_LS = 20;
  static final double MIN_AMP = 0.01;
  static final double MAX_AMP = 100;
  static final double MIN_NOISE = 1e-6;
  static final double MAX_NOISE = 2;

  private GpFitter() {}

  /**
   * @param x inputs n x d (n >= 1)
   * @param y standardized outputs, length n
   */
  public static GpHyperparameters fit(
      double[][] x, double[] y, Optional<GpHyperparameters> warm, int randomStarts, RandomGenerator rng) {
    int d = x[0].length;
    double[] lo = new double[d + 2];
    double[] hi = new double[d + 2];
    for (int j = 0; j < d; j++) {
      lo[j] = Math.log(MIN_LS);
      hi[j] = Math.log(MAX_LS);
    }
    lo[d] = Math.log(MIN_AMP);
    hi[d] = Math.log(MAX_AMP);
    lo[d + 1] = Math.log(MIN_NOISE);
    hi[d + 1] = Math.log(MAX_NOISE);
    List<double[]> starts = new ArrayList<>();
    warm.ifPresent(w -> starts.add(w.toLog()));
    double[] dflt = new double[d + 2];
    java.util.Arrays.fill(dflt, 0, d, Math.log(0.5));
    dflt[d] = 0;
    dflt[d + 1] = Math.log(1e-3);
    starts.add(dflt);
    for (int s = 0; s < randomStarts; s++) {
      double[] t = new double[d + 2];
      for (int j = 0; j < d; j++) {
        t[j] = Math.log(0.1) + rng.nextDouble() * (Math.log(2.0) - Math.log(0.1));
      }
      t[d] = Math.log(0.3) + rng.nextDouble() * Math.log(10);
      t[d + 1] = Math.log(1e-5) + rng.nextDouble() * (Math.log(0.3) - Math.log(1e-5));
      starts.add(t);
    }
    double best = Double.POSITIVE_INFINITY;
    double[] bestT = dflt;
    for (double[] start : starts) {
      double[] t = start.clone();
      for (int j = 0; j < t.length; j++) {
        t[j] = Math.min(hi[j], Math.max(lo[j], t[j]));
      }
      BoxMinimizer.Result r = BoxMinimizer.minimize(
          (p, g) -> {
            double v = MarginalLikelihood.valueAndGradient(x, y, p, g);
            for (int j = 0; j < g.length; j++) {
              g[j] = -g[j];
            }
            return -v;
          },
          t, lo, hi, 200);
      if (r.value() < best) {
        best = r.value();
        bestT = r.point();
      }
    }
    return GpHyperparameters.fromLog(bestT);
  }
}
