package io.sextant.engine.bo.gp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.engine.bo.acq.Prediction;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FactorCacheTest {
  private static final GpHyperparameters H = new GpHyperparameters(new double[] {0.3, 0.5, 0.8, 0.4}, 1.3, 1e-3);

  private static double[][] points(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[n][4];
    for (double[] row : x) {
      for (int j = 0; j < row.length; j++) {
        row[j] = r.nextDouble();
      }
    }
    return x;
  }

  private static double maxDiff(double[][] a, double[][] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j <= i; j++) {
        m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return m;
  }

  @Test
  void appendedRowsGiveTheFactorAFullFactorizationGives() {
    double[][] x = points(180, 1);
    FactorCache cache = new FactorCache(2);
    double[][] first = Arrays.copyOf(x, 120);
    cache.put(first, H, Cholesky.decompose(GaussianProcess.covariance(first, H, true), Integer.MAX_VALUE));
    double[][] extended = cache.extend(x, H);
    assertThat(extended).isNotNull();
    double[][] direct = Cholesky.decompose(GaussianProcess.covariance(x, H, true), Integer.MAX_VALUE);
    assertThat(maxDiff(extended, direct)).isLessThan(1e-10);
    assertThat(cache.hits()).isEqualTo(1);
    assertThat(cache.appendedRows()).isEqualTo(60);
  }

  @Test
  void missesWhenTheRowsOrTheHyperparametersDiffer() {
    double[][] x = points(150, 2);
    FactorCache cache = new FactorCache(2);
    double[][] first = Arrays.copyOf(x, 100);
    cache.put(first, H, Cholesky.decompose(GaussianProcess.covariance(first, H, true)));
    // another amplitude, lengthscale or noise
    assertThat(cache.extend(x, new GpHyperparameters(H.lengthscales(), 1.31, 1e-3))).isNull();
    assertThat(cache.extend(x, new GpHyperparameters(new double[] {0.3, 0.5, 0.8, 0.41}, 1.3, 1e-3))).isNull();
    assertThat(cache.extend(x, new GpHyperparameters(H.lengthscales(), 1.3, 2e-3))).isNull();
    // the window dropped the oldest row; two rows swapped; a row's value changed
    assertThat(cache.extend(Arrays.copyOfRange(x, 1, 150), H)).isNull();
    double[][] swapped = x.clone();
    swapped[3] = x[4];
    swapped[4] = x[3];
    assertThat(cache.extend(swapped, H)).isNull();
    double[][] changed = x.clone();
    changed[7] = x[7].clone();
    changed[7][0] += 1e-12;
    assertThat(cache.extend(changed, H)).isNull();
    // equal rows as new arrays still match (a suggestion rebuilds its inputs from the trials)
    double[][] copies = new double[150][];
    for (int i = 0; i < 150; i++) {
      copies[i] = x[i].clone();
    }
    assertThat(cache.extend(copies, H)).isNotNull();
    assertThat(cache.hits()).isEqualTo(1);
  }

  @Test
  void aRowThatWouldNeedJitterEndsTheExtension() {
    GpHyperparameters noiseless = new GpHyperparameters(H.lengthscales(), 1.3, 1e-14);
    double[][] x = points(100, 3);
    FactorCache cache = new FactorCache(1);
    double[][] first = Arrays.copyOf(x, 99);
    cache.put(first, noiseless, Cholesky.decompose(GaussianProcess.covariance(first, noiseless, true)));
    double[][] withDuplicate = Arrays.copyOf(x, 100);
    withDuplicate[99] = x[5].clone(); // the same point again: the new pivot is ~0
    assertThat(cache.extend(withDuplicate, noiseless)).isNull();
  }

  @Test
  void sequentialFitsReuseTheFactorAndPredictAsFreshOnes() {
    double[][] x = points(200, 4);
    double[] y = new double[200];
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.sin(3 * x[i][0]) + x[i][1] * x[i][2] + 0.01 * r.nextGaussian();
    }
    GaussianProcess.FACTORS.clear();
    long hits = GaussianProcess.FACTORS.hits();
    GaussianProcess.fit(Arrays.copyOf(x, 150), Arrays.copyOf(y, 150), H);
    GaussianProcess reused = GaussianProcess.fit(Arrays.copyOf(x, 160), Arrays.copyOf(y, 160), H);
    assertThat(GaussianProcess.FACTORS.hits()).isEqualTo(hits + 1);
    GaussianProcess.FACTORS.clear();
    GaussianProcess fresh = GaussianProcess.fit(Arrays.copyOf(x, 160), Arrays.copyOf(y, 160), H);
    assertThat(GaussianProcess.FACTORS.hits()).isEqualTo(hits + 1);
    for (double[] q : points(20, 6)) {
      Prediction a = reused.predict(q);
      Prediction b = fresh.predict(q);
      assertThat(a.mean()).isCloseTo(b.mean(), org.assertj.core.api.Assertions.within(1e-9));
      assertThat(a.variance()).isCloseTo(b.variance(), org.assertj.core.api.Assertions.within(1e-9));
    }
  }
}
