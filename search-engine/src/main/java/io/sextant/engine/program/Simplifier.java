package io.sextant.engine.program;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Simplification for display: dead-code removal, common subexpressions shared, constant folding, identities
 * ({@code x*1}, {@code x+0}, {@code x-0}, {@code x/1}, {@code interp(x, y, 0)}, {@code interp(x, y, 1)},
 * {@code neg(neg(x))}, {@code (x*a)*b}), {@code x/sqrt(x*x)}, {@code x/sqrt(square(x))} and {@code x/abs(x)} as
 * {@code sign(x)}, and chained interpolations with constant weights merged into one:
 * {@code interp(interp(x, y, a), y, b) = interp(x, y, 1-(1-a)(1-b))},
 * {@code interp(x, interp(x, y, a), b) = interp(x, y, a*b)} (and the same with an inner interpolation's arguments
 * swapped), and the sign of x over sqrt or abs of something, of x times a positive constant, or of sign(x), as
 * {@code sign(x)}.
 *
 * <p>The result computes the same values as the input except where the division guard was active (a division by a
 * value of magnitude below {@link Fn#EPS}, e.g. {@code 0/sqrt(0*0) = 0 = sign(0)} still holds but {@code 1e-9/1e-9}
 * is not 1 under the guard). A rewrite that would turn a tensor into a scalar is not applied.
 */
public final class Simplifier {
  private Simplifier() {}

  public static Program simplify(Program p) {
    ProgramGraph g = ProgramGraph.of(p);
    Map<Expr, Expr> memo = new HashMap<>();
    Map<Expr, String> names = new HashMap<>();
    List<Expr> outs = new ArrayList<>();
    for (Expr e : g.outputs()) {
      outs.add(rewrite(e, memo, g.names(), names));
    }
    return Linearizer.linearize(new ProgramGraph(outs, names));
  }

  private static Expr rewrite(Expr e, Map<Expr, Expr> memo, Map<Expr, String> oldNames, Map<Expr, String> names) {
    if (!(e instanceof Expr.Call c)) {
      return e;
    }
    Expr done = memo.get(c);
    if (done != null) {
      return done;
    }
    List<Expr> args = new ArrayList<>();
    for (Expr a : c.args()) {
      args.add(rewrite(a, memo, oldNames, names));
    }
    Expr r = Expr.Call.of(c.fn(), args);
    for (int round = 0; round < 8 && r instanceof Expr.Call rc; round++) {
      Expr next = step(rc);
      if (next.tensor() != rc.tensor() || next.equals(rc)) {
        break;
      }
      r = next;
    }
    String n = oldNames.get(c);
    if (n != null && r instanceof Expr.Call) {
      names.putIfAbsent(r, n);
    }
    memo.put(c, r);
    return r;
  }

  private static boolean isConst(Expr e, double v) {
    return e instanceof Expr.Constant k && k.value() == v;
  }

  /** One rewrite at the root, or the node itself. */
  private static Expr step(Expr.Call c) {
    List<Expr> a = c.args();
    // constant folding
    if (a.stream().allMatch(x -> x instanceof Expr.Constant)) {
      double[] v = a.stream().mapToDouble(x -> ((Expr.Constant) x).value()).toArray();
      double r = CompiledProgram.applyScalar(c.fn(), v);
      return Double.isFinite(r) ? new Expr.Constant(r) : c;
    }
    Expr x = a.get(0);
    switch (c.fn()) {
      case MUL -> {
        if (isConst(a.get(1), 1)) {
          return x;
        }
        if (isConst(x, 1)) {
          return a.get(1);
        }
        // (y * k1) * k2 -> y * (k1 * k2)
        if (a.get(1) instanceof Expr.Constant k2 && x instanceof Expr.Call inner && inner.fn() == Fn.MUL
            && inner.args().get(1) instanceof Expr.Constant k1) {
          return Expr.Call.of(Fn.MUL, List.of(inner.args().get(0), new Expr.Constant(k1.value() * k2.value())));
        }
      }
      case ADD -> {
        if (isConst(a.get(1), 0)) {
          return x;
        }
        if (isConst(x, 0)) {
          return a.get(1);
        }
      }
      case SUB -> {
        if (isConst(a.get(1), 0)) {
          return x;
        }
      }
      case DIV -> {
        Expr d = a.get(1);
        if (isConst(d, 1)) {
          return x;
        }
        if (d instanceof Expr.Call dc && (dc.fn() == Fn.ABS && dc.args().get(0).equals(x)
            || dc.fn() == Fn.SQRT && dc.args().get(0) instanceof Expr.Call sq && isSquareOf(sq, x))) {
          return Expr.Call.of(Fn.SIGN, List.of(x));
        }
      }
      case NEG -> {
        if (x instanceof Expr.Call inner && inner.fn() == Fn.NEG) {
          return inner.args().get(0);
        }
      }
      case INTERP -> {
        Expr y = a.get(1);
        Expr w = a.get(2);
        if (isConst(w, 0)) {
          return x;
        }
        if (isConst(w, 1)) {
          return y;
        }
        if (x.equals(y)) {
          return x;
        }
        if (w instanceof Expr.Constant b) {
          if (x instanceof Expr.Call ix && ix.fn() == Fn.INTERP && ix.args().get(1).equals(y)
              && ix.args().get(2) instanceof Expr.Constant ka) {
            double merged = 1 - (1 - ka.value()) * (1 - b.value());
            return Expr.Call.of(Fn.INTERP, List.of(ix.args().get(0), y, new Expr.Constant(merged)));
          }
          if (y instanceof Expr.Call iy && iy.fn() == Fn.INTERP && iy.args().get(0).equals(x)
              && iy.args().get(2) instanceof Expr.Constant ka) {
            return Expr.Call.of(Fn.INTERP, List.of(x, iy.args().get(1), new Expr.Constant(ka.value() * b.value())));
          }
          // the same two with an interpolation's arguments the other way round
          if (x instanceof Expr.Call ix && ix.fn() == Fn.INTERP && ix.args().get(0).equals(y)
              && ix.args().get(2) instanceof Expr.Constant ka) {
            return Expr.Call.of(Fn.INTERP, List.of(y, ix.args().get(1),
                new Expr.Constant(ka.value() * (1 - b.value()))));
          }
          if (y instanceof Expr.Call iy && iy.fn() == Fn.INTERP && iy.args().get(1).equals(x)
              && iy.args().get(2) instanceof Expr.Constant ka) {
            return Expr.Call.of(Fn.INTERP, List.of(x, iy.args().get(0),
                new Expr.Constant(b.value() * (1 - ka.value()))));
          }
        }
      }
      case SIGN -> {
        // the sign of x over a positive value (sqrt, abs: the guard keeps the denominator positive), of x times a
        // positive constant, or of a sign, is the sign of x
        if (x instanceof Expr.Call in && in.fn() == Fn.DIV && in.args().get(1) instanceof Expr.Call d
            && (d.fn() == Fn.SQRT || d.fn() == Fn.ABS)) {
          return Expr.Call.of(Fn.SIGN, List.of(in.args().get(0)));
        }
        if (x instanceof Expr.Call in && in.fn() == Fn.MUL) {
          for (int i = 0; i < 2; i++) {
            if (in.args().get(i) instanceof Expr.Constant k && k.value() > 0) {
              return Expr.Call.of(Fn.SIGN, List.of(in.args().get(1 - i)));
            }
          }
        }
        if (x instanceof Expr.Call in && in.fn() == Fn.SIGN) {
          return in;
        }
      }
      default -> {}
    }
    return c;
  }

  private static boolean isSquareOf(Expr.Call sq, Expr x) {
    return sq.fn() == Fn.SQUARE && sq.args().get(0).equals(x)
        || sq.fn() == Fn.MUL && sq.args().get(0).equals(x) && sq.args().get(1).equals(x);
  }
}
