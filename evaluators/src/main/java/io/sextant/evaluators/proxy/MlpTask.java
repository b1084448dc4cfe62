package io.sextant.evaluators.proxy;

import java.util.SplittableRandom;

/**
 * A 2-layer tanh MLP 2-H-1 with a logistic output on synthetic 2-d data ({@code spirals}, {@code blobs}: XOR
 * blobs, {@code rings}); 75% train, 25% validation. Weights: W1 (2 x H, N(0, 1)), b1 (0), W2 (N(0, 1/H)), b2 (0).
 *
 * @param id the task's identifier ({@code mlp-<dataset>} unless given, so two widths on the same data can be told
 *     apart in one stage)
 */
public record MlpTask(String id, String dataset, int hidden, int samples, int batch) implements ProxyTask {
  public MlpTask {
    if (!java.util.Set.of("spirals", "blobs", "rings").contains(dataset)) {
      throw new IllegalArgumentException("unknown dataset " + dataset);
    }
    if (hidden < 1 || samples < 8 || batch < 1) {
      throw new IllegalArgumentException("hidden, samples and batch must be positive (samples >= 8)");
    }
  }

  /** The task {@code mlp-<dataset>}. */
  public MlpTask(String dataset, int hidden, int samples, int batch) {
    this("mlp-" + dataset, dataset, hidden, samples, batch);
  }

  @Override
  public Instance instance(long seed) {
    SplittableRandom r = new SplittableRandom(seed * 31337 + 11);
    Datasets data = switch (dataset) {
      case "spirals" -> Datasets.spirals(samples, r);
      case "blobs" -> Datasets.xorBlobs(samples, r);
      default -> Datasets.rings(samples, r);
    };
    int h = hidden;
    int n = 4 * h + 1;
    double[] w0 = new double[n];
    for (int i = 0; i < 2 * h; i++) {
      w0[i] = r.nextGaussian();
    }
    for (int i = 3 * h; i < 4 * h; i++) {
      w0[i] = r.nextGaussian() / Math.sqrt(h);
    }
    int train = samples * 3 / 4;
    double[][] x = data.x();
    double[] y = data.y();
    return new Instance() {
      private final double[] act = new double[h];

      @Override
      public double[] initialWeights() {
        return w0.clone();
      }

      private double forward(double[] w, double[] xi) {
        double z = w[4 * h];
        for (int k = 0; k < h; k++) {
          act[k] = Math.tanh(xi[0] * w[k] + xi[1] * w[h + k] + w[2 * h + k]);
          z += act[k] * w[3 * h + k];
        }
        return z;
      }

      @Override
      public void gradient(double[] w, SplittableRandom rng, double[] out) {
        java.util.Arrays.fill(out, 0);
        for (int b = 0; b < batch; b++) {
          int i = rng.nextInt(train);
          double z = forward(w, x[i]);
          double dz = (Datasets.sigmoid(z) - y[i]) / batch;
          out[4 * h] += dz;
          for (int k = 0; k < h; k++) {
            out[3 * h + k] += dz * act[k];
            double dh = dz * w[3 * h + k] * (1 - act[k] * act[k]);
            out[k] += dh * x[i][0];
            out[h + k] += dh * x[i][1];
            out[2 * h + k] += dh;
          }
        }
      }

      @Override
      public double batchLoss(double[] w, SplittableRandom rng) {
        double s = 0;
        for (int b = 0; b < batch; b++) {
          int i = rng.nextInt(train);
          s += Datasets.bce(forward(w, x[i]), y[i]);
        }
        return s / batch;
      }

      @Override
      public double validationLoss(double[] w) {
        double s = 0;
        for (int i = train; i < samples; i++) {
          s += Datasets.bce(forward(w, x[i]), y[i]);
        }
        return s / (samples - train);
      }
    };
  }
}
