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

  /**
   * How far a reported value misses the bound: 0 when {@link #satisfiedBy satisfied}; otherwise the distance to the
   * bound, or {@code +Infinity} when the metric was not reported ({@code null}) or is NaN. The one feasibility rule
   * ({@link StudyProblem#violation}) is built from this.
   */
  public double violation(Double value) {
    if (value == null || value.isNaN()) {
      return Double.POSITIVE_INFINITY;
    }
    if (satisfiedBy(value)) {
      return 0;
    }
    double miss = op == Op.LE ? value - bound : bound - value;
    return miss > 0 ? miss : Double.POSITIVE_INFINITY; // inf - inf is NaN: unsatisfied all the same
  }
}
