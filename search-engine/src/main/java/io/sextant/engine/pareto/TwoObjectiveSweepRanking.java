package io.sextant.engine.pareto;

import java.util.Arrays;

/**
 * Ranking with exactly two objectives by one sweep, O(n log n): rows are visited in lexicographic order; for distinct
 * points every dominator comes earlier, and an earlier distinct point q dominates p iff {@code q1 <= p1}. So p is
 * dominated by front k iff the smallest second objective of front k so far, {@code minSecond[k]}, is {@code <= p1}.
 * minSecond is non-decreasing in k (a point joins the first front whose minimum exceeds its p1, and all earlier fronts
 * have minimum <= p1), so rank(p) = the first k with {@code minSecond[k] > p1}, found by binary search. Exact
 * duplicates share a rank. On primitive arrays only (no boxing, no comparator objects): NSGA-II's selection and the
 * API's /pareto run it on every call.
 */
public final class TwoObjectiveSweepRanking implements NonDominatedRanking {
  @Override
  public int[] ranks(double[][] pts) {
    int m = Rows.checkShape(pts);
    if (pts.length > 0 && m != 2) {
      throw new IllegalArgumentException("TwoObjectiveSweepRanking takes two objectives, not " + m);
    }
    return sweep(pts);
  }

  /**
   * Sort: each valid row gets one packed {@code long} key, the order-preserving bit pattern of its first objective
   * with the lowest {@code b} bits replaced by the row index ({@code 2^b >= n}), and the keys are sorted with
   * {@link Arrays#sort(long[])}. Keys with different high parts are in exact first-objective order; rows whose first
   * objectives agree in the high bits (equal values, or bit patterns that differ only in the low b bits) form runs of
   * equal high parts, which are then re-sorted exactly by (first, second) objective with an index merge sort.
   * Exact in all cases; without many near-equal first objectives the fix-up is linear.
   *
   * <p>Ranks: the sorted objectives are copied into two sequential arrays, then each point's front is found by binary
   * search over the fronts' smallest second objective (the smallest is always the latest point added).
   */
  private static int[] sweep(double[][] pts) {
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
}
