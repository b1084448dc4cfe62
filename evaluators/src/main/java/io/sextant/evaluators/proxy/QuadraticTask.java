package io.sextant.evaluators.proxy;

import java.util.SplittableRandom;

/**
 * An ill-conditioned noisy quadratic 0.5 (w - w*)^T A (w - w*) with A = Q diag(lambda) Q^T, lambda log-spaced from
 * 1 to {@code condition}, Q a random rotation, w* ~ N(0, I) (so an update that only shrinks the weights, which needs
 * no gradient, does not solve it); gradients A (w - w*) + noise * sqrt(lambda) * N(0, 1); validation loss the exact
 * 0.5 (w - w*)^T A (w - w*). The start is w* + N(0, I). Lion-like sign updates are known to do badly here (shared/reference/program-search.md).
 */
public record QuadraticTask(int dim, double condition, double noise) implements ProxyTask {
  @Override
  public String id() {
    return "quadratic";
  }

  @Override
  public Instance instance(long seed) {
    SplittableRandom r = new SplittableRandom(seed * 104729 + 3);
    // random orthogonal Q by Gram-Schmidt on a Gaussian matrix
    double[][] q = new double[dim][dim];
    for (int i = 0; i < dim; i++) {
      for (int j = 0; j < dim; j++) {
        q[i][j] = r.nextGaussian();
      }
      for (int k = 0; k < i; k++) {
        double dot = 0;
        for (int j = 0; j < dim; j++) {
          dot += q[i][j] * q[k][j];
        }
        for (int j = 0; j < dim; j++) {
          q[i][j] -= dot * q[k][j];
        }
      }
      double norm = 0;
      for (int j = 0; j < dim; j++) {
        norm += q[i][j] * q[i][j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < dim; j++) {
        q[i][j] /= norm;
      }
    }
    double[] ev = new double[dim];
    for (int k = 0; k < dim; k++) {
      ev[k] = Math.pow(condition, dim == 1 ? 0 : (double) k / (dim - 1));
    }
    double[][] a = new double[dim][dim];
    for (int i = 0; i < dim; i++) {
      for (int j = 0; j < dim; j++) {
        double s = 0;
        for (int k = 0; k < dim; k++) {
          s += q[k][i] * ev[k] * q[k][j];
        }
        a[i][j] = s;
      }
    }
    double[] w0 = new double[dim];
    for (int i = 0; i < dim; i++) {
      w0[i] = r.nextGaussian();
    }
    double[] opt = new double[dim];
    for (int i = 0; i < dim; i++) {
      opt[i] = r.nextGaussian();
      w0[i] += opt[i];
    }
    return new Instance() {
      @Override
      public double[] initialWeights() {
        return w0.clone();
      }

      @Override
      public void gradient(double[] w, SplittableRandom rng, double[] out) {
        for (int i = 0; i < dim; i++) {
          double s = 0;
          for (int j = 0; j < dim; j++) {
            s += a[i][j] * (w[j] - opt[j]);
          }
          out[i] = s + noise * rng.nextGaussian() * Math.sqrt(ev[i]);
        }
      }

      /** The noise-free loss (the noise has mean zero and does not depend on w). */
      @Override
      public double batchLoss(double[] w, SplittableRandom rng) {
        return validationLoss(w);
      }

      @Override
      public double validationLoss(double[] w) {
        double s = 0;
        for (int i = 0; i < dim; i++) {
          double row = 0;
          for (int j = 0; j < dim; j++) {
            row += a[i][j] * (w[j] - opt[j]);
          }
          s += (w[i] - opt[i]) * row;
        }
        return 0.5 * s;
      }
    };
  }
}
