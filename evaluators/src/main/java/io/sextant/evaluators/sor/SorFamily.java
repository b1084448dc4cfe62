package io.sextant.evaluators.sor;

import java.util.Arrays;
import java.util.Optional;

/**
 * Instance families of the SOR evaluator (the {@code family} option), each with the name of its scalar context.
 *
 * <ul>
 *   <li>{@code high-variance}: A + c I, c = -0.15 + 0.6 Beta(0.5, 1.5) (the reference's high-variance family);
 *   <li>{@code low-variance}: A + c I, c = 0.6 Beta(2, 6);
 *   <li>{@code diffusion}: variable-coefficient diffusion -div(k grad u), k = exp(sigma g) with g a random smooth
 *       field (9 sine modes) and sigma ~ U(0, 1.5) the context: rougher coefficients move omega*.
 * </ul>
 *
 * For the shifted families the shift is multiplied by {@code (1 - cos(pi / (N + 1))) / (1 - cos(pi / 11))}, the
 * ratio of the smallest eigenvalue of the N x N Laplacian to that of the reference's 10 x 10 one, so A + c I stays
 * positive definite on every grid; the factor is exactly 1 for N = 10, giving the reference's instances.
 */
public enum SorFamily {
  HIGH_VARIANCE("high-variance", "shift"),
  LOW_VARIANCE("low-variance", "shift"),
  DIFFUSION("diffusion", "sigma");

  private final String id;
  private final String contextName;

  SorFamily(String id, String contextName) {
    this.id = id;
    this.contextName = contextName;
  }

  /** The option value naming this family. */
  public String id() {
    return id;
  }

  /** Name of the scalar context of an instance (reported as a metric, usable as a bandit context key). */
  public String contextName() {
    return contextName;
  }

  public static Optional<SorFamily> byId(String id) {
    return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
  }
}
