package io.sextant.engine.study;

/** A constraint on a reported metric: {@code metric <= bound} (op LE) or {@code metric >= bound} (op GE). */
public record OutcomeConstraint(String metric, Op op, double bound) {
  public enum Op {
    LE,
    GE
  }

  public boolean satisfiedBy(double value) {
    return op == Op.LE ? value <= bound : value >= bound;
  }
}
