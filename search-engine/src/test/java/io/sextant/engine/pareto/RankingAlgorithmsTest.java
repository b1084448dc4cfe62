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

/**
 * The ranking algorithms, one per class, give the same ranks wherever more than one applies, on random fronts with
 * ties, duplicates, -0.0, infinities and NaN rows; and each equals the peeling definition written in the test.
 */
class RankingAlgorithmsTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  private static double[][] randomFront(SplittableRandom rng, int n, int m) {
    int grid = rng.nextInt(1, 10);
    double[][] pts = new double[n][m];
    for (double[] row : pts) {
      for (int j = 0; j < m; j++) {
        int r = rng.nextInt(100);
        row[j] = r < 3 ? INF : r < 6 ? -INF : r < 8 ? Double.NaN : r < 11 ? -0.0 : r < 14 ? 0.0
            : r < 30 ? rng.nextDouble() : rng.nextInt(-grid, grid + 1);
      }
    }
    for (int i = 1; i < n; i++) {
      if (rng.nextInt(8) == 0) {
        pts[i] = pts[rng.nextInt(i)].clone(); // exact duplicates
      }
    }
    return pts;
  }

  @ParameterizedTest(name = "m={0}")
  @ValueSource(ints = {0, 1, 2, 3, 5})
  void everyApplicableAlgorithmGivesTheSameRanks(int m) {
    SplittableRandom rng = new SplittableRandom(4242 + m);
    List<NonDominatedRanking> algorithms = new ArrayList<>(List.of(new SequentialSearchRanking()));
    if (m <= 1) {
      algorithms.add(new SingleObjectiveRanking());
    }
    if (m == 2) {
      algorithms.add(new TwoObjectiveSweepRanking());
    }
    algorithms.add(Pareto::ranks);
    for (int trial = 0; trial < 300; trial++) {
      double[][] pts = randomFront(rng, rng.nextInt(0, 70), m);
      double[][] copy = Arrays.stream(pts).map(double[]::clone).toArray(double[][]::new);
      int[] expected = peel(pts);
      for (NonDominatedRanking a : algorithms) {
        assertThat(a.ranks(pts)).as("%s, trial %d: %s", a.getClass().getSimpleName(), trial,
            Arrays.deepToString(pts)).containsExactly(expected);
      }
      assertThat(Arrays.deepEquals(pts, copy)).as("input untouched").isTrue();
    }
  }

  @Test
  void constrainedRankingPutsInfeasibleRowsAfterTheFeasibleFrontsWhicheverFeasibleRankingItUses() {
    SplittableRandom rng = new SplittableRandom(99);
    for (int trial = 0; trial < 200; trial++) {
      int n = rng.nextInt(0, 60);
      double[][] pts = randomFront(rng, n, 2);
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = rng.nextInt(3) == 0 ? (rng.nextInt(5) == 0 ? INF : rng.nextInt(1, 4)) : 0;
      }
      int[] bySweep = new ConstrainedRanking(new TwoObjectiveSweepRanking()).ranks(pts, v);
      int[] bySearch = new ConstrainedRanking(new SequentialSearchRanking()).ranks(pts, v);
      assertThat(bySweep).as("trial %d", trial).containsExactly(bySearch);
      assertThat(Pareto.constrainedRanks(pts, v)).containsExactly(bySweep);
      int feasibleFronts = 0;
      for (int i = 0; i < n; i++) {
        if (v[i] == 0) {
          feasibleFronts = Math.max(feasibleFronts, bySweep[i] + 1);
        }
      }
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < n; k++) {
          if (v[i] > 0 && v[k] > 0) {
            assertThat(Integer.compare(bySweep[i], bySweep[k])).isEqualTo(Double.compare(v[i], v[k]));
          }
        }
        if (v[i] > 0) {
          assertThat(bySweep[i]).isGreaterThanOrEqualTo(feasibleFronts);
        }
      }
    }
  }

  @Test
  void algorithmsRefuseNumbersOfObjectivesTheyDoNotHandle() {
    double[][] three = {{1, 2, 3}};
    assertThatThrownBy(() -> new TwoObjectiveSweepRanking().ranks(three))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two objectives");
    assertThatThrownBy(() -> new SingleObjectiveRanking().ranks(new double[][] {{1, 2}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most one");
    assertThatThrownBy(() -> new SequentialSearchRanking().ranks(new double[][] {{1, 2}, {1}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1");
    assertThat(Pareto.ranking(1)).isInstanceOf(SingleObjectiveRanking.class);
    assertThat(Pareto.ranking(2)).isInstanceOf(TwoObjectiveSweepRanking.class);
    assertThat(Pareto.ranking(4)).isInstanceOf(SequentialSearchRanking.class);
  }

  /** The definition: front 0 is the rows no row dominates; remove it and repeat. NaN rows get -1. */
  private static int[] peel(double[][] pts) {
    int n = pts.length;
    int[] rank = new int[n];
    Arrays.fill(rank, -1);
    List<Integer> left = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (Arrays.stream(pts[i]).noneMatch(Double::isNaN)) {
        left.add(i);
      }
    }
    for (int r = 0; !left.isEmpty(); r++) {
      List<Integer> front = new ArrayList<>();
      for (int i : left) {
        boolean dominated = false;
        for (int j : left) {
          boolean all = true;
          boolean some = false;
          for (int k = 0; k < pts[i].length; k++) {
            all &= pts[j][k] <= pts[i][k];
            some |= pts[j][k] < pts[i][k];
          }
          dominated |= all && some;
        }
        if (!dominated) {
          front.add(i);
        }
      }
      for (int i : front) {
        rank[i] = r;
      }
      left.removeAll(front);
    }
    return rank;
  }
}
