package io.sextant.engine.study;

/** Optimization direction of an objective. */
public enum Direction {
  MINIMIZE,
  MAXIMIZE;

  /** Sign that turns a value of this direction into a value to minimize. */
  public double toMinimization() {
    return this == MINIMIZE ? 1.0 : -1.0;
  }
}
