package io.sextant.engine.pareto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParetoTest {
  private static final double INF = Double.POSITIVE_INFINITY;
  private static final double NAN = Double.NaN;

  @Test
  void dominanceNeedsNoWorseEverywhereAndBetterSomewhere() {
    assertThat(Pareto.dominates(new double[] {1, 2}, new double[] {1, 3})).isTrue();
    assertThat(Pareto.dominates(new double[] {1, 3}, new double[] {1, 2})).isFalse();
    assertThat(Pareto.dominates(new double[] {1, 2}, new double[] {1, 2})).as("equal points").isFalse();
    assertThat(Pareto.dominates(new double[] {0, 3}, new double[] {1, 2})).as("trade-off").isFalse();
    assertThat(Pareto.dominates(new double[] {-INF, 0}, new double[] {-1e308, 0})).isTrue();
    assertThat(Pareto.dominates(new double[] {5, 5}, new double[] {5, INF})).isTrue();
    assertThat(Pareto.dominates(new double[] {INF, INF}, new double[] {INF, INF})).isFalse();
    assertThat(Pareto.dominates(new double[] {-0.0}, new double[] {0.0})).as("-0.0 == 0.0").isFalse();
    assertThat(Pareto.dominates(new double[] {0, NAN}, new double[] {1, 1})).isFalse();
    assertThat(Pareto.dominates(new double[] {0, 0}, new double[] {1, NAN})).isFalse();
    assertThatThrownBy(() -> Pareto.dominates(new double[] {1}, new double[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void twoObjectiveFrontAndRanksOnAKnownExample() {
    double[][] pts = {
      {1, 5}, // 0 front
      {2, 3}, // 1 front
      {2, 3}, // 2 duplicate of 1: front too
      {3, 4}, // 3 dominated by 1 -> rank 1
      {4, 1}, // 4 front
      {NAN, 0}, // 5 excluded
      {5, 5}, // 6 dominated by 1, 3 (rank 1) -> rank 2
      {1, 6}, // 7 same first objective as 0, worse second -> rank 1
      {0, INF}, // 8 best first objective, infinite second: front
      {INF, 0}, // 9 infinite first, best second: front
      {INF, 1}, // 10 dominated by 9 (and by nothing better than rank 0 except 9) -> rank 1
    };
    assertThat(Pareto.nonDominatedIndices(pts)).containsExactly(0, 1, 2, 4, 8, 9);
    assertThat(Pareto.ranks(pts)).containsExactly(0, 0, 0, 1, 0, -1, 2, 1, 0, 0, 1);
  }

  @Test
  void threeObjectiveExampleWithDuplicatesAndInfinities() {
    double[][] pts = {
      {1, 1, 1}, // 0 front
      {1, 1, 1}, // 1 duplicate -> front
      {0, 2, 2}, // 2 front
      {1, 1, 2}, // 3 dominated by 0 -> 1
      {1, 2, 2}, // 4 dominated by 3 -> 2
      {-INF, INF, INF}, // 5 front (best first)
      {-INF, INF, NAN}, // 6 excluded
      {2, 2, 2}, // 7 dominated by 4 (rank 2) -> 3
    };
    assertThat(Pareto.nonDominatedIndices(pts)).containsExactly(0, 1, 2, 5);
    assertThat(Pareto.ranks(pts)).containsExactly(0, 0, 0, 1, 2, 0, -1, 3);
  }

  @Test
  void oneObjectiveRanksAreDenseByValue() {
    double[][] pts = {{3}, {1}, {NAN}, {1}, {-INF}, {2}, {-0.0}, {0.0}};
    assertThat(Pareto.nonDominatedIndices(pts)).containsExactly(4);
    assertThat(Pareto.ranks(pts)).containsExactly(4, 2, -1, 2, 0, 3, 1, 1);
  }

  @Test
  void negativeZeroEqualsZero() {
    double[][] pts = {{-0.0, 1}, {0.0, 1}, {0.0, 2}};
    assertThat(Pareto.nonDominatedIndices(pts)).containsExactly(0, 1);
    assertThat(Pareto.ranks(pts)).containsExactly(0, 0, 1);
    double[][] pts3 = {{0.0, 1, 1}, {-0.0, 2, 1}};
    assertThat(Pareto.ranks(pts3)).containsExactly(0, 1);
  }

  @Test
  void edgeCases() {
    assertThat(Pareto.nonDominatedIndices(new double[0][])).isEmpty();
    assertThat(Pareto.ranks(new double[0][])).isEmpty();
    assertThat(Pareto.ranks(new double[][] {{NAN, NAN}})).containsExactly(-1);
    assertThat(Pareto.ranks(new double[][] {{}, {}})).containsExactly(0, 0);
    assertThatThrownBy(() -> Pareto.ranks(new double[][] {{1, 2}, {1}}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void inputIsNotModified() {
    double[][] pts = {{-0.0, 1}, {NAN, 2}, {3, 4}};
    double[][] copy = Arrays.stream(pts).map(double[]::clone).toArray(double[][]::new);
    Pareto.ranks(pts);
    Pareto.nonDominatedIndices(pts);
    assertThat(Arrays.deepEquals(pts, copy)).as("bitwise equal, -0.0 and NaN kept").isTrue();
  }

  /**
   * Random points on a coarse integer grid (so ties and duplicates are common), sprinkled with infinities and NaN
   * rows, against a brute-force front peeling written straight from the definition.
   */
  @ParameterizedTest(name = "m={0}")
  @ValueSource(ints = {1, 2, 3, 4})
  void agreesWithBruteForceOnRandomPoints(int m) {
    SplittableRandom rng = new SplittableRandom(m * 1000L + 7);
    for (int trial = 0; trial < 300; trial++) {
      int n = rng.nextInt(0, 60);
      int grid = rng.nextInt(1, 8);
      double[][] pts = new double[n][m];
      for (double[] row : pts) {
        for (int j = 0; j < m; j++) {
          int r = rng.nextInt(100);
          row[j] = r < 3 ? INF : r < 6 ? -INF : r < 8 ? NAN : r < 10 ? -0.0 : rng.nextInt(grid);
        }
      }
      int[] expectedRanks = bruteForceRanks(pts);
      assertThat(Pareto.ranks(pts)).as("trial %d: %s", trial, Arrays.deepToString(pts)).containsExactly(expectedRanks);
      int[] expectedFront = java.util.stream.IntStream.range(0, n).filter(i -> expectedRanks[i] == 0).toArray();
      assertThat(Pareto.nonDominatedIndices(pts)).as("trial %d", trial).containsExactly(expectedFront);
    }
  }

  @Test
  void largeTwoObjectiveInputAgreesWithGeneralAlgorithm() {
    SplittableRandom rng = new SplittableRandom(3);
    int n = 20_000;
    double[][] pts2 = new double[n][];
    double[][] pts3 = new double[n][];
    for (int i = 0; i < n; i++) {
      double a = rng.nextInt(500);
      double b = rng.nextInt(500);
      pts2[i] = new double[] {a, b};
      pts3[i] = new double[] {a, b, 0.0}; // constant third objective: same dominance, general code path
    }
    assertThat(Pareto.ranks(pts2)).containsExactly(Pareto.ranks(pts3));
    assertThat(Pareto.nonDominatedIndices(pts2)).containsExactly(Pareto.nonDominatedIndices(pts3));
  }

  /**
   * Property: the 2-D fast path (packed-key sort, exact fix-up of runs whose first objectives agree in their high
   * bits, binary search over fronts) gives the same ranks as the generic O(m n^2) algorithm, on inputs built to hit
   * every branch: many exact ties and duplicates, first objectives a few ulps apart (same high key bits, so the
   * fix-up re-sorts them), negative values and -0.0, infinities and NaN rows. The smaller inputs are also checked
   * against brute-force front peeling.
   */
  @Test
  void fastTwoObjectiveRanksAgreeWithGenericRanks() {
    SplittableRandom rng = new SplittableRandom(20_261_123);
    for (int trial = 0; trial < 400; trial++) {
      int n = trial < 300 ? rng.nextInt(0, 80) : rng.nextInt(500, 5_000);
      int grid = rng.nextInt(1, 12);
      double base = rng.nextBoolean() ? 0.3 : -7.25;
      double[][] pts = new double[n][2];
      for (double[] row : pts) {
        for (int j = 0; j < 2; j++) {
          int r = rng.nextInt(100);
          row[j] = r < 2 ? INF : r < 4 ? -INF : r < 5 ? NAN : r < 8 ? -0.0 : r < 12 ? 0.0
              : r < 50 ? Math.nextUp(base) + rng.nextInt(64) * Math.ulp(base) // near-equal: within 2^6 ulps
              : rng.nextInt(-grid, grid + 1);
        }
      }
      if (trial % 5 == 0 && n > 0) { // exact duplicates of earlier rows
        for (int i = 1; i < n; i++) {
          if (rng.nextInt(3) == 0) {
            pts[i] = pts[rng.nextInt(i)].clone();
          }
        }
      }
      int[] fast = Pareto.ranks(pts);
      assertThat(fast).as("trial %d, n %d", trial, n).containsExactly(new SequentialSearchRanking().ranks(pts));
      if (n <= 80) {
        assertThat(fast).as("trial %d brute force", trial).containsExactly(bruteForceRanks(pts));
      }
      int[] expectedFront = java.util.stream.IntStream.range(0, n).filter(i -> fast[i] == 0).toArray();
      assertThat(Pareto.nonDominatedIndices(pts)).as("trial %d front", trial).containsExactly(expectedFront);
    }
  }

  private static boolean bruteDominates(double[] a, double[] b) {
    boolean strictly = false;
    for (int i = 0; i < a.length; i++) {
      if (Double.isNaN(a[i]) || Double.isNaN(b[i]) || a[i] > b[i]) {
        return false;
      }
      strictly |= a[i] < b[i];
    }
    return strictly;
  }

  private static int[] bruteForceRanks(double[][] pts) {
    int n = pts.length;
    int[] rank = new int[n];
    Arrays.fill(rank, -1);
    List<Integer> remaining = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (Arrays.stream(pts[i]).noneMatch(Double::isNaN)) {
        remaining.add(i);
      }
    }
    for (int r = 0; !remaining.isEmpty(); r++) {
      List<Integer> front = new ArrayList<>();
      for (int i : remaining) {
        boolean dominated = false;
        for (int j : remaining) {
          dominated |= bruteDominates(pts[j], pts[i]);
        }
        if (!dominated) {
          front.add(i);
        }
      }
      for (int i : front) {
        rank[i] = r;
      }
      remaining.removeAll(front);
    }
    return rank;
  }
}
