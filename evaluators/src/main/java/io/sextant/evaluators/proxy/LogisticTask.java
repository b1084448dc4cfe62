package io.sextant.evaluators.proxy;

import java.util.SplittableRandom;

/**
 * Logistic regression on d-dimensional Gaussian data with feature scales from 0.2 to 3 (mildly ill-conditioned),
 * labels from a random linear teacher plus noise (as in the feasibility script). 75% train, 25% validation.
 */
public record LogisticTask(int dim, int samples, int batch) implements ProxyTask {
  @Override
  public String id() {
    return "logreg";
  }

  @Override
  public Instance instance(long seed) {
    SplittableRandom r = new SplittableRandom(seed * 7919 + 17);
    double[] teacher = new double[dim];
    for (int j = 0; j < dim; j++) {
      teacher[j] = r.nextGaussian();
    }
    double[][] x = new double[samples][dim];
    double[] y = new double[samples];
    for (int i = 0; i < samples; i++) {
      double z = 0;
      for (int j = 0; j < dim; j++) {
        x[i][j] = r.nextGaussian() * (0.2 + 2.8 * j / Math.max(1, dim - 1));
        z += x[i][j] * teacher[j];
      }
      y[i] = z + 0.5 * r.nextGaussian() > 0 ? 1 : 0;
    }
    int train = samples * 3 / 4;
    return new Instance() {
      @Override
      public double[] initialWeights() {
        return new double[dim];
      }

      @Override
      public void gradient(double[] w, SplittableRandom rng, double[] out) {
        java.util.Arrays.fill(out, 0);
        for (int b = 0; b < batch; b++) {
          int i = rng.nextInt(train);
          double z = 0;
          for (int j = 0; j < dim; j++) {
            z += x[i][j] * w[j];
          }
          double d = (Datasets.sigmoid(z) - y[i]) / batch;
          for (int j = 0; j < dim; j++) {
            out[j] += d * x[i][j];
          }
        }
      }

      @Override
      public double batchLoss(double[] w, SplittableRandom rng) {
        double s = 0;
        for (int b = 0; b < batch; b++) {
          int i = rng.nextInt(train);
          double z = 0;
          for (int j = 0; j < dim; j++) {
            z += x[i][j] * w[j];
          }
          s += Datasets.bce(z, y[i]);
        }
        return s / batch;
      }

      @Override
      public double validationLoss(double[] w) {
        double s = 0;
        for (int i = train; i < samples; i++) {
          double z = 0;
          for (int j = 0; j < dim; j++) {
            z += x[i][j] * w[j];
          }
          s += Datasets.bce(z, y[i]);
        }
        return s / (samples - train);
      }
    };
  }
}
