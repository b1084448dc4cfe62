package io.sextant.evaluators.sor;

/**
 * One linear system of a sequence.
 *
 * @param index position in the sequence
 * @param matrix the system matrix (SPD, consistently ordered)
 * @param rhs the right-hand side (length = matrix dimension; do not modify)
 * @param context the instance's scalar context (the shift c, or sigma for diffusion)
 * @param beta spectral radius of the Jacobi iteration matrix
 * @param omegaStar instance-optimal relaxation 2 / (1 + sqrt(1 - beta^2))
 */
public record SorInstance(long index, CsrMatrix matrix, double[] rhs, double context, double beta, double omegaStar) {}
