package io.sextant.engine.study;

import java.util.Optional;

/** A constraint on a reported metric: {@code metric <= bound} (op LE) or {@code metric >= bound} (op GE). */
public record OutcomeConstraint(String metric, Op op, double bound) {
  public enum Op {
    LE("<="),
    GE(">=");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    /** How the op is written in study bodies, stored definitions and executor leases: {@code "<="} or {@code ">="}. */
    public String symbol() {
      return symbol;
    }

    /**
     * The op a study body or lease names: {@code "<="}, {@code "LE"}, {@code "le"} or {@code ">="}, {@code "GE"},
     * {@code "ge"}; empty for anything else. The one place these aliases are defined.
     */
    public static Optional<Op> parse(String text) {
      return switch (text) {
        case "<=", "LE", "le" -> Optional.of(LE);
        case ">=", "GE", "ge" -> Optional.of(GE);
        case null, default -> Optional.empty();
      };
    }
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
