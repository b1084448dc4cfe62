package io.sextant.evaluators.proxy;

import java.util.SplittableRandom;

/**
 * A small training problem on which an optimizer program is scored: a differentiable loss over weights with
 * stochastic minibatch gradients and a held-out validation loss. Implementations are immutable and thread-safe;
 * {@link #instance} draws data and initial weights from the seed only (same seed, same instance).
 */
public sealed interface ProxyTask permits LogisticTask, MlpTask, QuadraticTask {
  /** Stable identifier, e.g. {@code mlp-spirals}. */
  String id();

  /** The data and initial weights for one seed. */
  Instance instance(long seed);

  /** One seeded instance of a task. Not thread-safe (scratch buffers): one per run. */
  interface Instance {
    /** A fresh copy of the initial weights. */
    double[] initialWeights();

    /** Writes the minibatch gradient at {@code w} into {@code out}, drawing the batch from {@code rng}. */
    void gradient(double[] w, SplittableRandom rng, double[] out);

    /**
     * The minibatch training loss whose gradient {@link #gradient} computes, for the batch that {@code rng} draws
     * (same generator state, same batch); used to check gradients by finite differences.
     */
    double batchLoss(double[] w, SplittableRandom rng);

    /** Validation loss at {@code w} (finite for finite w, may be +infinity on overflow). */
    double validationLoss(double[] w);
  }
}
