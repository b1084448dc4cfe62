package io.sextant.engine.pareto;

/** Dispatch by number of objectives to the fastest exact algorithm (see {@link Hypervolume#exact()}). */
final class ExactHypervolume implements Hypervolume {
  static final ExactHypervolume INSTANCE = new ExactHypervolume();

  private ExactHypervolume() {}

  @Override
  public double compute(double[][] points, double[] ref) {
    return pick(HvInput.check(points, ref)).compute(points, ref);
  }

  @Override
  public double[] contributions(double[][] points, double[] ref) {
    return pick(HvInput.check(points, ref)).contributions(points, ref);
  }

  private static Hypervolume pick(int m) {
    return switch (m) {
      case 1, 2 -> Hypervolume2D.INSTANCE;
      case 3 -> Hypervolume3D.INSTANCE;
      default -> WfgHypervolume.INSTANCE;
    };
  }
}
