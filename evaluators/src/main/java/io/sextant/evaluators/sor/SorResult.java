package io.sextant.evaluators.sor;

/**
 * Outcome of one SOR solve.
 *
 * @param iterations sweeps performed: the first k with ||b - A x_k|| / ||b - A x_0|| below the tolerance, or the cap
 *     when it never got there (0 when the initial residual is already 0)
 * @param converged whether the tolerance was reached within the cap
 * @param relativeResidual ||r_k|| / ||r_0|| after the last sweep (0 when r_0 = 0)
 */
public record SorResult(int iterations, boolean converged, double relativeResidual) {}
