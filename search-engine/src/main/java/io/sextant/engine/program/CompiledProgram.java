package io.sextant.engine.program;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A program ready to run: its live computation graph (dead code removed, common subexpressions computed once) as a
 * list of slot operations. Immutable and thread-safe; the mutable per-run state lives in {@link Run}.
 */
public final class CompiledProgram {
  private final Program program;
  private final Fn[] fns;
  private final int[][] argSlots;
  private final boolean[] slotTensor;
  private final double[] constants; // by slot; NaN for non-constant slots
  private final int[] outSlots;
  private final int[] callSlots;
  private final int slotCount;

  private CompiledProgram(Program program, ProgramGraph g) {
    this.program = program;
    List<Expr.Call> calls = g.liveCalls();
    Map<Expr, Integer> slot = new HashMap<>();
    java.util.ArrayList<Boolean> tensor = new java.util.ArrayList<>();
    java.util.ArrayList<Double> consts = new java.util.ArrayList<>();
    for (int i = 0; i < Program.INPUTS.size(); i++) {
      slot.put(new Expr.Input(i), i);
      tensor.add(i != 4);
      consts.add(Double.NaN);
    }
    fns = new Fn[calls.size()];
    argSlots = new int[calls.size()][];
    callSlots = new int[calls.size()];
    for (int k = 0; k < calls.size(); k++) {
      Expr.Call c = calls.get(k);
      int[] as = new int[c.args().size()];
      for (int j = 0; j < as.length; j++) {
        Expr a = c.args().get(j);
        Integer s = slot.get(a);
        if (s == null) {
          s = tensor.size();
          slot.put(a, s);
          tensor.add(false);
          consts.add(((Expr.Constant) a).value());
        }
        as[j] = s;
      }
      fns[k] = c.fn();
      argSlots[k] = as;
      callSlots[k] = tensor.size();
      slot.put(c, tensor.size());
      tensor.add(c.tensor());
      consts.add(Double.NaN);
    }
    slotCount = tensor.size();
    slotTensor = new boolean[slotCount];
    constants = new double[slotCount];
    for (int i = 0; i < slotCount; i++) {
      slotTensor[i] = tensor.get(i);
      constants[i] = consts.get(i);
    }
    outSlots = g.outputs().stream().mapToInt(slot::get).toArray();
  }

  public static CompiledProgram compile(Program p) {
    return new CompiledProgram(p, ProgramGraph.of(p));
  }

  public Program program() {
    return program;
  }

  /** Number of operations executed per step (live statements after sharing common subexpressions). */
  public int operations() {
    return fns.length;
  }

  /** A new run over {@code n} weights with m = v = 0. */
  public Run start(int n) {
    return new Run(n);
  }

  /**
   * The mutable state of one optimization run: m, v and scratch buffers. Not thread-safe: one run per thread.
   */
  public final class Run {
    private final int n;
    private final double[][] vals;
    private double[] m;
    private double[] v;
    private double[] nextM;
    private double[] nextV;

    private Run(int n) {
      this.n = n;
      vals = new double[slotCount][];
      for (int s = 0; s < slotCount; s++) {
        if (s >= Program.INPUTS.size()) {
          vals[s] = slotTensor[s] ? new double[n] : new double[1];
          if (!Double.isNaN(constants[s])) {
            vals[s][0] = constants[s];
          }
        }
      }
      vals[4] = new double[1];
      m = new double[n];
      v = new double[n];
      nextM = new double[n];
      nextV = new double[n];
    }

    public double[] m() {
      return m.clone();
    }

    public double[] v() {
      return v.clone();
    }

    /**
     * One step: computes {@code update} (written into {@code updateOut}, length n) from weights {@code w}, gradient
     * {@code g} and learning rate {@code lr}, and advances m and v. Does not modify {@code w} or {@code g}; the caller
     * applies {@code w -= update}.
     */
    public void step(double[] w, double[] g, double lr, double[] updateOut) {
      if (w.length != n || g.length != n || updateOut.length != n) {
        throw new IllegalArgumentException("expected tensors of length " + n);
      }
      vals[0] = w;
      vals[1] = g;
      vals[2] = m;
      vals[3] = v;
      vals[4][0] = lr;
      for (int k = 0; k < fns.length; k++) {
        execute(fns[k], argSlots[k], vals, vals[callSlots[k]]);
      }
      copyOut(vals[outSlots[0]], updateOut);
      copyOut(vals[outSlots[1]], nextM);
      copyOut(vals[outSlots[2]], nextV);
      double[] t = m;
      m = nextM;
      nextM = t;
      t = v;
      v = nextV;
      nextV = t;
    }

    private void copyOut(double[] src, double[] dst) {
      if (src.length == 1) {
        java.util.Arrays.fill(dst, src[0]);
      } else {
        System.arraycopy(src, 0, dst, 0, n);
      }
    }
  }

  static void execute(Fn fn, int[] args, double[][] vals, double[] out) {
    int len = out.length;
    switch (fn.kind()) {
      case ELEMENTWISE -> {
        double[] a = vals[args[0]];
        double[] b = args.length > 1 ? vals[args[1]] : a;
        double[] c = args.length > 2 ? vals[args[2]] : a;
        boolean sa = a.length == 1;
        boolean sb = b.length == 1;
        boolean sc = c.length == 1;
        for (int i = 0; i < len; i++) {
          out[i] = fn.apply(sa ? a[0] : a[i], sb ? b[0] : b[i], sc ? c[0] : c[i]);
        }
      }
      case REDUCTION -> out[0] = reduce(fn, vals[args[0]], args.length > 1 ? vals[args[1]] : null);
      case SPECIAL -> {
        double[] x = vals[args[0]];
        double c = Math.abs(vals[args[1]][0]);
        double norm = reduce(Fn.NORM, x, null);
        double f = Math.min(1.0, c / (norm + Fn.EPS));
        for (int i = 0; i < len; i++) {
          out[i] = x[i] * f;
        }
      }
    }
  }

  private static double reduce(Fn fn, double[] a, double[] b) {
    switch (fn) {
      case NORM, RMS, MEAN -> {
        double s = 0;
        for (double x : a) {
          s += fn == Fn.MEAN ? x : x * x;
        }
        return fn == Fn.NORM ? Math.sqrt(s) : fn == Fn.RMS ? Math.sqrt(s / a.length) : s / a.length;
      }
      case DOT, COSINE -> {
        int len = Math.max(a.length, b.length);
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < len; i++) {
          double x = a.length == 1 ? a[0] : a[i];
          double y = b.length == 1 ? b[0] : b[i];
          dot += x * y;
          na += x * x;
          nb += y * y;
        }
        return fn == Fn.DOT ? dot : dot / (Math.sqrt(na) * Math.sqrt(nb) + Fn.EPS);
      }
      default -> throw new IllegalStateException(fn + " is not a reduction");
    }
  }

  /** A function applied to scalar arguments (constant folding). */
  static double applyScalar(Fn fn, double[] args) {
    double[][] vals = new double[args.length][];
    int[] idx = new int[args.length];
    for (int i = 0; i < args.length; i++) {
      vals[i] = new double[] {args[i]};
      idx[i] = i;
    }
    double[] out = new double[1];
    execute(fn, idx, vals, out);
    return out[0];
  }
}
