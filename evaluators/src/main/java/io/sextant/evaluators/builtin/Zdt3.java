package io.sextant.evaluators.builtin;

/**
 * ZDT3: h = 1 - sqrt(f1 / g) - (f1 / g) sin(10 pi f1); disconnected front (5 pieces). Inputs must lie in [0, 1]
 * (not rescaled).
 */
public final class Zdt3 extends Zdt {
  public Zdt3() {
    super("zdt3", "ZDT3: n >= 2 numeric parameters on [0, 1] (not rescaled), 2 objectives (minimize both);"
        + " disconnected Pareto front of 5 pieces where x2..xn = 0");
  }

  @Override
  double h(double f1, double g) {
    double r = f1 / g;
    return 1 - Math.sqrt(r) - r * Math.sin(10 * Math.PI * f1);
  }
}
