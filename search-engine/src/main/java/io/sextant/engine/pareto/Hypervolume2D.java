package io.sextant.engine.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact hypervolume for one or two objectives in O(n log n): sort by the first objective, then sweep, adding
 * {@code (ref1 - x) * (previous y - y)} for every point that improves the best second objective seen so far. For
 * one objective the volume is {@code ref - min}. Contributions are exact in O(n log n) as well. See
 * {@link Hypervolume} for the contract. Stateless and thread-safe.
 */
public final class Hypervolume2D implements Hypervolume {
  static final Hypervolume2D INSTANCE = new Hypervolume2D();

  /** The shared instance. */
  public static Hypervolume2D instance() {
    return INSTANCE;
  }

  private Hypervolume2D() {}

  @Override
  public double compute(double[][] points, double[] ref) {
    int m = check(points, ref);
    double[][] p = HvInput.kept(points, ref);
    if (p == null) {
      return Double.POSITIVE_INFINITY;
    }
    if (p.length == 0) {
      return 0.0;
    }
    if (m == 1) {
      double min = Double.POSITIVE_INFINITY;
      for (double[] q : p) {
        min = Math.min(min, q[0]);
      }
      return ref[0] - min;
    }
    double[][] sorted = p.clone();
    Arrays.sort(sorted, (a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
    return sweep(sorted, ref[0], ref[1]);
  }

  /** The sweep over rows sorted by (x, y), all strictly inside the reference box. */
  static double sweep(double[][] sorted, double rx, double ry) {
    double hv = 0.0;
    double prevY = ry;
    for (double[] q : sorted) {
      if (q[1] < prevY) {
        hv += (rx - q[0]) * (prevY - q[1]);
        prevY = q[1];
      }
    }
    return hv;
  }

  /**
   * O(n log n). Front point i (sorted by x, y strictly decreasing) exclusively covers the box
   * {@code [x_i, x_{i+1}) x [y_i, y_{i-1})} (with {@code x_{n} = ref1}, {@code y_{-1} = ref2}) minus what the points
   * dominated by it cover inside that box; each dominated point falls in the box of the last front point left of it,
   * so the correction is one 2-D hypervolume per box over disjoint buckets.
   */
  @Override
  public double[] contributions(double[][] points, double[] ref) {
    int m = check(points, ref);
    double[] out = new double[points.length];
    List<Integer> valid = new ArrayList<>();
    for (int i = 0; i < points.length; i++) {
      if (HvInput.keeps(points[i], ref)) {
        valid.add(i);
      }
    }
    if (valid.isEmpty()) {
      return out;
    }
    if (m == 1) {
      int best = -1;
      int copies = 0;
      double second = ref[0];
      for (int i : valid) {
        double v = points[i][0];
        if (best < 0 || v < points[best][0]) {
          if (best >= 0) {
            second = points[best][0];
          }
          best = i;
          copies = 1;
        } else if (v == points[best][0]) {
          copies++;
        } else {
          second = Math.min(second, v);
        }
      }
      out[best] = copies > 1 ? 0.0 : second - points[best][0];
      return out;
    }
    Integer[] order = valid.toArray(Integer[]::new);
    Arrays.sort(order, (a, b) -> points[a][0] != points[b][0]
        ? Double.compare(points[a][0], points[b][0]) : Double.compare(points[a][1], points[b][1]));
    // Front: strictly improving y in (x, y) order; exact duplicates and weakly dominated points go to buckets.
    List<Integer> front = new ArrayList<>();
    List<Integer> rest = new ArrayList<>();
    double bestY = Double.POSITIVE_INFINITY;
    for (int idx : order) {
      if (points[idx][1] < bestY) {
        front.add(idx);
        bestY = points[idx][1];
      } else {
        rest.add(idx);
      }
    }
    int f = front.size();
    double[] xs = new double[f];
    double[] ys = new double[f];
    for (int k = 0; k < f; k++) {
      xs[k] = points[front.get(k)][0];
      ys[k] = points[front.get(k)][1];
    }
    List<List<double[]>> buckets = new ArrayList<>(f);
    for (int k = 0; k < f; k++) {
      buckets.add(new ArrayList<>());
    }
    for (int idx : rest) {
      double[] q = points[idx];
      // last front point with x <= q.x; it exists because q is dominated by (or equal to) a front point
      int k = Arrays.binarySearch(xs, q[0]);
      if (k < 0) {
        k = -k - 2;
      } else {
        while (k + 1 < f && xs[k + 1] == q[0]) {
          k++;
        }
      }
      if (k < 0) {
        continue;
      }
      double top = k == 0 ? ref[1] : ys[k - 1];
      if (q[1] < top) {
        buckets.get(k).add(q);
      }
    }
    for (int k = 0; k < f; k++) {
      double right = k + 1 < f ? xs[k + 1] : ref[0];
      double top = k == 0 ? ref[1] : ys[k - 1];
      double box = (right - xs[k]) * (top - ys[k]);
      double covered = 0.0;
      List<double[]> b = buckets.get(k);
      if (!b.isEmpty()) {
        double[][] sorted = b.toArray(double[][]::new);
        Arrays.sort(sorted, (u, v) -> u[0] != v[0] ? Double.compare(u[0], v[0]) : Double.compare(u[1], v[1]));
        covered = sweep(sorted, right, top);
      }
      out[front.get(k)] = Math.max(0.0, box - covered);
    }
    return out;
  }

  private static int check(double[][] points, double[] ref) {
    int m = HvInput.check(points, ref);
    if (m > 2) {
      throw new IllegalArgumentException("Hypervolume2D handles 1 or 2 objectives, got " + m);
    }
    return m;
  }
}
