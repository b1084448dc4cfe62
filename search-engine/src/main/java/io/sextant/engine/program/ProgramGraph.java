package io.sextant.engine.program;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The computation graph of a program: the expressions of its three returned values, with common subexpressions
 * shared. Variable names, the order of independent statements and dead code do not appear in it, so two programs
 * with the same {@link #hash()} compute the same thing (up to 64-bit collisions). Algebraic identities are not
 * detected (sign(m) and m/sqrt(m*m) hash differently). Immutable.
 *
 * @param outputs update, new m, new v
 * @param names for each call node, the first variable name it was assigned to (used when printing)
 */
public record ProgramGraph(List<Expr> outputs, Map<Expr, String> names) {
  public ProgramGraph {
    outputs = List.copyOf(outputs);
    names = Map.copyOf(names);
  }

  /** Builds the graph of a program. */
  public static ProgramGraph of(Program p) {
    Map<String, Expr> env = new HashMap<>();
    for (int i = 0; i < Program.INPUTS.size(); i++) {
      env.put(Program.INPUTS.get(i), new Expr.Input(i));
    }
    Map<Long, Expr.Call> interned = new HashMap<>();
    Map<Expr, String> names = new LinkedHashMap<>();
    for (Statement s : p.body()) {
      List<Expr> args = new ArrayList<>(s.args().size());
      for (Operand o : s.args()) {
        args.add(switch (o) {
          case Operand.Ref r -> env.get(r.name());
          case Operand.Const c -> new Expr.Constant(c.value());
        });
      }
      Expr.Call call = interned.computeIfAbsent(Expr.Call.of(s.fn(), args).hash(), h -> Expr.Call.of(s.fn(), args));
      names.putIfAbsent(call, s.target());
      env.put(s.target(), call);
    }
    List<Expr> outs = p.returns().stream().map(env::get).toList();
    return new ProgramGraph(outs, names);
  }

  /** Hash of the whole program: its three outputs in order. */
  public long hash() {
    long acc = 0x0B5E55EDL;
    for (Expr e : outputs) {
      acc = Hashing.mix(acc * 31 + e.hash());
    }
    return acc;
  }

  /** {@link #hash()} as 16 hex digits (the form stored in trial metadata). */
  public String hashHex() {
    return Hashing.hex(hash());
  }

  /** The call nodes reachable from the outputs, each after its arguments (depth-first, outputs in order). */
  public List<Expr.Call> liveCalls() {
    List<Expr.Call> order = new ArrayList<>();
    java.util.Set<Expr> seen = new java.util.HashSet<>();
    for (Expr e : outputs) {
      visit(e, seen, order);
    }
    return order;
  }

  private static void visit(Expr e, java.util.Set<Expr> seen, List<Expr.Call> order) {
    if (e instanceof Expr.Call c && seen.add(c)) {
      for (Expr a : c.args()) {
        visit(a, seen, order);
      }
      order.add(c);
    }
  }
}
