package io.sextant.engine.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto dominance on points in <b>minimization</b> form (callers multiply maximized objectives by -1, see
 * {@code Direction#toMinimization}). {@code pts} is an {@code n x m} array: n points, m objectives, every row of the
 * same length.
 *
 * <p>Conventions: {@code a} dominates {@code b} when {@code a <= b} in every objective and {@code a < b} in at least
 * one, so equal points never dominate each other and both stay on the same front. {@code +/-Infinity} compare as
 * usual ({@code -Infinity} is the best value), {@code -0.0} equals {@code 0.0}. A row containing NaN is incomparable:
 * it is never on a front and gets rank -1. Stateless and thread-safe; inputs are never modified.
 */
public final class Pareto {
  private Pareto() {}

  /**
   * True when {@code a} dominates {@code b} (minimization). False whenever either contains NaN.
   *
   * @throws IllegalArgumentException when lengths differ
   */
  public static boolean dominates(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("points of different lengths: " + a.length + " and " + b.length);
    }
    boolean strictly = false;
    for (int i = 0; i < a.length; i++) {
      if (!(a[i] <= b[i])) {
        return false;
      }
      if (a[i] < b[i]) {
        strictly = true;
      }
    }
    return strictly;
  }

  /**
   * Indices (ascending) of the non-dominated points among the rows without NaN. O(n log n) for m <= 2, otherwise
   * O(n log n + n f m) where f is the size of the front.
   */
  public static int[] nonDominatedIndices(double[][] pts) {
    int m = checkShape(pts);
    if (m == 2) {
      int[] rank = ranks2dPrimitive(pts);
      int count = 0;
      for (int r : rank) {
        count += r == 0 ? 1 : 0;
      }
      int[] out = new int[count];
      for (int i = 0, k = 0; i < rank.length; i++) {
        if (rank[i] == 0) {
          out[k++] = i;
        }
      }
      return out;
    }
    double[][] p = clean(pts);
    Integer[] order = sortedValidRows(p);
    boolean[] onFront = new boolean[p.length];
    if (m <= 2) {
      sweep2d(p, order, m, onFront);
    } else {
      // Any dominator of a point precedes it in lexicographic order, so a point is on the front iff no earlier
      // front member dominates it (dominance is transitive), and later points never evict earlier members.
      List<double[]> front = new ArrayList<>();
      for (int idx : order) {
        boolean dominated = false;
        for (double[] q : front) {
          if (dominates(q, p[idx])) {
            dominated = true;
            break;
          }
        }
        if (!dominated) {
          front.add(p[idx]);
          onFront[idx] = true;
        }
      }
    }
    int count = 0;
    for (boolean b : onFront) {
      count += b ? 1 : 0;
    }
    int[] out = new int[count];
    for (int i = 0, k = 0; i < onFront.length; i++) {
      if (onFront[i]) {
        out[k++] = i;
      }
    }
    return out;
  }

  /**
   * Non-domination rank of every row: 0 for the non-dominated points, r + 1 for points dominated only by points of
   * rank <= r, -1 for rows with NaN. O(n log n) for m <= 2 (lexicographic sort, then a binary search over the
   * fronts' smallest second objective); otherwise O(n log n + n^2 m) in the worst case with O(n) extra memory.
   */
  public static int[] ranks(double[][] pts) {
    int m = checkShape(pts);
    if (m == 2) {
      return ranks2dPrimitive(pts);
    }
    double[][] p = clean(pts);
    int[] rank = new int[p.length];
    Arrays.fill(rank, -1);
    Integer[] order = sortedValidRows(p);
    if (m <= 2) {
      ranks2d(p, order, m, rank);
    } else {
      ranksGeneral(p, order, rank);
    }
    return rank;
  }

  /**
   * The general-dimension ranks ({@link #ranksGeneral}, O(n^2 m) worst case) for any m, 2 included: the reference the
   * 2-D fast path is tested against. Same contract as {@link #ranks}.
   */
  static int[] ranksGeneric(double[][] pts) {
    checkShape(pts);
    double[][] p = clean(pts);
    int[] rank = new int[p.length];
    Arrays.fill(rank, -1);
    ranksGeneral(p, sortedValidRows(p), rank);
    return rank;
  }

  /**
   * NSGA-II crowding distance of each row of one front ({@code n x m}, minimization form or not: it is symmetric).
   * Per objective the rows are sorted (ties by row index, so the result is deterministic); the two boundary rows get
   * {@code +Infinity} and every interior row adds {@code (f_next - f_prev) / (f_max - f_min)}. An objective with no
   * finite positive spread (all equal, or an infinite range) adds nothing to interior rows but still marks its
   * boundaries. Fronts of one or two rows are all boundary. Rows containing NaN are not allowed.
   *
   * @return an array of length n, entry i for row i, each {@code >= 0} or {@code +Infinity}
   * @throws IllegalArgumentException for ragged rows or a NaN
   */
  public static double[] crowdingDistance(double[][] front) {
    int m = checkShape(front);
    int n = front.length;
    double[] d = new double[n];
    if (n <= 2) {
      Arrays.fill(d, Double.POSITIVE_INFINITY);
      return d;
    }
    for (double[] row : front) {
      for (double v : row) {
        if (Double.isNaN(v)) {
          throw new IllegalArgumentException("crowding distance is undefined for NaN values");
        }
      }
    }
    Integer[] order = new Integer[n];
    for (int j = 0; j < m; j++) {
      final int obj = j;
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> {
        int c = Double.compare(front[a][obj] + 0.0, front[b][obj] + 0.0);
        return c != 0 ? c : Integer.compare(a, b);
      });
      d[order[0]] = Double.POSITIVE_INFINITY;
      d[order[n - 1]] = Double.POSITIVE_INFINITY;
      double range = front[order[n - 1]][obj] - front[order[0]][obj];
      if (!(range > 0) || !Double.isFinite(range)) {
        continue;
      }
      for (int k = 1; k < n - 1; k++) {
        d[order[k]] += (front[order[k + 1]][obj] - front[order[k - 1]][obj]) / range;
      }
    }
    return d;
  }

  /**
   * Deb's constrained domination: {@code a} (with total constraint violation {@code va}) constrained-dominates
   * {@code b} when a is feasible and b is not; or both are infeasible and {@code va < vb}; or both are feasible and a
   * dominates b. A violation is {@code 0} for feasible points, {@code > 0} (possibly {@code +Infinity}, e.g. for a
   * missing constraint metric) otherwise.
   *
   * @throws IllegalArgumentException for a negative or NaN violation, or points of different lengths
   */
  public static boolean constrainedDominates(double[] a, double va, double[] b, double vb) {
    checkViolation(va);
    checkViolation(vb);
    if (va == 0 && vb == 0) {
      return dominates(a, b);
    }
    if (a.length != b.length) {
      throw new IllegalArgumentException("points of different lengths: " + a.length + " and " + b.length);
    }
    return va < vb;
  }

  /**
   * Non-domination ranks under {@link #constrainedDominates constrained domination}: the feasible rows
   * ({@code violation[i] == 0}) get their {@link #ranks} among themselves (0, 1, ..., F - 1; -1 for a feasible row
   * with NaN, which stays excluded); the infeasible rows come after every feasible front, one rank per distinct
   * violation in increasing order (F, F + 1, ...), whatever their objective values (NaN included). Same
   * complexity as {@link #ranks} plus a sort of the infeasible rows.
   *
   * @param violation length n, each {@code >= 0} or {@code +Infinity}
   * @throws IllegalArgumentException for a length mismatch, a negative or NaN violation, or ragged rows
   */
  public static int[] constrainedRanks(double[][] pts, double[] violation) {
    checkShape(pts);
    if (violation.length != pts.length) {
      throw new IllegalArgumentException(
          "violation has " + violation.length + " entries for " + pts.length + " points");
    }
    List<Integer> feasible = new ArrayList<>();
    List<Integer> infeasible = new ArrayList<>();
    for (int i = 0; i < pts.length; i++) {
      checkViolation(violation[i]);
      (violation[i] == 0 ? feasible : infeasible).add(i);
    }
    int[] rank = new int[pts.length];
    double[][] fp = new double[feasible.size()][];
    for (int k = 0; k < fp.length; k++) {
      fp[k] = pts[feasible.get(k)];
    }
    int[] fr = ranks(fp);
    int fronts = 0;
    for (int k = 0; k < fr.length; k++) {
      rank[feasible.get(k)] = fr[k];
      fronts = Math.max(fronts, fr[k] + 1);
    }
    infeasible.sort((x, y) -> Double.compare(violation[x], violation[y]));
    int r = fronts - 1;
    double last = Double.NaN;
    for (int idx : infeasible) {
      if (violation[idx] != last) {
        r++;
        last = violation[idx];
      }
      rank[idx] = r;
    }
    return rank;
  }

  private static void checkViolation(double v) {
    if (!(v >= 0)) {
      throw new IllegalArgumentException("a constraint violation must be >= 0 (got " + v + ")");
    }
  }

  /**
   * The 2-D ranks of {@link #ranks2d} on primitive arrays only (no boxing, no comparator objects).
   *
   * <p>Sort: each valid row gets one packed {@code long} key, the order-preserving bit pattern of its first objective
   * with the lowest {@code b} bits replaced by the row index ({@code 2^b >= n}), and the keys are sorted with
   * {@link Arrays#sort(long[])}. Keys with different high parts are in exact first-objective order; rows whose first
   * objectives agree in the high bits (equal values, or bit patterns that differ only in the low b bits) form runs of
   * equal high parts, which are then re-sorted exactly by (first, second) objective with an index merge sort.
   * Exact in all cases; without many near-equal first objectives the fix-up is linear.
   *
   * <p>Ranks: the sorted objectives are copied into two sequential arrays, then each point's front is found by binary
   * search over the fronts' smallest second objective (the smallest is always the latest point added).
   */
  private static int[] ranks2dPrimitive(double[][] pts) {
    int n = pts.length;
    int[] rank = new int[n];
    Arrays.fill(rank, -1);
    int bits = n <= 1 ? 1 : 32 - Integer.numberOfLeadingZeros(n - 1);
    long low = (1L << bits) - 1;
    long[] keys = new long[n];
    int valid = 0;
    for (int i = 0; i < n; i++) {
      double x = pts[i][0];
      double y = pts[i][1];
      if (!Double.isNaN(x) && !Double.isNaN(y)) {
        keys[valid++] = (orderedBits(x) & ~low) | i;
      }
    }
    if (valid == 0) {
      return rank;
    }
    if (valid < n) {
      keys = Arrays.copyOf(keys, valid);
    }
    Arrays.sort(keys);
    int[] order = new int[valid];
    double[] sx = new double[valid];
    double[] sy = new double[valid];
    for (int k = 0; k < valid; k++) {
      int idx = (int) (keys[k] & low);
      order[k] = idx;
      sx[k] = pts[idx][0] + 0.0;
      sy[k] = pts[idx][1] + 0.0;
    }
    // Fix-up: inside a run of equal high parts the order is by row index; re-sort it exactly by (x, y).
    int[] tmp = null;
    for (int start = 0; start < valid; ) {
      long high = keys[start] & ~low;
      int end = start + 1;
      boolean sorted = true;
      while (end < valid && (keys[end] & ~low) == high) {
        sorted &= sx[end - 1] < sx[end] || (sx[end - 1] == sx[end] && sy[end - 1] <= sy[end]);
        end++;
      }
      if (!sorted) {
        if (tmp == null) {
          tmp = new int[valid];
        }
        sortRun(order, sx, sy, start, end, tmp);
      }
      start = end;
    }
    double[] minSecond = new double[valid];
    int fronts = 0;
    int prev = -1;
    for (int k = 0; k < valid; k++) {
      double x = sx[k];
      double y = sy[k];
      int r;
      if (k > 0 && x == sx[k - 1] && y == sy[k - 1]) {
        r = prev;
      } else {
        r = frontOf(minSecond, fronts, y);
        if (r == fronts) {
          fronts++;
        }
        minSecond[r] = y;
      }
      rank[order[k]] = r;
      prev = r;
    }
    return rank;
  }

  /**
   * Sorts {@code order[lo, hi)} and the parallel {@code sx, sy} exactly by (x, y), stably (index merge sort on
   * positions, then a permutation of the three arrays).
   */
  private static void sortRun(int[] order, double[] sx, double[] sy, int lo, int hi, int[] tmp) {
    int len = hi - lo;
    int[] a = new int[len];
    for (int k = 0; k < len; k++) {
      a[k] = lo + k;
    }
    int[] b = tmp;
    for (int width = 1; width < len; width *= 2) {
      for (int start = 0; start < len; start += 2 * width) {
        int mid = Math.min(start + width, len);
        int end = Math.min(start + 2 * width, len);
        int i = start;
        int j = mid;
        int k = start;
        while (i < mid && j < end) {
          int u = a[i];
          int v = a[j];
          boolean takeRight = sx[v] < sx[u] || (sx[v] == sx[u] && sy[v] < sy[u]);
          b[k++] = takeRight ? a[j++] : a[i++];
        }
        while (i < mid) {
          b[k++] = a[i++];
        }
        while (j < end) {
          b[k++] = a[j++];
        }
      }
      int[] t = a;
      a = b;
      b = t;
    }
    int[] o = new int[len];
    double[] x = new double[len];
    double[] y = new double[len];
    for (int k = 0; k < len; k++) {
      o[k] = order[a[k]];
      x[k] = sx[a[k]];
      y[k] = sy[a[k]];
    }
    System.arraycopy(o, 0, order, lo, len);
    System.arraycopy(x, 0, sx, lo, len);
    System.arraycopy(y, 0, sy, lo, len);
  }

  /** A long whose signed order is the numeric order of {@code v} (not NaN); -0.0 maps to the bits of 0.0. */
  private static long orderedBits(double v) {
    long b = Double.doubleToRawLongBits(v + 0.0);
    return b ^ ((b >> 63) & 0x7fffffffffffffffL);
  }

  /** Marks the 2-D (or 1-D, or 0-D) non-dominated points: sorted lexicographically, one sweep. */
  private static void sweep2d(double[][] p, Integer[] order, int m, boolean[] onFront) {
    boolean anyEarlier = false;
    double bestSecond = 0;
    int i = 0;
    while (i < order.length) {
      // Group of equal first objective; its candidates are the rows equal to the group's first (smallest) row.
      int start = i;
      double first = first(p[order[start]]);
      double groupMinSecond = second(p[order[start]], m);
      int end = start;
      while (end < order.length && first(p[order[end]]) == first) {
        end++;
      }
      boolean candidateSurvives = !anyEarlier || groupMinSecond < bestSecond;
      for (int k = start; k < end && second(p[order[k]], m) == groupMinSecond; k++) {
        onFront[order[k]] = candidateSurvives;
      }
      if (!anyEarlier || groupMinSecond < bestSecond) {
        bestSecond = groupMinSecond;
      }
      anyEarlier = true;
      i = end;
    }
  }

  /**
   * 2-D ranks. Rows are visited in lexicographic order; for distinct points every dominator comes earlier, and an
   * earlier distinct point q dominates p iff {@code q1 <= p1}. So p is dominated by front k iff the smallest second
   * objective of front k so far, {@code minSecond[k]}, is {@code <= p1}. minSecond is non-decreasing in k (a point
   * joins the first front whose minimum exceeds its p1, and all earlier fronts have minimum <= p1), so
   * rank(p) = first k with {@code minSecond[k] > p1}, found by binary search. Exact duplicates share a rank.
   */
  private static void ranks2d(double[][] p, Integer[] order, int m, int[] rank) {
    double[] minSecond = new double[order.length];
    int fronts = 0;
    for (int i = 0; i < order.length; i++) {
      int idx = order[i];
      if (i > 0 && Arrays.equals(p[idx], p[order[i - 1]])) {
        rank[idx] = rank[order[i - 1]];
        continue;
      }
      double y = second(p[idx], m);
      int lo = frontOf(minSecond, fronts, y);
      if (lo == fronts) {
        fronts++;
      }
      minSecond[lo] = y;
      rank[idx] = lo;
    }
  }

  /**
   * Any dimension: rank(p) = 1 + the highest rank among p's dominators, all of which precede p lexicographically.
   * Fronts are scanned from the highest rank down, so the first front holding a dominator decides.
   */
  private static void ranksGeneral(double[][] p, Integer[] order, int[] rank) {
    List<List<double[]>> fronts = new ArrayList<>();
    for (int idx : order) {
      int r = 0;
      for (int k = fronts.size() - 1; k >= 0 && r == 0; k--) {
        for (double[] q : fronts.get(k)) {
          if (dominates(q, p[idx])) {
            r = k + 1;
            break;
          }
        }
      }
      if (r == fronts.size()) {
        fronts.add(new ArrayList<>());
      }
      fronts.get(r).add(p[idx]);
      rank[idx] = r;
    }
  }

  /**
   * The front of a point in the 2-objective sweep: the first k in [0, fronts) with {@code minSecond[k] > y}
   * (binary search; minSecond is non-decreasing), or {@code fronts} when it starts a new front.
   */
  private static int frontOf(double[] minSecond, int fronts, double y) {
    if (fronts == 0) {
      return 0;
    }
    // Branch-free search (the comparison feeds a conditional move, not a jump: the outcome is unpredictable, so a
    // mispredicted branch per step would dominate): the answer stays in [base, base + len].
    int base = 0;
    int len = fronts;
    while (len > 1) {
      int half = len >>> 1;
      base = minSecond[base + half] <= y ? base + half : base;
      len -= half;
    }
    return minSecond[base] <= y ? base + 1 : base;
  }

  private static double first(double[] row) {
    return row.length == 0 ? 0.0 : row[0];
  }

  private static double second(double[] row, int m) {
    return m < 2 ? 0.0 : row[1];
  }

  /** Indices of rows without NaN, sorted lexicographically (numeric order; -0.0 was already folded into 0.0). */
  private static Integer[] sortedValidRows(double[][] p) {
    List<Integer> valid = new ArrayList<>(p.length);
    for (int i = 0; i < p.length; i++) {
      if (p[i] != null) {
        valid.add(i);
      }
    }
    Integer[] order = valid.toArray(Integer[]::new);
    Comparator<Integer> lex = (x, y) -> Arrays.compare(p[x], p[y]);
    Arrays.sort(order, lex);
    return order;
  }

  /** Copies with -0.0 folded into 0.0; NaN rows become null (excluded). */
  private static double[][] clean(double[][] pts) {
    double[][] out = new double[pts.length][];
    rows:
    for (int i = 0; i < pts.length; i++) {
      double[] row = new double[pts[i].length];
      for (int j = 0; j < row.length; j++) {
        double v = pts[i][j];
        if (Double.isNaN(v)) {
          continue rows;
        }
        row[j] = v + 0.0;
      }
      out[i] = row;
    }
    return out;
  }

  /** Returns the common row length m; rejects ragged arrays. */
  private static int checkShape(double[][] pts) {
    if (pts.length == 0) {
      return 0;
    }
    int m = pts[0].length;
    for (int i = 1; i < pts.length; i++) {
      if (pts[i].length != m) {
        throw new IllegalArgumentException(
            "row " + i + " has " + pts[i].length + " objectives, row 0 has " + m);
      }
    }
    return m;
  }
}
