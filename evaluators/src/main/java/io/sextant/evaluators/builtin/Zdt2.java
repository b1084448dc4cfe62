package io.sextant.evaluators.builtin;

/** ZDT2: h = 1 - (f1 / g)^2; concave front f2 = 1 - f1^2. Inputs must lie in [0, 1] (not rescaled). */
public final class Zdt2 extends Zdt {
  public Zdt2() {
    super("zdt2", "ZDT2: n >= 2 numeric parameters on [0, 1] (not rescaled), 2 objectives (minimize both);"
        + " concave Pareto front f2 = 1 - f1^2 where x2..xn = 0");
  }

  @Override
  double h(double f1, double g) {
    double r = f1 / g;
    return 1 - r * r;
  }
}
