package io.sextant.evaluators.sor;

import java.util.function.DoubleBinaryOperator;

/** Five-point finite-difference matrices on an N x N interior grid, natural (row-major) ordering, no h^2 scaling. */
public final class Laplacians {
  private Laplacians() {}

  /** The 5-point Laplacian (diagonal 4, off-diagonals -1), n = N^2; Dirichlet boundary. */
  public static CsrMatrix poisson(int grid) {
    return diffusion(grid, (x, y) -> 1.0);
  }

  /**
   * The 5-point discretization of {@code -div(k grad u)} with Dirichlet boundary, scaled so that k = 1 gives
   * {@link #poisson}: the coupling between neighbouring nodes is the harmonic mean of k at the two nodes (boundary
   * faces use k at the interior node), the diagonal is the sum of a node's four face couplings. Symmetric positive
   * definite and consistently ordered, so Young's omega* formula applies. {@code k} is evaluated at (x, y) in
   * (0, 1)^2, node (i, j) at ((j + 1) h, (i + 1) h), h = 1 / (N + 1).
   */
  public static CsrMatrix diffusion(int grid, DoubleBinaryOperator k) {
    if (grid < 1 || grid > 4096) {
      throw new IllegalArgumentException("grid must be between 1 and 4096, got " + grid);
    }
    int n = grid * grid;
    double h = 1.0 / (grid + 1);
    double[][] kk = new double[grid + 2][grid + 2];
    for (int i = 0; i < grid + 2; i++) {
      for (int j = 0; j < grid + 2; j++) {
        kk[i][j] = k.applyAsDouble(j * h, i * h);
      }
    }
    int[] rowStart = new int[n + 1];
    int[] cols = new int[5 * n];
    double[] vals = new double[5 * n];
    int p = 0;
    for (int i = 0; i < grid; i++) {
      for (int j = 0; j < grid; j++) {
        int row = i * grid + j;
        rowStart[row] = p;
        double kc = kk[i + 1][j + 1];
        double south = face(kc, kk[i][j + 1], i > 0);
        double west = face(kc, kk[i + 1][j], j > 0);
        double east = face(kc, kk[i + 1][j + 2], j < grid - 1);
        double north = face(kc, kk[i + 2][j + 1], i < grid - 1);
        if (i > 0) {
          cols[p] = row - grid;
          vals[p++] = -south;
        }
        if (j > 0) {
          cols[p] = row - 1;
          vals[p++] = -west;
        }
        cols[p] = row;
        vals[p++] = south + west + east + north;
        if (j < grid - 1) {
          cols[p] = row + 1;
          vals[p++] = -east;
        }
        if (i < grid - 1) {
          cols[p] = row + grid;
          vals[p++] = -north;
        }
      }
    }
    rowStart[n] = p;
    return new CsrMatrix(n, rowStart, java.util.Arrays.copyOf(cols, p), java.util.Arrays.copyOf(vals, p));
  }

  private static double face(double k, double neighbour, boolean interior) {
    return interior ? 2 * k * neighbour / (k + neighbour) : k;
  }
}
