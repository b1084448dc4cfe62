package io.sextant.engine.program;

import java.util.List;

/**
 * A node of a program's computation graph: an input by position, a constant by value, or a call of a function on
 * argument nodes. Graph nodes are hash-consed ({@link ProgramGraph}): equal hashes mean the same computation, so
 * {@code equals} compares hashes, not (possibly shared, deep) argument structure.
 */
public sealed interface Expr permits Expr.Input, Expr.Constant, Expr.Call {
  /** Structural hash: inputs by position, constants by value, calls by function and argument hashes. */
  long hash();

  /** True for tensors, false for scalars. */
  boolean tensor();

  /** Input {@code index} of {@link Program#INPUTS}. */
  record Input(int index) implements Expr {
    @Override
    public long hash() {
      return Hashing.mix(0x5EED_0000L + index);
    }

    @Override
    public boolean tensor() {
      return index != 4;
    }
  }

  /** A scalar constant. */
  record Constant(double value) implements Expr {
    public Constant {
      if (value == 0.0) {
        value = 0.0;
      }
    }

    @Override
    public long hash() {
      return Hashing.mix(Double.doubleToLongBits(value) ^ 0xC0C0_C0C0_C0C0_C0C0L);
    }

    @Override
    public boolean tensor() {
      return false;
    }
  }

  /** A call; {@code hash} and {@code tensor} are derived by {@link #of}. */
  record Call(Fn fn, List<Expr> args, long hash, boolean tensor) implements Expr {
    public Call {
      args = List.copyOf(args);
    }

    /** Builds a call, deriving its hash (argument order ignored for commutative functions) and type. */
    public static Call of(Fn fn, List<Expr> args) {
      long[] h = new long[args.size()];
      boolean[] t = new boolean[args.size()];
      for (int i = 0; i < h.length; i++) {
        h[i] = args.get(i).hash();
        t[i] = args.get(i).tensor();
      }
      if (fn.commutative()) {
        java.util.Arrays.sort(h);
      }
      long acc = Hashing.mix(0xF00D_0000L + fn.ordinal());
      for (long x : h) {
        acc = Hashing.mix(acc * 0x9E3779B97F4A7C15L + x);
      }
      return new Call(fn, args, acc, fn.resultIsTensor(t));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Call c && c.hash == hash && c.fn == fn;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(hash);
    }
  }
}
