package io.sextant.engine.program;

/** The kinds of mutation, chosen uniformly (as in Chen et al. 2023). */
public enum Mutation {
  /** Insert a random statement at a random position. */
  INSERT,
  /** Delete a random statement. */
  DELETE,
  /** Replace one argument: another variable in scope, a new constant, or a perturbed constant (x 2^N(0,1)). */
  MODIFY
}
