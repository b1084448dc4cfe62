package io.sextant.evaluators.sor;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Instance families of the SOR evaluator (the {@code family} option), each with the names of its instance features
 * (the context a trial is proposed with, and metrics of the trial).
 *
 * <ul>
 *   <li>{@code high-variance}: A + c I on the N x N grid, c = -0.15 + 0.6 Beta(0.5, 1.5) (the reference's high-variance
 *       family); feature {@code shift};
 *   <li>{@code low-variance}: A + c I, c = 0.6 Beta(2, 6); feature {@code shift};
 *   <li>{@code diffusion}: variable-coefficient diffusion -div(k grad u), k = exp(sigma g) with g a random smooth
 *       field (9 sine modes) and sigma ~ U(0, 1.5); feature {@code sigma};
 *   <li>{@code rectangle}: A + c I with A the 5-point Laplacian on an nx x ny grid, nx and ny uniform on 4..14 (aspect
 *       ratios up to 3.5), c = 0.6 Beta(2, 6); features {@code nx}, {@code ny}, {@code shift};
 *   <li>{@code variable-coefficient}: -div(k grad u) on the N x N grid with k = contrast^g, g a random smooth field
 *       (sine modes up to 6 x 6 damped by exp(-pi^2 (p^2 + q^2) l^2 / 4)) rescaled to [0, 1] on the grid, so k spans
 *       exactly [1, contrast]; contrast = 10^(3 U) (1 to 1000) and correlation length l ~ U(0.05, 0.5); features
 *       {@code contrast}, {@code correlation};
 *   <li>{@code poisson-3d}: the 7-point Laplacian on an n x n x n grid, n uniform on 3..8 (27 to 512 unknowns);
 *       feature {@code n}.
 * </ul>
 *
 * For the shifted square families the shift is multiplied by {@code (1 - cos(pi / (N + 1))) / (1 - cos(pi / 11))}, the
 * ratio of the smallest eigenvalue of the N x N Laplacian to that of the reference's 10 x 10 one, so A + c I stays
 * positive definite on every grid; the factor is exactly 1 for N = 10, giving the reference's instances. The
 * {@code grid} option (N) applies to the square families; {@code rectangle} and {@code poisson-3d} draw their sizes.
 */
public enum SorFamily {
  HIGH_VARIANCE("high-variance", "shift"),
  LOW_VARIANCE("low-variance", "shift"),
  DIFFUSION("diffusion", "sigma"),
  RECTANGLE("rectangle", "nx", "ny", "shift"),
  VARIABLE_COEFFICIENT("variable-coefficient", "contrast", "correlation"),
  POISSON_3D("poisson-3d", "n");

  private final String id;
  private final List<String> features;

  SorFamily(String id, String... features) {
    this.id = id;
    this.features = List.of(features);
  }

  /** The option value naming this family. */
  public String id() {
    return id;
  }

  /** Names of the instance features, in order (reported as metrics, sent as the bandit context). */
  public List<String> features() {
    return features;
  }

  /** Name of the first feature (the only one of the single-feature families). */
  public String contextName() {
    return features.getFirst();
  }

  public static Optional<SorFamily> byId(String id) {
    return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
  }

  /** The option values, for messages and option docs. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(SorFamily::id).toList();
  }
}
