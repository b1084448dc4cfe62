package io.sextant.engine.space;

import java.util.Optional;
import java.util.OptionalDouble;

/** A real parameter on [low, high], optionally on log scale and/or discretized with {@code step} (low + k*step). */
public record FloatParameter(
    String name, double low, double high, boolean log, OptionalDouble step, Optional<Condition> condition)
    implements Parameter {

  public FloatParameter {
    if (!(Double.isFinite(low) && Double.isFinite(high))) {
      throw new SpaceException("low", "low and high must be finite numbers");
    }
    if (!(low < high)) {
      throw new SpaceException("low", "low must be less than high (got low=" + low + ", high=" + high + ")");
    }
    if (log && low <= 0) {
      throw new SpaceException("low", "a log-scale parameter needs low > 0 (got " + low + ")");
    }
    if (step.isPresent()) {
      double s = step.getAsDouble();
      if (!(s > 0) || !Double.isFinite(s)) {
        throw new SpaceException("step", "step must be a positive number");
      }
      if (s > high - low) {
        throw new SpaceException("step", "step must not exceed high - low");
      }
      if (log) {
        throw new SpaceException("step", "step and log cannot be combined");
      }
    }
  }

  /** Number of grid points when stepped. */
  public long gridSize() {
    return (long) Math.floor((high - low) / step.orElseThrow() + 1e-9) + 1;
  }

  @Override
  public Object fromUnit(double u) {
    if (step.isPresent()) {
      long k = Math.max(0, Math.min(gridSize() - 1, (long) Math.floor(u * gridSize())));
      return Math.min(high, low + k * step.getAsDouble());
    }
    double x = log ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low);
    return Math.min(high, Math.max(low, x));
  }

  @Override
  public boolean contains(Object value) {
    if (!(value instanceof Number n)) {
      return false;
    }
    double x = n.doubleValue();
    if (!(x >= low && x <= high)) {
      return false;
    }
    if (step.isPresent()) {
      double k = (x - low) / step.getAsDouble();
      return Math.abs(k - Math.rint(k)) < 1e-6;
    }
    return true;
  }
}
