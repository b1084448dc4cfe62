package io.sextant.evaluators.proxy;

import io.sextant.engine.program.CompiledProgram;
import java.util.SplittableRandom;

/** Trains one task instance with one program at one learning rate; divergence gives +infinity, never an exception. */
public final class ProxyRunner {
  /** Weights beyond this magnitude count as divergence. */
  public static final double BLOW_UP = 1e4;

  private ProxyRunner() {}

  /**
   * Final validation loss after {@code steps} minibatch steps of {@code w <- w - update}, batches drawn from a
   * generator seeded with {@code batchSeed}; +infinity when the weights or the loss become non-finite or exceed
   * {@link #BLOW_UP}.
   */
  public static double finalLoss(CompiledProgram program, ProxyTask.Instance instance, double lr, int steps,
      long batchSeed) {
    double[] w = instance.initialWeights();
    int n = w.length;
    double[] g = new double[n];
    double[] u = new double[n];
    CompiledProgram.Run run = program.start(n);
    SplittableRandom rng = new SplittableRandom(batchSeed);
    for (int t = 0; t < steps; t++) {
      instance.gradient(w, rng, g);
      run.step(w, g, lr, u);
      for (int i = 0; i < n; i++) {
        double x = w[i] - u[i];
        if (!(Math.abs(x) <= BLOW_UP)) { // also catches NaN
          return Double.POSITIVE_INFINITY;
        }
        w[i] = x;
      }
    }
    double loss = instance.validationLoss(w);
    return Double.isFinite(loss) ? loss : Double.POSITIVE_INFINITY;
  }
}
