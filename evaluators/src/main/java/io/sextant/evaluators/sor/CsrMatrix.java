package io.sextant.evaluators.sor;

import java.util.Arrays;

/**
 * A square sparse matrix in compressed sparse row form. Row {@code i} holds the entries
 * {@code values[rowStart[i] .. rowStart[i+1])} at columns {@code columns[...]} (ascending within a row). Immutable by
 * convention: the arrays are copied on construction and never exposed for writing, so instances are thread-safe.
 *
 * @param n the dimension
 * @param rowStart length n + 1, non-decreasing, rowStart[0] = 0
 * @param columns column index of each stored entry
 * @param values value of each stored entry
 */
public record CsrMatrix(int n, int[] rowStart, int[] columns, double[] values) {
  public CsrMatrix {
    if (n < 1 || rowStart.length != n + 1 || rowStart[0] != 0 || columns.length != values.length
        || rowStart[n] != values.length) {
      throw new IllegalArgumentException("inconsistent CSR arrays");
    }
    rowStart = rowStart.clone();
    columns = columns.clone();
    values = values.clone();
    for (int i = 0; i < n; i++) {
      for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
        if (columns[k] < 0 || columns[k] >= n || (k > rowStart[i] && columns[k] <= columns[k - 1])) {
          throw new IllegalArgumentException("columns of row " + i + " must be ascending and within [0, n)");
        }
      }
    }
  }

  /** {@code y = A x}; x and the result have length n. */
  public double[] multiply(double[] x) {
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
        s += values[k] * x[columns[k]];
      }
      y[i] = s;
    }
    return y;
  }

  /** The diagonal (0 where no diagonal entry is stored). */
  public double[] diagonal() {
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
        if (columns[k] == i) {
          d[i] = values[k];
        }
      }
    }
    return d;
  }

  /** {@code A + c I}; requires every diagonal entry to be stored. */
  public CsrMatrix shifted(double c) {
    double[] v = values.clone();
    for (int i = 0; i < n; i++) {
      boolean found = false;
      for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
        if (columns[k] == i) {
          v[k] += c;
          found = true;
        }
      }
      if (!found) {
        throw new IllegalStateException("row " + i + " stores no diagonal entry");
      }
    }
    return new CsrMatrix(n, rowStart, columns, v);
  }

  /** Entry (i, j), 0 when not stored. */
  public double get(int i, int j) {
    int k = Arrays.binarySearch(columns, rowStart[i], rowStart[i + 1], j);
    return k >= 0 ? values[k] : 0.0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CsrMatrix m && n == m.n && Arrays.equals(rowStart, m.rowStart)
        && Arrays.equals(columns, m.columns) && Arrays.equals(values, m.values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(rowStart) + Arrays.hashCode(columns)) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "CsrMatrix[n=" + n + ", nnz=" + values.length + "]";
  }
}
