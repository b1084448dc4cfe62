package io.sextant.engine.bo.gp;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Recent Cholesky factors of GP covariance matrices, so that a fit whose inputs extend an earlier fit's (same
 * hyperparameters, the same rows first, new rows appended: the next suggestion of a study after trials completed)
 * appends one row per new input in O(n^2) instead of factorizing again in O(n^3 / 3). The designer stays pure: a hit
 * gives the factor a full factorization would give (to rounding), a miss (rows dropped or reordered by the window,
 * hyperparameters refitted, another study, another process) just factorizes. A factor that needed jitter is not
 * cached, and an appended row whose pivot would need jitter ends the extension (the caller factorizes with the
 * usual jitter escalation). Thread-safe; holds at most {@code capacity} factors of at least {@link #MIN_N} rows.
 */
final class FactorCache {
  /** Below this many rows a factorization costs less than looking for a match. */
  static final int MIN_N = 64;

  private record Entry(double[][] x, double[] lengthscales, double amplitude, double noise, double[][] chol) {}

  private final int capacity;
  private final Deque<Entry> entries = new ArrayDeque<>();
  private long hits;
  private long appendedRows;

  FactorCache(int capacity) {
    this.capacity = capacity;
  }

  /** The factor of {@code covariance(x, h, true)} extended from a cached one, or null when none fits. */
  double[][] extend(double[][] x, GpHyperparameters h) {
    Entry base = null;
    synchronized (this) {
      for (Entry e : entries) {
        if (e.x.length <= x.length && (base == null || e.x.length > base.x.length) && sameHyper(e, h)
            && isPrefix(e.x, x)) {
          base = e;
        }
      }
    }
    if (base == null) {
      return null;
    }
    int m = base.x.length;
    int n = x.length;
    if (m == n) {
      synchronized (this) {
        hits++;
      }
      return base.chol; // factors are never modified (GaussianProcess copies rows when it appends)
    }
    double[] invL2 = GaussianProcess.inverseSquares(h.lengthscales());
    double[][] c = new double[n][];
    for (int i = 0; i < m; i++) {
      c[i] = Arrays.copyOf(base.chol[i], n);
    }
    for (int i = m; i < n; i++) {
      // row i of L: L[0..i) l = k(x_0..i-1, x_i), pivot sqrt(k(x_i, x_i) + noise - |l|^2)
      double[] l = Cholesky.solveLower(c, GaussianProcess.kernelVector(x, i, x[i], h.amplitude(), invL2));
      double d2 = h.amplitude() + h.noise();
      for (double li : l) {
        d2 -= li * li;
      }
      if (!(d2 > 1e-10 * h.amplitude())) {
        return null; // would need jitter: let the full factorization handle it
      }
      c[i] = Arrays.copyOf(l, n);
      c[i][i] = Math.sqrt(d2);
    }
    synchronized (this) {
      hits++;
      appendedRows += n - m;
    }
    return c;
  }

  /**
   * Remembers a factor (of at least {@link #MIN_N} rows, computed without jitter) for later extensions, most recent
   * first; it replaces the entries whose inputs it extends.
   */
  void put(double[][] x, GpHyperparameters h, double[][] chol) {
    if (x.length < MIN_N || capacity == 0) {
      return;
    }
    Entry e = new Entry(x.clone(), h.lengthscales().clone(), h.amplitude(), h.noise(), chol);
    synchronized (this) {
      // an entry this one extends (or repeats) is superseded: every fit it could serve, this one serves too
      entries.removeIf(old -> old.x.length <= x.length && sameHyper(old, h) && isPrefix(old.x, x));
      entries.addFirst(e);
      while (entries.size() > capacity) {
        entries.removeLast();
      }
    }
  }

  /** Forgets every factor (tests). */
  synchronized void clear() {
    entries.clear();
  }

  synchronized long hits() {
    return hits;
  }

  synchronized long appendedRows() {
    return appendedRows;
  }

  private static boolean sameHyper(Entry e, GpHyperparameters h) {
    return e.amplitude == h.amplitude() && e.noise == h.noise() && Arrays.equals(e.lengthscales, h.lengthscales());
  }

  private static boolean isPrefix(double[][] a, double[][] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i] && !Arrays.equals(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }
}
