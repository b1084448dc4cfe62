package io.sextant.engine.program;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What kind of optimizer a program is, read off its simplified computation graph, for people (the API's lineage
 * view, the benchmark's tables). The search never uses it: selection sees fitness only, and no mutation prefers a
 * family. The first family that matches, in this order:
 * <ul>
 *   <li>{@link #LION_LIKE}: the update contains {@code sign(interp(g, m, a))} (either argument order, m the state
 *       before the step) and the new m is a separate {@code interp(g, m, b)} (the benchmark's Lion-family check);
 *   <li>{@link #SIGN_BASED}: the update contains the sign of something that depends on the gradient;
 *   <li>{@link #ADAM_LIKE}: the update divides by (or takes the reciprocal of) something that reads a state;
 *   <li>{@link #MOMENTUM}: the update reads a state that accumulates the gradient (the new m or v depends on both
 *       the gradient and its own previous value);
 *   <li>{@link #SGD_LIKE}: the update depends on the gradient, not on a state;
 *   <li>{@link #OTHER}: anything else (e.g. an update that ignores the gradient).
 * </ul>
 */
public enum ProgramFamily {
  LION_LIKE("sign of a momentum-gradient interpolation, separate momentum (Lion-like)"),
  SIGN_BASED("sign-based"),
  ADAM_LIKE("adaptive: divides by a state (Adam-like)"),
  MOMENTUM("momentum"),
  SGD_LIKE("gradient only (SGD-like)"),
  OTHER("other");

  private static final Expr.Input G = new Expr.Input(1);
  private static final Expr.Input M = new Expr.Input(2);
  private static final Expr.Input V = new Expr.Input(3);

  private final String description;

  ProgramFamily(String description) {
    this.description = description;
  }

  /** The lower-case key ({@code lion-like}, {@code sign-based}, ...). */
  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public String description() {
    return description;
  }

  /** The family of a program (judged on its simplified form). */
  public static ProgramFamily of(Program program) {
    ProgramGraph graph = ProgramGraph.of(Simplifier.simplify(program));
    Expr update = graph.outputs().get(0);
    Expr newM = graph.outputs().get(1);
    Expr newV = graph.outputs().get(2);
    if (lionLike(update, newM)) {
      return LION_LIKE;
    }
    if (any(update, e -> e instanceof Expr.Call c && c.fn() == Fn.SIGN && dependsOn(c.args().get(0), G))) {
      return SIGN_BASED;
    }
    boolean readsState = dependsOn(update, M) || dependsOn(update, V);
    if (any(update, e -> e instanceof Expr.Call c && (c.fn() == Fn.DIV && readsState(c.args().get(1))
        || c.fn() == Fn.RECIPROCAL && readsState(c.args().get(0))))) {
      return ADAM_LIKE;
    }
    boolean accumulates = dependsOn(update, M) && dependsOn(newM, G) && dependsOn(newM, M)
        || dependsOn(update, V) && dependsOn(newV, G) && dependsOn(newV, V);
    if (accumulates) {
      return MOMENTUM;
    }
    return dependsOn(update, G) ? SGD_LIKE : OTHER;
  }

  /**
   * Lion's family: the update contains {@code sign(interp(g, m, a))} and the new m is {@code interp(g, m, b)} (both
   * on the inputs, either argument order), a different expression from the one inside the sign.
   */
  static boolean lionLike(Expr update, Expr newM) {
    Set<Long> signInterps = new HashSet<>();
    any(update, e -> {
      if (e instanceof Expr.Call c && c.fn() == Fn.SIGN && c.args().get(0) instanceof Expr.Call in
          && in.fn() == Fn.INTERP && interpOfGradientAndM(in)) {
        signInterps.add(in.hash());
      }
      return false;
    });
    return !signInterps.isEmpty() && newM instanceof Expr.Call c && c.fn() == Fn.INTERP && interpOfGradientAndM(c)
        && !signInterps.contains(newM.hash());
  }

  private static boolean interpOfGradientAndM(Expr.Call c) {
    Expr a = c.args().get(0);
    Expr b = c.args().get(1);
    return (a.equals(G) && b.equals(M) || a.equals(M) && b.equals(G)) && c.args().get(2) instanceof Expr.Constant;
  }

  private static boolean readsState(Expr e) {
    return dependsOn(e, M) || dependsOn(e, V);
  }

  static boolean dependsOn(Expr e, Expr input) {
    return any(e, x -> x.equals(input));
  }

  /** Whether some node of the DAG under {@code e} (itself included) satisfies {@code p}; each node visited once. */
  static boolean any(Expr e, Predicate<Expr> p) {
    return any(e, p, new HashSet<>());
  }

  private static boolean any(Expr e, Predicate<Expr> p, Set<Long> seen) {
    if (!seen.add(e.hash())) {
      return false;
    }
    if (p.test(e)) {
      return true;
    }
    if (e instanceof Expr.Call c) {
      for (Expr a : c.args()) {
        if (any(a, p, seen)) {
          return true;
        }
      }
    }
    return false;
  }
}
