package io.sextant.evaluators.builtin;

/** ZDT1: h = 1 - sqrt(f1 / g); convex front f2 = 1 - sqrt(f1). Inputs must lie in [0, 1] (not rescaled). */
public final class Zdt1 extends Zdt {
  public Zdt1() {
    super("zdt1", "ZDT1: n >= 2 numeric parameters on [0, 1] (not rescaled), 2 objectives (minimize both);"
        + " convex Pareto front f2 = 1 - sqrt(f1) where x2..xn = 0");
  }

  @Override
  double h(double f1, double g) {
    return 1 - Math.sqrt(f1 / g);
  }
}
