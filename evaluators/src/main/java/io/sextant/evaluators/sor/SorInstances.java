package io.sextant.evaluators.sor;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A deterministic, random-access sequence of SOR instances: instance {@code i} depends only on (family, grid, seed,
 * rhs, i), drawn from a generator seeded with {@code seed} and {@code i}; the context is the first draw, so
 * {@link #context(long)} is cheap and equal to {@code instance(i).context()}. Right-hand sides: {@code gaussian}
 * (the reference's b ~ N(0, I) redrawn while ||b|| > sqrt(n)) or {@code ones}. Immutable and thread-safe.
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

  /** The context of instance {@code index} without building it. */
  public double context(long index) {
    return drawContext(rng(index));
  }

  private double drawContext(RandomGenerator r) {
    double scale = (1 - Math.cos(Math.PI / (grid + 1))) / (1 - Math.cos(Math.PI / 11));
    return switch (family) {
      case HIGH_VARIANCE -> scale * (-0.15 + 0.6 * Distributions.beta(r, 0.5, 1.5));
      case LOW_VARIANCE -> scale * (0.6 * Distributions.beta(r, 2, 6));
      case DIFFUSION -> 1.5 * r.nextDouble();
    };
  }

  public SorInstance instance(long index) {
    SplittableRandom r = rng(index);
    double context = drawContext(r);
    CsrMatrix a;
    double beta;
    switch (family) {
      case HIGH_VARIANCE, LOW_VARIANCE -> {
        a = Laplacians.poisson(grid).shifted(context);
        beta = Relaxation.shiftedLaplacianBeta(grid, context);
      }
      case DIFFUSION -> {
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
          return Math.exp(context * g);
        });
        beta = Relaxation.jacobiSpectralRadius(a, 200_000);
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
    return new SorInstance(index, a, b, context, beta, Relaxation.omegaStar(beta));
  }
}
