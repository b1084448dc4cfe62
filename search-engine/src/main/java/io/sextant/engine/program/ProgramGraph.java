package io.sextant.engine.program;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The computation graph of a program: the expressions of its three returned values, with common subexpressions
 * shared. Variable names, the order of independent statements and dead code do not appear in it, so two programs
 * with the same {@link #hash()} compute the same updates (up to 64-bit collisions). Two scalar forms are
 * canonicalized: the dot product of two scalars is their product, the mean of a scalar is the scalar. A state (m or v) that the update
 * never reads, neither directly nor through the other state, cannot change any update: its new value is dead too and
 * the graph returns it unchanged (so {@code m = interp(g, m, 0.9)} beside an update that ignores m hashes as if m were
 * left alone). Algebraic identities are not detected (sign(m) and m/sqrt(m*m) hash differently). Immutable.
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
      Fn fn = s.fn();
      if (fn == Fn.MEAN && !args.get(0).tensor()) {
        env.put(s.target(), args.get(0)); // the mean of a scalar is the scalar
        continue;
      }
      if (fn == Fn.DOT && !args.get(0).tensor() && !args.get(1).tensor()) {
        fn = Fn.MUL; // the dot product of two scalars is their product
      }
      Fn op = fn;
      Expr.Call call = interned.computeIfAbsent(Expr.Call.of(op, args).hash(), h -> Expr.Call.of(op, args));
      names.putIfAbsent(call, s.target());
      env.put(s.target(), call);
    }
    List<Expr> outs = new ArrayList<>(p.returns().stream().map(env::get).toList());
    int observed = observedStates(outs);
    for (int k = 1; k < outs.size(); k++) {
      if ((observed & stateBit(k)) == 0) {
        outs.set(k, new Expr.Input(STATE_INPUT[k]));
      }
    }
    return new ProgramGraph(outs, names);
  }

  /** Input index of the state returned at output k (1: m, 2: v). */
  private static final int[] STATE_INPUT = {-1, Program.INPUTS.indexOf("m"), Program.INPUTS.indexOf("v")};

  private static int stateBit(int output) {
    return 1 << STATE_INPUT[output];
  }

  /**
   * The states (as input bits) whose value can reach an update: those the update reads, then those that the new value
   * of an observed state reads, to a fixed point.
   */
  private static int observedStates(List<Expr> outs) {
    Map<Expr, Integer> memo = new HashMap<>();
    int states = stateBit(1) | stateBit(2);
    int observed = inputsOf(outs.get(0), memo) & states;
    for (boolean grew = true; grew; ) {
      grew = false;
      for (int k = 1; k < outs.size(); k++) {
        if ((observed & stateBit(k)) != 0) {
          int more = inputsOf(outs.get(k), memo) & states & ~observed;
          if (more != 0) {
            observed |= more;
            grew = true;
          }
        }
      }
    }
    return observed;
  }

  /** The inputs an expression reads, as a bit set over input indices. */
  private static int inputsOf(Expr e, Map<Expr, Integer> memo) {
    return switch (e) {
      case Expr.Input in -> 1 << in.index();
      case Expr.Constant c -> 0;
      case Expr.Call c -> {
        Integer known = memo.get(c);
        if (known != null) {
          yield known;
        }
        int bits = 0;
        for (Expr a : c.args()) {
          bits |= inputsOf(a, memo);
        }
        memo.put(c, bits);
        yield bits;
      }
    };
  }

  /** Hash of the whole program: its three outputs in order. */
  public long hash() {
    long acc = 0x0B5E55EDL;
    for (Expr e : outputs) {
      acc = Hashing.mix(acc * 31 + e.hash());
    }
    return acc;
  }

  /**
   * Hash of the program's structure: as {@link #hash()} but with every constant the same placeholder, so programs
   * that differ only in their constants (a tuned learning-rate scale, a moved interpolation weight) share it. Used by
   * the designer's structural-novelty protection (option {@code protectAge}).
   */
  public long structureHash() {
    Map<Expr, Long> memo = new HashMap<>();
    long acc = 0x57_2C_7EL;
    for (Expr e : outputs) {
      acc = Hashing.mix(acc * 31 + structure(e, memo));
    }
    return acc;
  }

  /** {@link #structureHash()} as 16 hex digits. */
  public String structureHex() {
    return Hashing.hex(structureHash());
  }

  private static long structure(Expr e, Map<Expr, Long> memo) {
    return switch (e) {
      case Expr.Input in -> in.hash();
      case Expr.Constant c -> 0xC0C0_C0C0_C0C0_C0C0L;
      case Expr.Call c -> {
        Long known = memo.get(c);
        if (known != null) {
          yield known;
        }
        long[] h = new long[c.args().size()];
        for (int i = 0; i < h.length; i++) {
          h[i] = structure(c.args().get(i), memo);
        }
        if (c.fn().commutative()) {
          java.util.Arrays.sort(h);
        }
        long acc = Hashing.mix(0xF00D_0000L + c.fn().ordinal());
        for (long x : h) {
          acc = Hashing.mix(acc * 0x9E3779B97F4A7C15L + x);
        }
        memo.put(c, acc);
        yield acc;
      }
    };
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
