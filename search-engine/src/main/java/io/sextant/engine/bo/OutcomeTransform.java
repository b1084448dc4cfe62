package io.sextant.engine.bo;

import java.util.Arrays;
import java.util.Optional;

/**
 * Outputs prepared for the GP (to be minimized): +infinity becomes the worst finite value, -infinity the best,
 * values worse than {@code q3 + 10 IQR} are clipped there (heavy upper tails otherwise flatten the standardized
 * model near the optimum; the good tail is never clipped), then standardized to mean 0, sd 1.
 *
 * @param values standardized values, same order as the input
 * @param mean mean subtracted
 * @param sd scale divided by ({@code > 0})
 */
public record OutcomeTransform(double[] values, double mean, double sd) {
  /**
   * @param raw values to minimize; NaN must already be removed; +/-infinity allowed
   * @return empty when fewer than 2 finite values exist
   */
  public static Optional<OutcomeTransform> of(double[] raw) {
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
    // scale safely: values can be as large as 1e300
    double scale = Math.max(Math.abs(min), Math.abs(max));
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
    return Optional.of(new OutcomeTransform(out, m, constant ? 1.0 : sdScaled * scale));
  }

  /** A raw value (same units as the input) in standardized units; the scale is {@link #sd()}. */
  public double standardize(double x) {
    return (x - mean) / sd;
  }
}
