package io.sextant.evaluators.sor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A deterministic, random-access sequence of SOR instances: instance {@code i} depends only on (family, grid, seed,
 * rhs, i), drawn from a generator seeded with {@code seed} and {@code i}; the features are the first draws, so
 * {@link #features(long)} is cheap and equal to {@code instance(i).features()}. Right-hand sides: {@code gaussian}
 * (the reference's b ~ N(0, I) redrawn while ||b|| > sqrt(n)) or {@code ones}. Families: {@link SorFamily}.
 * Immutable and thread-safe.
 */
public record SorInstances(SorFamily family, int grid, long seed, boolean gaussianRhs) {
  public SorInstances {
    if (grid < 2 || grid > 1024) {
      throw new IllegalArgumentException("grid must be between 2 and 1024, got " + grid);
    }
  }

  private SplittableRandom rng(long index) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ (index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL));
  }

  /** The features of instance {@code index} without building it (in {@link SorFamily#features()} order). */
  public Map<String, Double> features(long index) {
    return drawFeatures(rng(index));
  }

  /** The first feature of instance {@code index} (the shift or sigma of the single-feature families). */
  public double context(long index) {
    return features(index).values().iterator().next();
  }

  private Map<String, Double> drawFeatures(RandomGenerator r) {
    double scale = (1 - Math.cos(Math.PI / (grid + 1))) / (1 - Math.cos(Math.PI / 11));
    Map<String, Double> f = new LinkedHashMap<>();
    switch (family) {
      case HIGH_VARIANCE -> f.put("shift", scale * (-0.15 + 0.6 * Distributions.beta(r, 0.5, 1.5)));
      case LOW_VARIANCE -> f.put("shift", scale * (0.6 * Distributions.beta(r, 2, 6)));
      case DIFFUSION -> f.put("sigma", 1.5 * r.nextDouble());
      case RECTANGLE -> {
        f.put("nx", (double) (4 + r.nextInt(11)));
        f.put("ny", (double) (4 + r.nextInt(11)));
        f.put("shift", 0.6 * Distributions.beta(r, 2, 6));
      }
      case VARIABLE_COEFFICIENT -> {
        f.put("contrast", Math.pow(10, 3 * r.nextDouble()));
        f.put("correlation", 0.05 + 0.45 * r.nextDouble());
      }
      case POISSON_3D -> f.put("n", (double) (3 + r.nextInt(6)));
    }
    return f;
  }

  public SorInstance instance(long index) {
    SplittableRandom r = rng(index);
    Map<String, Double> f = drawFeatures(r);
    double poisson = Relaxation.omegaStar(Math.cos(Math.PI / (grid + 1)));
    CsrMatrix a;
    double beta;
    double textbook;
    switch (family) {
      case HIGH_VARIANCE, LOW_VARIANCE -> {
        a = Laplacians.poisson(grid).shifted(f.get("shift"));
        beta = Relaxation.shiftedLaplacianBeta(grid, f.get("shift"));
        textbook = poisson;
      }
      case DIFFUSION -> {
        double sigma = f.get("sigma");
        double[][] z = new double[3][3];
        for (double[] row : z) {
          for (int q = 0; q < 3; q++) {
            row[q] = r.nextGaussian();
          }
        }
        a = Laplacians.diffusion(grid, (x, y) -> {
          double g = 0;
          for (int p = 0; p < 3; p++) {
            for (int q = 0; q < 3; q++) {
              g += z[p][q] * Math.sin((p + 1) * Math.PI * x) * Math.sin((q + 1) * Math.PI * y) / (1 + p * p + q * q);
            }
          }
          return Math.exp(sigma * g);
        });
        beta = Relaxation.jacobiSpectralRadius(a, 200_000);
        textbook = poisson;
      }
      case RECTANGLE -> {
        int nx = (int) (double) f.get("nx");
        int ny = (int) (double) f.get("ny");
        double c = f.get("shift");
        a = Laplacians.rectangle(nx, ny).shifted(c);
        double cosines = 2 * Math.cos(Math.PI / (nx + 1)) + 2 * Math.cos(Math.PI / (ny + 1));
        beta = cosines / (4 + c);
        textbook = Relaxation.omegaStar(cosines / 4);
      }
      case VARIABLE_COEFFICIENT -> {
        a = Laplacians.diffusion(grid, field(r, f.get("contrast"), f.get("correlation")));
        beta = Relaxation.jacobiSpectralRadius(a, 200_000);
        textbook = poisson;
      }
      case POISSON_3D -> {
        int n = (int) (double) f.get("n");
        a = Laplacians.poisson3d(n);
        beta = Math.cos(Math.PI / (n + 1));
        textbook = Relaxation.omegaStar(beta);
      }
      default -> throw new AssertionError(family);
    }
    int n = a.n();
    double[] b = new double[n];
    if (gaussianRhs) {
      double limit = Math.sqrt(n);
      do {
        for (int i = 0; i < n; i++) {
          b[i] = r.nextGaussian();
        }
      } while (Sor.norm(b) > limit);
    } else {
      Arrays.fill(b, 1.0);
    }
    return new SorInstance(index, a, b, f, beta, Relaxation.omegaStar(beta), textbook);
  }

  /**
   * The coefficient k = contrast^g on the lattice of {@link Laplacians#diffusion} (nodes (j h, i h), i, j = 0..N+1):
   * g a sum of sine modes p, q = 1..6 with N(0, 1) weights damped by exp(-pi^2 (p^2 + q^2) l^2 / 4), rescaled to
   * [0, 1] over the lattice.
   */
  private java.util.function.DoubleBinaryOperator field(RandomGenerator r, double contrast, double length) {
    int m = 6;
    double[][] z = new double[m][m];
    for (int p = 0; p < m; p++) {
      for (int q = 0; q < m; q++) {
        z[p][q] = r.nextGaussian() * Math.exp(-Math.PI * Math.PI * ((p + 1) * (p + 1) + (q + 1) * (q + 1))
            * length * length / 4);
      }
    }
    int size = grid + 2;
    double h = 1.0 / (grid + 1);
    double[][] g = new double[size][size];
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < size; j++) {
        double v = 0;
        for (int p = 0; p < m; p++) {
          for (int q = 0; q < m; q++) {
            v += z[p][q] * Math.sin((p + 1) * Math.PI * j * h) * Math.sin((q + 1) * Math.PI * i * h);
          }
        }
        g[i][j] = v;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    double span = hi - lo;
    double min = lo;
    return (x, y) -> {
      int j = (int) Math.round(x / h);
      int i = (int) Math.round(y / h);
      double u = span > 0 ? (g[i][j] - min) / span : 0;
      return Math.pow(contrast, u);
    };
  }
}
