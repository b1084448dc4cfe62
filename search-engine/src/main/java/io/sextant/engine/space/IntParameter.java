package io.sextant.engine.space;

import java.util.Optional;

/** An integer parameter on [low, high] (inclusive), optionally on log scale or with a step (low + k*step). */
public record IntParameter(String name, long low, long high, boolean log, long step, Optional<Condition> condition)
    implements Parameter {

  public IntParameter {
    if (low >= high) {
      throw new SpaceException("low", "low must be less than high (got low=" + low + ", high=" + high + ")");
    }
    if (log && low <= 0) {
      throw new SpaceException("low", "a log-scale parameter needs low > 0 (got " + low + ")");
    }
    try {
      Math.subtractExact(high, low);
    } catch (ArithmeticException e) {
      throw new SpaceException("high", "high - low must fit in a 64-bit integer");
    }
    if (step <= 0) {
      throw new SpaceException("step", "step must be a positive integer");
    }
    if (step > high - low) {
      throw new SpaceException("step", "step must not exceed high - low");
    }
    if (log && step != 1) {
      throw new SpaceException("step", "step and log cannot be combined");
    }
    if ((high - low) / step == Long.MAX_VALUE) {
      throw new SpaceException("high", "too many values between low and high");
    }
  }

  /** Number of legal values: {@code (high - low) / step + 1}. */
  public long gridSize() {
    return (high - low) / step + 1;
  }

  @Override
  public Object fromUnit(double u) {
    if (log) {
      // Uniform in log space over [low - 0.5, high + 0.5), rounded: every integer gets its log-width of mass.
      double a = Math.log(low - 0.5 > 0 ? low - 0.5 : low * 0.5);
      double b = Math.log(high + 0.5);
      long v = Math.round(Math.exp(a + u * (b - a)));
      return Math.max(low, Math.min(high, v));
    }
    long k = Math.max(0, Math.min(gridSize() - 1, (long) Math.floor(u * gridSize())));
    return low + k * step;
  }

  @Override
  public boolean contains(Object value) {
    if (!(value instanceof Long v)) {
      return false;
    }
    return v >= low && v <= high && (v - low) % step == 0;
  }
}
