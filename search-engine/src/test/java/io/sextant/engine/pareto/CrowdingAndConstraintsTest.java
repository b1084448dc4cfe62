package io.sextant.engine.pareto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CrowdingAndConstraintsTest {
  private static final double INF = Double.POSITIVE_INFINITY;
  private static final double NAN = Double.NaN;

  @Test
  void crowdingDistanceOnAKnownFront() {
    double[][] front = {{0, 4}, {1, 2}, {2, 1}, {4, 0}};
    // objective 1 range 4: point 1 gets (2-0)/4, point 2 (4-1)/4; objective 2 range 4: point 1 (4-1)/4, point 2 (2-0)/4
    double[] d = Pareto.crowdingDistance(front);
    assertThat(d[0]).isEqualTo(INF);
    assertThat(d[3]).isEqualTo(INF);
    assertThat(d[1]).isCloseTo(0.5 + 0.75, within(1e-12));
    assertThat(d[2]).isCloseTo(0.75 + 0.5, within(1e-12));
  }

  @Test
  void crowdingDistanceEdgeCases() {
    assertThat(Pareto.crowdingDistance(new double[0][])).isEmpty();
    assertThat(Pareto.crowdingDistance(new double[][] {{1, 1}, {2, 0}})).containsExactly(INF, INF);
    // all equal in objective 0: contributes nothing to interior points; ties broken by index
    double[] d = Pareto.crowdingDistance(new double[][] {{1, 0}, {1, 1}, {1, 3}});
    assertThat(d).containsExactly(INF, 1.0, INF);
    // an infinite range adds only boundaries
    d = Pareto.crowdingDistance(new double[][] {{-INF, 3}, {0, 2}, {1, 1}, {2, 0}});
    assertThat(d[1]).isCloseTo(2.0 / 3, within(1e-12));
    assertThatThrownBy(() -> Pareto.crowdingDistance(new double[][] {{1, NAN}, {0, 1}, {2, 2}}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void crowdingIsInvariantToRowOrderUpToTies() {
    SplittableRandom rng = new SplittableRandom(4);
    double[][] front = new double[30][];
    for (int i = 0; i < front.length; i++) {
      double x = rng.nextDouble();
      front[i] = new double[] {x, 1 - x * x, rng.nextDouble()};
    }
    double[] d = Pareto.crowdingDistance(front);
    double[][] reversed = new double[front.length][];
    for (int i = 0; i < front.length; i++) {
      reversed[i] = front[front.length - 1 - i];
    }
    double[] dr = Pareto.crowdingDistance(reversed);
    for (int i = 0; i < front.length; i++) {
      assertThat(dr[front.length - 1 - i]).isCloseTo(d[i], within(1e-12));
    }
  }

  @Test
  void constrainedDominationFollowsDeb() {
    double[] good = {0, 0};
    double[] bad = {5, 5};
    assertThat(Pareto.constrainedDominates(bad, 0, good, 0.1)).as("feasible beats infeasible").isTrue();
    assertThat(Pareto.constrainedDominates(good, 0.1, bad, 0)).isFalse();
    assertThat(Pareto.constrainedDominates(bad, 0.1, good, 0.2)).as("smaller violation wins").isTrue();
    assertThat(Pareto.constrainedDominates(good, 0.2, bad, 0.2)).as("equal violation: neither").isFalse();
    assertThat(Pareto.constrainedDominates(good, 0, bad, 0)).as("both feasible: Pareto").isTrue();
    assertThat(Pareto.constrainedDominates(good, 3, bad, INF)).isTrue();
    assertThatThrownBy(() -> Pareto.constrainedDominates(good, -1, bad, 0)).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> Pareto.constrainedDominates(good, NAN, bad, 0)).isInstanceOf(
        IllegalArgumentException.class);
  }

  @Test
  void constrainedRanksPutInfeasibleAfterFeasibleByViolation() {
    double[][] pts = {
      {1, 1}, // 0 feasible front 0
      {2, 2}, // 1 feasible rank 1
      {0, 0}, // 2 infeasible 0.5 (best objectives, but infeasible)
      {NAN, 1}, // 3 infeasible 0.5 (NaN does not matter)
      {0, 5}, // 4 feasible front 0
      {9, 9}, // 5 infeasible INF
      {3, 3}, // 6 infeasible 0.1
      {NAN, 0}, // 7 feasible but NaN -> -1
    };
    double[] v = {0, 0, 0.5, 0.5, 0, INF, 0.1, 0};
    assertThat(Pareto.constrainedRanks(pts, v)).containsExactly(0, 1, 3, 3, 0, 4, 2, -1);
    assertThat(Pareto.constrainedRanks(new double[][] {{1}, {0}}, new double[] {1, 2})).containsExactly(0, 1);
    assertThatThrownBy(() -> Pareto.constrainedRanks(pts, new double[] {0})).isInstanceOf(
        IllegalArgumentException.class);
  }

  @Test
  void constrainedRanksAgreeWithBruteForceConstrainedDomination() {
    SplittableRandom rng = new SplittableRandom(12);
    for (int m = 2; m <= 3; m++) {
      int n = 200;
      double[][] pts = new double[n][m];
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          pts[i][j] = rng.nextInt(10);
        }
        v[i] = rng.nextInt(3) == 0 ? rng.nextInt(4) : 0;
      }
      int[] r = Pareto.constrainedRanks(pts, v);
      // rank = length of the longest chain of constrained dominators (peeling definition)
      for (int i = 0; i < n; i++) {
        int expected = 0;
        for (int k = 0; k < n; k++) {
          if (Pareto.constrainedDominates(pts[k], v[k], pts[i], v[i])) {
            expected = Math.max(expected, r[k] + 1);
          }
        }
        assertThat(r[i]).as("m=%d point %d", m, i).isEqualTo(expected);
      }
    }
  }
}
