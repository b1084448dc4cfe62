package io.sextant.engine.bo.acq;

import java.util.List;

/**
 * An acquisition kept away from given points: within {@link #TOLERANCE} (max-norm in the unit feature cube, i.e. a
 * thousandth of each numeric parameter's range and the same value of each discrete one) of a point of
 * {@code avoid}, the value is {@link #ZONE_VALUE}, below anything the base acquisition returns (log-scale
 * acquisitions floor at {@link Acquisition#LOG_FLOOR}), with a zero gradient; elsewhere it is the base. Used for
 * PRUNED and FAILED trials: the optimizer ranks such points last, so one is proposed only when every other
 * candidate is excluded.
 */
public record Avoiding(Acquisition base, List<double[]> avoid) implements Acquisition {
  /** Points closer than this (max-norm, feature space) to an avoided point are not proposed. */
  public static final double TOLERANCE = 1e-3;

  /** The value inside an avoided zone. */
  public static final double ZONE_VALUE = 2 * LOG_FLOOR;

  public Avoiding {
    avoid = List.copyOf(avoid);
  }

  /** {@code base} itself when there is nothing to avoid. */
  public static Acquisition of(Acquisition base, List<double[]> avoid) {
    return avoid.isEmpty() ? base : new Avoiding(base, avoid);
  }

  /** True when x is within {@link #TOLERANCE} of one of the points. */
  public static boolean near(double[] x, List<double[]> points) {
    for (double[] p : points) {
      boolean close = true;
      for (int j = 0; j < x.length && close; j++) {
        close = Math.abs(x[j] - p[j]) <= TOLERANCE;
      }
      if (close) {
        return true;
      }
    }
    return false;
  }

  @Override
  public double value(double[] x) {
    return near(x, avoid) ? ZONE_VALUE : base.value(x);
  }

  @Override
  public double valueAndGradient(double[] x, double[] gradient) {
    if (near(x, avoid)) {
      java.util.Arrays.fill(gradient, 0.0);
      return ZONE_VALUE;
    }
    return base.valueAndGradient(x, gradient);
  }
}
