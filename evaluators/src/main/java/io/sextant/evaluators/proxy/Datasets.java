package io.sextant.evaluators.proxy;

import java.util.SplittableRandom;

/** Synthetic 2-d binary classification data: features {@code x[i][0..1]}, labels 0/1. */
record Datasets(double[][] x, double[] y) {
  /** Two interleaved spirals (as in shared/reference/lion_proxy_feasibility.py), scaled by 1/5, noise 0.05. */
  static Datasets spirals(int n, SplittableRandom r) {
    double[][] x = new double[n][2];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double t = r.nextDouble(0, 3 * Math.PI);
      int lab = r.nextInt(2);
      x[i][0] = t * Math.cos(t + Math.PI * lab) / 5 + 0.05 * r.nextGaussian();
      x[i][1] = t * Math.sin(t + Math.PI * lab) / 5 + 0.05 * r.nextGaussian();
      y[i] = lab;
    }
    return new Datasets(x, y);
  }

  /** Four Gaussian blobs at (+-1, +-1), sd 0.45, labelled XOR-wise (not linearly separable). */
  static Datasets xorBlobs(int n, SplittableRandom r) {
    double[][] x = new double[n][2];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      int a = r.nextInt(2);
      int b = r.nextInt(2);
      x[i][0] = (2 * a - 1) + 0.45 * r.nextGaussian();
      x[i][1] = (2 * b - 1) + 0.45 * r.nextGaussian();
      y[i] = a ^ b;
    }
    return new Datasets(x, y);
  }

  /** Two concentric noisy rings (radius 0.5 and 1.2), for the meta-validation task. */
  static Datasets rings(int n, SplittableRandom r) {
    double[][] x = new double[n][2];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      int lab = r.nextInt(2);
      double rad = (lab == 0 ? 0.5 : 1.2) + 0.2 * r.nextGaussian();
      double t = r.nextDouble(0, 2 * Math.PI);
      x[i][0] = rad * Math.cos(t);
      x[i][1] = rad * Math.sin(t);
      y[i] = lab;
    }
    return new Datasets(x, y);
  }

  /** Numerically stable binary cross-entropy of a logit z for label y: log(1 + e^z) - y z. */
  static double bce(double z, double y) {
    return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y * z;
  }

  static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }
}
