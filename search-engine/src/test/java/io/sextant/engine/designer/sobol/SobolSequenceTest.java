package io.sextant.engine.designer.sobol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.math3.random.SobolSequenceGenerator;
import org.junit.jupiter.api.Test;

/**
 * Unscrambled points are checked against commons-math's generator (an independent, sequential implementation);
 * scrambled points against the net properties proven in {@link SobolSequence}'s Javadoc.
 */
class SobolSequenceTest {
  private static double[] column(SobolSequence s, int dim, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = s.point(i)[dim];
    }
    return out;
  }

  @Test
  void firstUnscrambledPointsAreTheKnownSobolPoints() {
    SobolSequence s = SobolSequence.unscrambled(2);
    assertThat(column(s, 0, 8)).containsExactly(0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125);
    assertThat(column(s, 1, 8)).containsExactly(0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625);
  }

  @Test
  void unscrambledEqualsCommonsMathInTenDimensions() {
    SobolSequence s = SobolSequence.unscrambled(10);
    SobolSequenceGenerator oracle = new SobolSequenceGenerator(10);
    for (int i = 0; i < 5000; i++) {
      assertThat(s.point(i)).as("point %d", i).containsExactly(oracle.nextVector());
    }
    for (int index : new int[] {65_535, 65_536, 1_000_003, 123_456_789, Integer.MAX_VALUE - 1}) {
      assertThat(s.point(index)).as("point %d", index).containsExactly(oracle.skipTo(index));
    }
  }

  @Test
  void unscrambledEqualsCommonsMathInAllThousandDimensions() {
    SobolSequence s = SobolSequence.unscrambled(SobolSequence.maxDimensions());
    SobolSequenceGenerator oracle = new SobolSequenceGenerator(1000);
    assertThat(SobolSequence.maxDimensions()).isEqualTo(1000);
    for (int i = 0; i < 70; i++) {
      assertThat(s.point(i)).as("point %d", i).containsExactly(oracle.nextVector());
    }
    // Index with many set bits: exercises direction numbers up to k = 31, i.e. the recurrence for every dimension.
    int index = Integer.MAX_VALUE - 2;
    assertThat(s.point(index)).containsExactly(oracle.skipTo(index));
  }

  @Test
  void scrambledCoordinatesLieStrictlyInsideTheUnitInterval() {
    for (long seed = 0; seed < 20; seed++) {
      SobolSequence s = SobolSequence.scrambled(50, seed);
      for (int i = 0; i < 128; i++) {
        for (double u : s.point(i)) {
          assertThat(u).isGreaterThan(0.0).isLessThan(1.0);
        }
      }
    }
    SobolSequence wide = SobolSequence.scrambled(1000, 3);
    for (long i : new long[] {0, 1, 2, 1L << 40, SobolSequence.MAX_INDEX}) {
      for (double u : wide.point(i)) {
        assertThat(u).isGreaterThan(0.0).isLessThan(1.0);
      }
    }
  }

  /** Each aligned block of 2^k points puts exactly one point in each interval [c/2^k, (c+1)/2^k) of every axis. */
  @Test
  void scrambledOneDimensionalProjectionsAreStratified() {
    SobolSequence s = SobolSequence.scrambled(1000, 12345);
    int maxK = 10;
    double[][] pts = new double[3 << maxK][];
    for (int i = 0; i < pts.length; i++) {
      pts[i] = s.point(i);
    }
    for (int dim = 0; dim < 1000; dim++) {
      for (int k = 0; k <= maxK; k++) {
        int n = 1 << k;
        for (int block = 0; block < (k >= 8 ? 3 : 1); block++) {
          boolean[] hit = new boolean[n];
          for (int i = block * n; i < (block + 1) * n; i++) {
            int cell = (int) Math.floor(pts[i][dim] * n);
            if (hit[cell]) {
              fail("dim %d, k %d, block %d: cell %d hit twice".formatted(dim, k, block, cell));
            }
            hit[cell] = true;
          }
        }
      }
    }
  }

  /**
   * Dimensions 0 and 1 form a (0, m, 2)-net: for every a + b = m each box of size 2^-a x 2^-b holds exactly one of
   * 2^m aligned consecutive points (m = 4 is the 16-point case: 16x1, 8x2, 4x4, 2x8 and 1x16 grids).
   */
  @Test
  void scrambledFirstTwoDimensionsFormZeroMTwoNets() {
    for (long seed : new long[] {0, 1, 99, -7}) {
      for (boolean scramble : new boolean[] {true, false}) {
        SobolSequence s = scramble ? SobolSequence.scrambled(2, seed) : SobolSequence.unscrambled(2);
        for (int m = 1; m <= 10; m++) {
          int n = 1 << m;
          for (int block = 0; block < 3; block++) {
            for (int a = 0; a <= m; a++) {
              int b = m - a;
              Set<Long> cells = new HashSet<>();
              for (int i = block * n; i < (block + 1) * n; i++) {
                double[] p = s.point(i);
                long cx = (long) Math.floor(p[0] * (1 << a));
                long cy = (long) Math.floor(p[1] * (1 << b));
                cells.add(cx << 32 | cy);
              }
              assertThat(cells).as("seed %d m %d a %d block %d", seed, m, a, block).hasSize(n);
            }
          }
        }
      }
    }
  }

  @Test
  void sameSeedSamePointsDifferentSeedDifferentPoints() {
    SobolSequence a = SobolSequence.scrambled(5, 42);
    SobolSequence b = SobolSequence.scrambled(5, 42);
    SobolSequence c = SobolSequence.scrambled(5, 43);
    for (int i = 0; i < 16; i++) {
      assertThat(b.point(i)).isEqualTo(a.point(i));
      double[] pa = a.point(i);
      double[] pc = c.point(i);
      for (int j = 0; j < 5; j++) {
        assertThat(pc[j]).as("point %d coord %d", i, j).isNotEqualTo(pa[j]);
      }
    }
  }

  @Test
  void scrambleIsPrefixConsistentAcrossDimensionCounts() {
    SobolSequence small = SobolSequence.scrambled(3, 8);
    SobolSequence large = SobolSequence.scrambled(30, 8);
    for (int i = 0; i < 32; i++) {
      assertThat(Arrays.copyOf(large.point(i), 3)).isEqualTo(small.point(i));
    }
  }

  /**
   * Pins the scramble of seed 0 so that a change of the generator or of the scramble, which would silently change
   * the design of running studies, fails here.
   */
  @Test
  void scrambleIsStableAcrossReleases() {
    SobolSequence s = SobolSequence.scrambled(3, 0);
    assertThat(s.point(0)).containsExactly(PINNED_0);
    assertThat(s.point(5)).containsExactly(PINNED_5);
  }

  private static final double[] PINNED_0 = {0.5574835099758654, 0.35024120128659597, 0.49633468042274453};
  private static final double[] PINNED_5 = {0.02053798481625868, 0.5880288524609026, 0.32518695110641993};

  @Test
  void zeroDimensionsGiveEmptyPoints() {
    assertThat(SobolSequence.scrambled(0, 1).point(77)).isEmpty();
    assertThat(SobolSequence.unscrambled(0).point(0)).isEmpty();
  }

  @Test
  void outOfRangeArgumentsAreRejected() {
    assertThatThrownBy(() -> SobolSequence.unscrambled(1001)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SobolSequence.scrambled(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    SobolSequence s = SobolSequence.unscrambled(2);
    assertThatThrownBy(() -> s.point(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.point(SobolSequence.MAX_INDEX + 1)).isInstanceOf(IllegalArgumentException.class);
    for (double u : s.point(SobolSequence.MAX_INDEX)) {
      assertThat(u).isBetween(0.0, 1.0);
    }
  }
}
