package io.sextant.engine.program;

import java.util.Locale;

/**
 * The kinds of mutation, chosen uniformly among those a study enables. {@link #INSERT}, {@link #DELETE} and
 * {@link #MODIFY} are Chen et al. (2023)'s; {@link #FUNCTION} is ours (on by default, option {@code mutations}).
 */
public enum Mutation {
  /** Insert a random statement at a random position. */
  INSERT,
  /** Delete a random statement. */
  DELETE,
  /** Replace one argument: another variable in scope, a new constant, or a perturbed constant (x 2^N(0,1)). */
  MODIFY,
  /**
   * Replace a statement's function by another one, keeping its arguments in order (dropping the extra ones, drawing
   * missing ones as for a new statement): one edit turns {@code m / sqrt(v)} into {@code sign(m)}, which argument
   * edits alone reach only through an inserted statement plus a rewiring.
   */
  FUNCTION;

  /** The lower-case name used in options and trial metadata. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
