package io.sextant.engine.bo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Outputs prepared for the GP (to be minimized): +infinity becomes the worst finite value, -infinity the best,
 * values worse than {@code q3 + 10 IQR} are clipped there (heavy upper tails otherwise flatten the standardized
 * model near the optimum; the good tail is never clipped). When what remains is still strongly right-skewed
 * (sample skewness above {@value #SKEW_LIMIT}, e.g. Rosenbrock, where a few bad values span orders of magnitude
 * above the good ones), the values may be output-warped by {@code log(y - min + c)} with {@code c} a multiple of the
 * interquartile range (linear below {@code min}, so the warp is monotone and defined everywhere; {@link #candidates}
 * offers 0.1 and 1 IQR, {@link GpModels#fitChoosing} picks by likelihood, {@link #warpedIfSkewed} is 0.1); then standardized
 * to mean 0, sd 1. The warp is monotone, so minimizers and orderings are unchanged; {@link #standardize} applies
 * the same map to any value (incumbents, constraint bounds, reference points).
 *
 * @param values standardized values, same order as the input
 * @param mean mean subtracted (in warped units)
 * @param sd scale divided by ({@code > 0})
 * @param warpShift {@code min - c} of the log warp, or NaN when no warp is applied
 * @param warpC the {@code c} of the log warp
 * @param warpIqr {@code c} in interquartile ranges (NaN when not warped)
 */
public record OutcomeTransform(
    double[] values, double mean, double sd, double warpShift, double warpC, double warpIqr) {
  static final double SKEW_LIMIT = 2.0;
  /** Fewer values than this are never warped (the skewness of a handful of points says little). */
  static final int MIN_WARP = 8;

  /**
   * Clipped and standardized, never warped: for models whose units matter beyond their order (hypervolume in EHVI,
   * constraint models).
   *
   * @param raw values to minimize; NaN must already be removed; +/-infinity allowed
   * @return empty when fewer than 2 finite values exist
   */
  public static Optional<OutcomeTransform> of(double[] raw) {
    return of(raw, false);
  }

  /** Like {@link #of(double[])}, but log-warped when the values are strongly right-skewed (see the class doc). */
  public static Optional<OutcomeTransform> warpedIfSkewed(double[] raw) {
    return of(raw, true, WARP_OFFSETS[0]);
  }

  /**
   * The transforms a model may choose from by likelihood ({@link GpModels#fitChoosing}): the plain one first, then,
   * when the values are strongly right-skewed (as for {@link #warpedIfSkewed}), the log warp with each offset
   * {@code c} of {@link #WARP_OFFSETS} (in interquartile ranges). A small {@code c} stretches the best values apart
   * (Rosenbrock-like valleys), a large one only compresses the bad tail and leaves the bottom nearly linear (a smooth
   * bowl such as Branin's stays smooth). Empty when fewer than 2 finite values exist.
   */
  public static List<OutcomeTransform> candidates(double[] raw) {
    List<OutcomeTransform> out = new ArrayList<>();
    of(raw, false, 0).ifPresent(out::add);
    for (double c : WARP_OFFSETS) {
      of(raw, true, c).filter(OutcomeTransform::warped).ifPresent(out::add);
    }
    return out;
  }

  /** Offsets {@code c} of the log warp tried by {@link #candidates}, in interquartile ranges. */
  static final double[] WARP_OFFSETS = {0.1, 1.0};

  /** A short name of this transform, stored with the hyperparameters: "none" or "log" plus the offset in IQRs. */
  public String label() {
    return warped() ? "log" + warpIqr : "none";
  }

  /**
   * The log density of the values' map to standardized units at each observation, {@code log |dz/dy|} (clipping
   * aside): the Jacobian term that makes GP likelihoods of differently warped data comparable.
   */
  public double logJacobian(int i) {
    double j = -Math.log(sd);
    if (!warped()) {
      return j;
    }
    double u = values[i] * sd + mean; // the warped value
    return j + (u >= Math.log(warpC) ? -u : -Math.log(warpC));
  }

  private static Optional<OutcomeTransform> of(double[] raw, boolean mayWarp) {
    return of(raw, mayWarp, WARP_OFFSETS[0]);
  }

  private static Optional<OutcomeTransform> of(double[] raw, boolean mayWarp, double offsetIqr) {
    double[] finite = Arrays.stream(raw).filter(Double::isFinite).sorted().toArray();
    if (finite.length < 2) {
      return Optional.empty();
    }
    double min = finite[0];
    double q1 = finite[finite.length / 4];
    double q3 = finite[(3 * finite.length) / 4];
    double cap = q3 > q1 ? q3 + 10 * (q3 - q1) : finite[finite.length - 1];
    double max = Math.min(finite[finite.length - 1], cap);
    double[] v = new double[raw.length];
    for (int i = 0; i < raw.length; i++) {
      double x = raw[i];
      v[i] = x == Double.NEGATIVE_INFINITY ? min : Math.min(max, x);
    }
    double warpShift = Double.NaN;
    double warpC = Double.NaN;
    if (mayWarp && q3 > q1 && finite.length >= MIN_WARP && skewness(v) > SKEW_LIMIT) {
      warpC = offsetIqr * (q3 - q1);
      warpShift = min - warpC;
      for (int i = 0; i < v.length; i++) {
        v[i] = warp(v[i], warpShift, warpC);
      }
    }
    // scale safely: values can be as large as 1e300
    double lo = Arrays.stream(v).min().orElseThrow();
    double hi = Arrays.stream(v).max().orElseThrow();
    double scale = Math.max(Math.abs(lo), Math.abs(hi));
    scale = scale > 0 ? scale : 1;
    double mean = 0;
    for (double x : v) {
      mean += x / scale;
    }
    mean /= v.length;
    double var = 0;
    for (double x : v) {
      var += (x / scale - mean) * (x / scale - mean);
    }
    double sdScaled = Math.sqrt(var / v.length);
    boolean constant = !(sdScaled > 1e-12);
    double m = mean * scale;
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = constant ? 0.0 : (v[i] / scale - mean) / sdScaled;
    }
    return Optional.of(new OutcomeTransform(out, m, constant ? 1.0 : sdScaled * scale, warpShift, warpC,
        Double.isNaN(warpShift) ? Double.NaN : offsetIqr));
  }

  /** Whether the log output warp is applied. */
  public boolean warped() {
    return !Double.isNaN(warpShift);
  }

  /** A raw value (same units as the input) in standardized units (warped first when the data was). */
  public double standardize(double x) {
    return ((warped() ? warp(x, warpShift, warpC) : x) - mean) / sd;
  }

  /** The inverse of {@link #standardize}: a standardized value back in raw units. */
  public double unstandardize(double z) {
    double w = z * sd + mean;
    if (!warped()) {
      return w;
    }
    double lc = Math.log(warpC);
    return w >= lc ? warpShift + Math.exp(w) : warpShift + warpC + (w - lc) * warpC;
  }

  /** {@code log(x - shift)} above {@code shift + c}, continued linearly below it (monotone, finite everywhere). */
  static double warp(double x, double shift, double c) {
    double d = x - shift;
    return d >= c ? Math.log(d) : Math.log(c) + (d - c) / c;
  }

  private static double skewness(double[] v) {
    double mean = Arrays.stream(v).average().orElse(0);
    double m2 = 0;
    double m3 = 0;
    for (double x : v) {
      double d = x - mean;
      m2 += d * d;
      m3 += d * d * d;
    }
    m2 /= v.length;
    m3 /= v.length;
    return m2 > 0 ? m3 / Math.pow(m2, 1.5) : 0;
  }
}
