package io.sextant.engine.program;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a computation graph back into a program: one statement per live call node (depth-first order, outputs
 * update, m, v in turn), named by the node's original name where that is unambiguous, the returned state by
 * {@code m}/{@code v} where no later statement still reads the input of that name, and {@code t1, t2, ...}
 * otherwise.
 */
final class Linearizer {
  private Linearizer() {}

  static Program linearize(ProgramGraph graph) {
    List<Expr.Call> order = graph.liveCalls();
    Map<Expr, String> name = new HashMap<>();
    Set<String> used = new HashSet<>(Program.INPUTS);
    // Returned values first: update, then new m / new v when no later statement reads the input m / v.
    String[] outNames = {"update", "m", "v"};
    for (int k = 0; k < 3; k++) {
      Expr e = graph.outputs().get(k);
      if (!(e instanceof Expr.Call c) || name.containsKey(c)) {
        continue;
      }
      if (k == 0) {
        name.put(c, "update");
        used.add("update");
      } else if (!inputReadAfter(order, c, k + 1) && !graph.outputs().contains(new Expr.Input(k + 1))) {
        name.put(c, outNames[k]);
      }
    }
    int fresh = 0;
    for (Expr.Call c : order) {
      if (name.containsKey(c)) {
        continue;
      }
      String preferred = graph.names().get(c);
      if (preferred != null && !used.contains(preferred)) {
        name.put(c, preferred);
        used.add(preferred);
        continue;
      }
      String n;
      do {
        n = "t" + (++fresh);
      } while (used.contains(n));
      name.put(c, n);
      used.add(n);
    }
    List<Statement> body = new ArrayList<>();
    for (Expr.Call c : order) {
      List<Operand> args = c.args().stream().map(a -> operand(a, name)).toList();
      body.add(new Statement(name.get(c), c.fn(), args));
    }
    List<String> returns = graph.outputs().stream()
        .map(e -> ((Operand.Ref) operand(e, name)).name()).toList();
    return new Program(body, returns);
  }

  private static Operand operand(Expr e, Map<Expr, String> name) {
    return switch (e) {
      case Expr.Input in -> new Operand.Ref(Program.INPUTS.get(in.index()));
      case Expr.Constant k -> new Operand.Const(k.value());
      case Expr.Call c -> new Operand.Ref(name.get(c));
    };
  }

  /** True when a call emitted after {@code node} reads input {@code inputIndex} directly. */
  private static boolean inputReadAfter(List<Expr.Call> order, Expr.Call node, int inputIndex) {
    boolean after = false;
    for (Expr.Call c : order) {
      if (after) {
        for (Expr a : c.args()) {
          if (a instanceof Expr.Input in && in.index() == inputIndex) {
            return true;
          }
        }
      }
      if (c.equals(node)) {
        after = true;
      }
    }
    return false;
  }
}
