package io.sextant.engine.program;

import java.util.Locale;

/**
 * The kinds of mutation, chosen uniformly among those a study enables. {@link #INSERT}, {@link #DELETE} and
 * {@link #MODIFY} are Chen et al. (2023)'s; {@link #FUNCTION}, {@link #COMPOSE} and {@link #WRAP} are ours (on
 * by default, option {@code mutations}). None of them names a particular function or program: compose and wrap draw
 * their function from the whole set by arity.
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
  FUNCTION,
  /**
   * Combine an argument with a state or the gradient: for a live statement's tensor argument {@code x}, insert
   * {@code t = f(x, y[, c])} right before it and rewire that argument to {@code t}, where {@code f} is a function of
   * two or three arguments (arity drawn first, each half of the time), {@code y} one of the variables {@code g},
   * {@code m}, {@code v} (their current values; not {@code x}) in random order with {@code x}, {@code c} a constant,
   * and {@code t} a fresh name, {@code x}'s name or {@code y}'s name (a third each: the last two update that
   * variable in place). One edit turns {@code update = g * lr1} into momentum ({@code m = interp(g, m, 0.9); update
   * = m * lr1}), which insert needs several edits for.
   */
  COMPOSE,
  /**
   * Wrap a live statement's tensor argument {@code x} in a unary elementwise function: insert {@code t = u(x)} right
   * before the statement and rewire that argument to {@code t} ({@code update = m * lr1} -> {@code t = tanh(m);
   * update = t * lr1}).
   */
  WRAP;

  /** The lower-case name used in options and trial metadata. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
