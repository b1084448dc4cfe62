package io.sextant.engine.pareto;

import java.util.ArrayList;
import java.util.Arrays;
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
    int m = Rows.checkShape(pts);
    if (m <= 2) {
      return indicesOfRankZero(ranking(m).ranks(pts));
    }
    double[][] p = Rows.clean(pts);
    // Any dominator of a point precedes it in lexicographic order, so a point is on the front iff no earlier front
    // member dominates it (dominance is transitive), and later points never evict earlier members.
    boolean[] onFront = new boolean[p.length];
    List<double[]> front = new ArrayList<>();
    for (int idx : Rows.sortedValidRows(p)) {
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

  private static int[] indicesOfRankZero(int[] rank) {
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

  /**
   * Non-domination rank of every row (the {@link NonDominatedRanking} contract) by the fastest exact algorithm for
   * the number of objectives ({@link #ranking}): O(n log n) for m <= 2, otherwise O(n log n + n^2 m) in the worst
   * case with O(n) extra memory.
   */
  public static int[] ranks(double[][] pts) {
    return ranking(Rows.checkShape(pts)).ranks(pts);
  }

  /**
   * The ranking algorithm {@link #ranks} uses for {@code m} objectives: {@link SingleObjectiveRanking} for m <= 1,
   * {@link TwoObjectiveSweepRanking} for m = 2, {@link SequentialSearchRanking} above.
   */
  public static NonDominatedRanking ranking(int m) {
    return m <= 1 ? SINGLE : m == 2 ? TWO : ANY;
  }

  private static final NonDominatedRanking SINGLE = new SingleObjectiveRanking();
  private static final NonDominatedRanking TWO = new TwoObjectiveSweepRanking();
  private static final NonDominatedRanking ANY = new SequentialSearchRanking();

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
    int m = Rows.checkShape(front);
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
   * Non-domination ranks under {@link #constrainedDominates constrained domination} ({@link ConstrainedRanking}, the
   * feasible rows ranked by {@link #ranks}).
   *
   * @param violation length n, each {@code >= 0} or {@code +Infinity}
   * @throws IllegalArgumentException for a length mismatch, a negative or NaN violation, or ragged rows
   */
  public static int[] constrainedRanks(double[][] pts, double[] violation) {
    return new ConstrainedRanking(Pareto::ranks).ranks(pts, violation);
  }

  static void checkViolation(double v) {
    if (!(v >= 0)) {
      throw new IllegalArgumentException("a constraint violation must be >= 0 (got " + v + ")");
    }
  }
}
