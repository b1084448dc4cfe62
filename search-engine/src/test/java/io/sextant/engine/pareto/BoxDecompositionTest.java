package io.sextant.engine.pareto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

public class BoxDecompositionTest {
  /** A random point set: a noisy front (some points dominated) in [0, 1]^m. */
  public static double[][] randomFront(int n, int m, SplittableRandom r) {
    double[][] p = new double[n][m];
    for (int i = 0; i < n; i++) {
      double norm = 0;
      for (int k = 0; k < m; k++) {
        p[i][k] = Math.abs(r.nextGaussian()) + 1e-3;
        norm += p[i][k] * p[i][k];
      }
      norm = Math.sqrt(norm) / (1 + 0.3 * r.nextDouble());
      for (int k = 0; k < m; k++) {
        p[i][k] /= norm;
      }
    }
    return p;
  }

  static double[][] with(double[][] pts, double[] y) {
    double[][] out = Arrays.copyOf(pts, pts.length + 1);
    out[pts.length] = y;
    return out;
  }

  @ParameterizedTest(name = "m={0}")
  @ValueSource(ints = {1, 2, 3})
  void improvementEqualsTheHypervolumeGainForRandomPoints(int m) {
    SplittableRandom r = new SplittableRandom(17 + m);
    for (int rep = 0; rep < 20; rep++) {
      double[][] pts = randomFront(1 + r.nextInt(40), m, r);
      double[] ref = new double[m];
      Arrays.fill(ref, 1.1);
      if (rep % 4 == 3) {
        ref[0] = 0.6; // some points outside the reference box
      }
      BoxDecomposition boxes = BoxDecomposition.of(pts, ref);
      double base = Hypervolume.of(pts, ref);
      for (int t = 0; t < 30; t++) {
        double[] y = new double[m];
        for (int k = 0; k < m; k++) {
          y[k] = -0.2 + 1.5 * r.nextDouble();
        }
        double expected = Hypervolume.of(with(pts, y), ref) - base;
        assertThat(boxes.improvement(y)).as("rep %d point %s", rep, Arrays.toString(y))
            .isCloseTo(expected, within(1e-12));
      }
    }
  }

  @ParameterizedTest(name = "m={0}")
  @ValueSource(ints = {2, 3})
  void boxesAreDisjointAndCoverExactlyTheUndominatedPartOfTheBox(int m) {
    SplittableRandom r = new SplittableRandom(5 + m);
    for (int rep = 0; rep < 10; rep++) {
      double[][] pts = randomFront(2 + r.nextInt(60), m, r);
      double[] ref = new double[m];
      Arrays.fill(ref, 1.1);
      BoxDecomposition boxes = BoxDecomposition.of(pts, ref);
      // clip the unbounded lower sides at L = -1 (below every point): sum of volumes = box volume - HV
      double sum = 0;
      for (int b = 0; b < boxes.size(); b++) {
        double v = 1;
        for (int k = 0; k < m; k++) {
          v *= boxes.upper()[b][k] - Math.max(-1.0, boxes.lower()[b][k]);
        }
        assertThat(v).isPositive();
        sum += v;
      }
      assertThat(sum).isCloseTo(Math.pow(2.1, m) - Hypervolume.of(pts, ref), within(1e-9));
      // pairwise disjoint interiors
      for (int a = 0; a < boxes.size(); a++) {
        for (int b = a + 1; b < boxes.size(); b++) {
          boolean overlap = true;
          for (int k = 0; k < m; k++) {
            overlap &= Math.max(boxes.lower()[a][k], boxes.lower()[b][k])
                < Math.min(boxes.upper()[a][k], boxes.upper()[b][k]);
          }
          assertThat(overlap).as("boxes %d and %d overlap", a, b).isFalse();
        }
      }
    }
  }

  @Test
  void twoDimensionalStaircaseHasOneBoxMoreThanTheFront() {
    double[][] front = {{0.2, 0.8}, {0.5, 0.4}, {0.9, 0.1}, {0.6, 0.6} /* dominated */};
    BoxDecomposition boxes = BoxDecomposition.of(front, new double[] {1, 1});
    assertThat(boxes.size()).isEqualTo(4);
    // slabs along the last objective: between the first two front points y in [0.4, 0.8], x in [-inf, 0.5]
    assertThat(java.util.stream.IntStream.range(0, 4).filter(b -> Arrays.equals(boxes.lower()[b],
        new double[] {Double.NEGATIVE_INFINITY, 0.4}) && Arrays.equals(boxes.upper()[b], new double[] {0.5, 0.8})))
        .hasSize(1);
  }

  @Test
  void emptyFrontIsTheWholeReferenceBoxAndOutsidePointsAreIgnored() {
    BoxDecomposition empty = BoxDecomposition.of(new double[0][], new double[] {1, 2, 3});
    assertThat(empty.size()).isEqualTo(1);
    assertThat(empty.upper()[0]).containsExactly(1, 2, 3);
    BoxDecomposition outside = BoxDecomposition.of(new double[][] {{2, 0, 0}, {0, Double.NaN, 0}},
        new double[] {1, 2, 3});
    assertThat(outside).isEqualTo(empty);
  }

  @Test
  void threeDimensionalGridFrontHasAtMostQuadraticallyManyBoxes() {
    SplittableRandom r = new SplittableRandom(3);
    double[][] pts = randomFront(200, 3, r);
    double[][] front = Arrays.stream(Pareto.nonDominatedIndices(pts)).mapToObj(i -> pts[i]).toArray(double[][]::new);
    BoxDecomposition boxes = BoxDecomposition.of(pts, new double[] {1.1, 1.1, 1.1});
    int f = front.length;
    assertThat(boxes.size()).isLessThanOrEqualTo((f + 1) * (f + 2) / 2);
  }
}
