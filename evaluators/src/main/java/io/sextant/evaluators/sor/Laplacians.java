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

  /** The 5-point Laplacian on an nx x ny interior grid (row-major, x fastest; diagonal 4), Dirichlet boundary. */
  public static CsrMatrix rectangle(int nx, int ny) {
    return stencil(new int[] {nx, ny});
  }

  /** The 7-point Laplacian on an n x n x n interior grid (natural ordering; diagonal 6), Dirichlet boundary. */
  public static CsrMatrix poisson3d(int n) {
    return stencil(new int[] {n, n, n});
  }

  /** The (2 d + 1)-point Laplacian on a box with the given interior sizes: diagonal 2 d, -1 per neighbour. */
  private static CsrMatrix stencil(int[] size) {
    int d = size.length;
    int n = 1;
    int[] stride = new int[d];
    for (int k = 0; k < d; k++) {
      if (size[k] < 1 || size[k] > 4096) {
        throw new IllegalArgumentException("grid sizes must be between 1 and 4096");
      }
      stride[k] = n;
      n *= size[k];
    }
    int[] rowStart = new int[n + 1];
    int[] cols = new int[(2 * d + 1) * n];
    double[] vals = new double[(2 * d + 1) * n];
    int p = 0;
    int[] at = new int[d];
    for (int row = 0; row < n; row++) {
      int rest = row;
      for (int k = 0; k < d; k++) {
        at[k] = rest % size[k];
        rest /= size[k];
      }
      rowStart[row] = p;
      // ascending columns: the lower neighbours from the slowest axis down, the diagonal, the upper ones back up
      for (int k = d - 1; k >= 0; k--) {
        if (at[k] > 0) {
          cols[p] = row - stride[k];
          vals[p++] = -1;
        }
      }
      cols[p] = row;
      vals[p++] = 2 * d;
      for (int k = 0; k < d; k++) {
        if (at[k] < size[k] - 1) {
          cols[p] = row + stride[k];
          vals[p++] = -1;
        }
      }
    }
    rowStart[n] = p;
    return new CsrMatrix(n, rowStart, java.util.Arrays.copyOf(cols, p), java.util.Arrays.copyOf(vals, p));
  }
}
