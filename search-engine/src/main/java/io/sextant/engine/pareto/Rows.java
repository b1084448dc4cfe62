package io.sextant.engine.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Shape checks and the lexicographic order the ranking algorithms share. */
final class Rows {
  private Rows() {}

  /** Returns the common row length m (0 for no rows); rejects ragged arrays. */
  static int checkShape(double[][] pts) {
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

  /** Copies with -0.0 folded into 0.0; NaN rows become null (excluded). */
  static double[][] clean(double[][] pts) {
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

  /** Indices of rows without NaN, sorted lexicographically (numeric order; -0.0 was already folded into 0.0). */
  static Integer[] sortedValidRows(double[][] p) {
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
}
