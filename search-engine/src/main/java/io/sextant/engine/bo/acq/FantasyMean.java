package io.sextant.engine.bo.acq;

/**
 * The posterior mean after one fantasy observation at a fixed point x, as a function of a query point q and the
 * standardized fantasy outcome z ~ N(0,1): {@code mean_z(q) = mean(q) + z * slope(q)} with
 * {@code slope(q) = Cov(f(q), f(x)) / sqrt(Var f(x) + noise)} (the slope b of {@link KnowledgeGradient}; the
 * observation is {@code y = mean(x) + sqrt(Var f(x) + noise) z}). Units are the posterior's (minimization).
 * Immutable and thread-safe; obtained from {@link Posterior#fantasyMean}.
 */
public interface FantasyMean {
  /**
   * Writes {@code mean(q)} into {@code out[0]} and {@code slope(q)} into {@code out[1]}; when the gradient arrays
   * are non-empty (length = dimension of q) writes d mean / d q and d slope / d q into them.
   */
  void evaluate(double[] q, double[] out, double[] meanGradient, double[] slopeGradient);
}
