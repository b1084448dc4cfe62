package io.sextant.evaluators.sor;

import java.util.Map;

/**
 * One linear system of a sequence.
 *
 * @param index position in the sequence
 * @param matrix the system matrix (SPD, consistently ordered)
 * @param rhs the right-hand side (length = matrix dimension; do not modify)
 * @param features the instance's features, in the family's order (e.g. shift; nx, ny, shift)
 * @param beta spectral radius of the Jacobi iteration matrix
 * @param omegaStar instance-optimal relaxation 2 / (1 + sqrt(1 - beta^2))
 * @param textbookOmega the optimal relaxation of the instance's plain Poisson problem (same grid, no shift, constant
 *     coefficient): the value a textbook gives without looking at the instance
 */
public record SorInstance(long index, CsrMatrix matrix, double[] rhs, Map<String, Double> features, double beta,
    double omegaStar, double textbookOmega) {
  public SorInstance {
    features = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(features));
  }

  /** The first feature (the shift, or sigma, of the single-feature families). */
  public double context() {
    return features.values().iterator().next();
  }
}
