package io.sextant.engine.pareto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HypervolumeTest {
  private static final double NAN = Double.NaN;
  private static final double INF = Double.POSITIVE_INFINITY;
  private static final double[] R2 = {1.1, 1.1};
  private static final double[] R3 = {1.1, 1.1, 1.1};

  private static final List<Hypervolume> ALL_2D = List.of(Hypervolume.exact(), Hypervolume2D.instance(),
      WfgHypervolume.instance(), (p, r) -> WfgHypervolume.compute(p, r, false));
  private static final List<Hypervolume> ALL_3D = List.of(Hypervolume.exact(), Hypervolume3D.instance(),
      WfgHypervolume.instance(), (p, r) -> WfgHypervolume.compute(p, r, false));

  @Test
  void smallHandCheckedExamples() {
    double[][] two = {{1, 2}, {2, 1}};
    // union of [1,3]x[2,3] (area 2) and [2,3]x[1,3] (area 2) overlapping in [2,3]x[2,3] (area 1)
    for (Hypervolume hv : ALL_2D) {
      assertThat(hv.compute(two, new double[] {3, 3})).isCloseTo(3.0, within(1e-12));
    }
    double[][] three = {{1, 2, 3}, {2, 3, 1}, {3, 1, 2}};
    // inclusion-exclusion with ref (4,4,4): 3 boxes of volume 6, pairwise intersections 2 each, triple 1
    for (Hypervolume hv : ALL_3D) {
      assertThat(hv.compute(three, new double[] {4, 4, 4})).isCloseTo(6 + 6 + 6 - 2 - 2 - 2 + 1, within(1e-12));
    }
    assertThat(Hypervolume.of(new double[][] {{0.25}, {0.5}}, new double[] {1})).isEqualTo(0.75);
    double[][] four = {{0, 0, 0, 0}};
    assertThat(Hypervolume.of(four, new double[] {1, 2, 3, 4})).isEqualTo(24.0);
  }

  @Test
  void edgeCasesFollowTheContract() {
    for (Hypervolume hv : ALL_2D) {
      assertThat(hv.compute(new double[0][], R2)).isZero();
      // on the reference boundary, outside, NaN: ignored
      assertThat(hv.compute(new double[][] {{1.1, 0}, {2, 2}, {NAN, 0}, {0, NAN}}, R2)).isZero();
      assertThat(hv.compute(new double[][] {{0, 0}, {0, 0}, {0.5, 0.5}}, R2)).isCloseTo(1.21, within(1e-12));
      assertThat(hv.compute(new double[][] {{-INF, 0}}, R2)).isEqualTo(INF);
      assertThat(hv.compute(new double[][] {{-0.0, 0.0}, {0.0, -0.0}}, R2)).isCloseTo(1.21, within(1e-12));
    }
    assertThatThrownBy(() -> Hypervolume.of(new double[][] {{1, 2}}, new double[] {3})).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> Hypervolume.of(new double[][] {}, new double[] {INF, 1})).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> Hypervolume.of(new double[][] {}, new double[0])).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> Hypervolume3D.instance().compute(new double[][] {}, R2)).isInstanceOf(
        IllegalArgumentException.class);
    double[][] in = {{0.5, 0.2}, {0.1, 0.9}};
    double[][] copy = {{0.5, 0.2}, {0.1, 0.9}};
    Hypervolume.of(in, R2);
    Hypervolume.exact().contributions(in, R2);
    assertThat(in).isDeepEqualTo(copy);
  }

  /** Reference values of shared/reference/multi-objective.md (ref 1.1...). */
  @Test
  void pinnedByTheReferenceValuesOfKnownFronts() {
    // "A 100-point front uniform in f1 on ZDT1 gives 0.871409"
    double[][] zdt1 = new double[100][];
    for (int i = 0; i < 100; i++) {
      double f1 = i / 99.0;
      zdt1[i] = new double[] {f1, 1 - Math.sqrt(f1)};
    }
    for (Hypervolume hv : ALL_2D) {
      assertThat(hv.compute(zdt1, R2)).isCloseTo(0.871409, within(5e-7));
    }
    // Dense fronts approach the exact values from below; a front of N points uniform in f1 misses O(1/N) of area
    // (about 0.5/N for these slopes), so N = 20,000 must be within 1e-4 of the exact value and never above it.
    int n = 20_000;
    assertDenseFront(n, f1 -> 1 - Math.sqrt(f1), 1.21 - 1.0 / 3);
    assertDenseFront(n, f1 -> 1 - f1 * f1, 1.21 - 2.0 / 3);
    assertDenseFront(n, f1 -> Math.sqrt(1 - f1 * f1), 1.21 - Math.PI / 4); // DTLZ2 M=2: quarter circle
    // ZDT3: the curve is not monotone; the non-dominated part is the disconnected front of the reference.
    assertDenseFront(n, f1 -> 1 - Math.sqrt(f1) - f1 * Math.sin(10 * Math.PI * f1), 1.331762);
  }

  private static void assertDenseFront(int n, java.util.function.DoubleUnaryOperator f2, double exact) {
    double[][] pts = new double[n][];
    for (int i = 0; i < n; i++) {
      double f1 = i / (n - 1.0);
      pts[i] = new double[] {f1, f2.applyAsDouble(f1)};
    }
    double hv = Hypervolume.of(pts, R2);
    assertThat(hv).isCloseTo(exact, within(1e-4));
    assertThat(hv).isLessThanOrEqualTo(exact + 1e-6);
  }

  @Test
  void dtlz2ThreeObjectiveSphereApproachesItsExactValue() {
    // Points on the positive unit sphere on a 300 x 300 angle grid. The discrete front's volume is below
    // 1.331 - pi/6 = 0.807401 by roughly the volume of the "steps", O(1/300) ~ 3e-3; we check within 5e-3 from below.
    int k = 300;
    double[][] pts = new double[k * k][];
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        double t = Math.PI / 2 * a / (k - 1);
        double s = Math.PI / 2 * b / (k - 1);
        pts[a * k + b] = new double[] {Math.cos(t) * Math.cos(s), Math.cos(t) * Math.sin(s), Math.sin(t)};
      }
    }
    double exact = 1.331 - Math.PI / 6;
    double hv = Hypervolume.of(pts, R3);
    assertThat(hv).isLessThanOrEqualTo(exact).isGreaterThan(exact - 5e-3);
  }

  /**
   * Brute force: Monte-Carlo estimate of the dominated fraction of the box [0, ref]. With N samples the estimate's
   * standard error is sqrt(q (1 - q) / N) * vol <= 0.5 / sqrt(N) * vol; at N = 400,000 that is <= 7.9e-4 * vol, and
   * we allow 5 standard errors (4e-3 * vol): a correct implementation fails with probability < 1e-6 per check,
   * and the generators are seeded so the test is deterministic anyway.
   */
  @ParameterizedTest(name = "m={0}")
  @ValueSource(ints = {2, 3, 4, 5})
  void agreesWithAMonteCarloEstimate(int m) {
    SplittableRandom rng = new SplittableRandom(100 + m);
    for (int rep = 0; rep < 3; rep++) {
      int n = 5 + rng.nextInt(25);
      double[][] pts = randomFrontish(rng, n, m);
      double[] ref = new double[m];
      java.util.Arrays.fill(ref, 1.0);
      double exact = Hypervolume.of(pts, ref);
      int samples = 400_000;
      int hits = 0;
      double[] u = new double[m];
      for (int s = 0; s < samples; s++) {
        for (int j = 0; j < m; j++) {
          u[j] = rng.nextDouble();
        }
        for (double[] p : pts) {
          boolean dom = true;
          for (int j = 0; j < m && dom; j++) {
            dom = p[j] <= u[j];
          }
          if (dom) {
            hits++;
            break;
          }
        }
      }
      assertThat(exact).as("m=%d rep=%d", m, rep).isCloseTo((double) hits / samples, within(5 * 0.5 / Math.sqrt(samples)));
    }
  }

  /** Points near a concave front in [0,1]^m, plus a few dominated ones and one outside the reference box. */
  private static double[][] randomFrontish(SplittableRandom rng, int n, int m) {
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] p = new double[m];
      double norm = 0;
      for (int j = 0; j < m; j++) {
        p[j] = Math.abs(rng.nextGaussian()) + 1e-9;
        norm += p[j] * p[j];
      }
      double scale = (0.6 + 0.4 * rng.nextDouble()) / Math.sqrt(norm);
      for (int j = 0; j < m; j++) {
        p[j] = Math.min(0.999, p[j] * scale);
      }
      out.add(p);
    }
    double[] outside = new double[m];
    java.util.Arrays.fill(outside, 0.1);
    outside[0] = 1.5;
    out.add(outside);
    return out.toArray(double[][]::new);
  }

  @ParameterizedTest(name = "m={0}")
  @ValueSource(ints = {2, 3})
  void wfgAgreesWithTheSweepsOnTheSameInputs(int m) {
    SplittableRandom rng = new SplittableRandom(7 * m);
    double[] ref = m == 2 ? R2 : R3;
    Hypervolume sweep = m == 2 ? Hypervolume2D.instance() : Hypervolume3D.instance();
    for (int rep = 0; rep < 20; rep++) {
      double[][] pts = randomFrontish(rng, 5 + rng.nextInt(60), m);
      if (rep % 4 == 0) {
        pts = withDuplicatesAndTies(pts, rng);
      }
      double expected = sweep.compute(pts, ref);
      assertThat(WfgHypervolume.compute(pts, ref, false)).isCloseTo(expected, within(1e-12));
      assertThat(WfgHypervolume.instance().compute(pts, ref)).isCloseTo(expected, within(1e-12));
    }
  }

  private static double[][] withDuplicatesAndTies(double[][] pts, SplittableRandom rng) {
    double[][] out = new double[pts.length * 2][];
    for (int i = 0; i < pts.length; i++) {
      out[2 * i] = pts[i];
      double[] tie = pts[rng.nextInt(pts.length)].clone();
      if (rng.nextBoolean()) {
        tie[rng.nextInt(tie.length)] = pts[i][0]; // shares a coordinate value with another point
      }
      out[2 * i + 1] = tie;
    }
    return out;
  }

  @Test
  void fourObjectivesWithAConstantObjectiveReduceToThree() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int rep = 0; rep < 10; rep++) {
      double[][] pts = randomFrontish(rng, 40, 3);
      double[][] padded = new double[pts.length][];
      for (int i = 0; i < pts.length; i++) {
        padded[i] = new double[] {pts[i][0], pts[i][1], 0.5, pts[i][2]};
      }
      double three = Hypervolume3D.instance().compute(pts, R3);
      assertThat(Hypervolume.of(padded, new double[] {1.1, 1.1, 2.5, 1.1})).isCloseTo(2 * three, within(1e-12));
    }
  }

  @ParameterizedTest(name = "m={0}")
  @ValueSource(ints = {2, 3, 4})
  void contributionsAreLeaveOneOutDifferences(int m) {
    SplittableRandom rng = new SplittableRandom(40 + m);
    double[] ref = new double[m];
    java.util.Arrays.fill(ref, 1.1);
    for (int rep = 0; rep < 10; rep++) {
      double[][] pts = randomFrontish(rng, 4 + rng.nextInt(30), m);
      if (rep % 3 == 0) {
        pts = withDuplicatesAndTies(pts, rng);
      }
      double[] c = Hypervolume.exact().contributions(pts, ref);
      double total = Hypervolume.of(pts, ref);
      for (int i = 0; i < pts.length; i++) {
        List<double[]> rest = new ArrayList<>(List.of(pts));
        rest.remove(i);
        double brute = total - WfgHypervolume.compute(rest.toArray(double[][]::new), ref, false);
        assertThat(c[i]).as("point %d", i).isCloseTo(Math.max(0, brute), within(1e-12));
      }
    }
  }

  @Test
  void twoDimensionalContributionsOnAHandExample() {
    double[][] pts = {{1, 3}, {2, 2}, {3, 1}, {2, 2.5}, {2.5, 2}, {3, 1}, {5, 0}};
    // ref (4,4): {1,3}: [1,2)x[3,4) = 1; {2,2}: [2,3)x[2,3) = 1 minus what {2.5,2} and {2,2.5} cover there once
    // {2,2} is gone: (3-2)*(3-2.5) + (3-2.5)*(2.5-2) = 0.75 -> 0.25; {3,1} twice -> 0; {5,0} outside -> 0.
    double[] c = Hypervolume2D.instance().contributions(pts, new double[] {4, 4});
    assertThat(c).containsExactly(new double[] {1, 0.25, 0, 0, 0, 0, 0}, within(1e-12));
  }

  @ParameterizedTest(name = "m={0}")
  @ValueSource(ints = {2, 3, 4})
  void historyIsThePrefixHypervolume(int m) {
    SplittableRandom rng = new SplittableRandom(90 + m);
    double[] ref = new double[m];
    java.util.Arrays.fill(ref, 1.1);
    double[][] pts = randomFrontish(rng, 60, m);
    pts[7] = new double[m];
    java.util.Arrays.fill(pts[7], NAN);
    double[] h = HypervolumeHistory.of(pts, ref);
    for (int i = 0; i < pts.length; i++) {
      double[][] prefix = java.util.Arrays.copyOf(pts, i + 1);
      assertThat(h[i]).isCloseTo(Hypervolume.of(prefix, ref), within(1e-12));
      if (i > 0) {
        assertThat(h[i]).isGreaterThanOrEqualTo(h[i - 1]);
      }
    }
  }

  @Test
  void inferredReferencePointIsTheNadirPlusAMargin() {
    double[][] pts = {{0, 10}, {2, 5}, {1, 7}, {NAN, 0}, {INF, -100}};
    assertThat(ReferencePoint.infer(pts)).hasValueSatisfying(
        r -> assertThat(r).containsExactly(new double[] {2.2, 10.5}, within(1e-12)));
    assertThat(ReferencePoint.infer(new double[][] {{3, -4}}, 0.5)).hasValueSatisfying(
        r -> assertThat(r).containsExactly(3.0 + 1.5, -4.0 + 2.0));
    assertThat(ReferencePoint.infer(new double[][] {{NAN, 1}})).isEmpty();
    assertThat(ReferencePoint.infer(new double[0][])).isEmpty();
    assertThatThrownBy(() -> ReferencePoint.infer(pts, -1)).isInstanceOf(IllegalArgumentException.class);
    // every observed finite point then has a positive contribution when it is on the front
    double[] ref = ReferencePoint.infer(pts).orElseThrow();
    double[] c = Hypervolume.exact().contributions(new double[][] {{0, 10}, {2, 5}, {1, 7}}, ref);
    for (double x : c) {
      assertThat(x).isPositive();
    }
  }

  /**
   * Early, far-off points (dominated, as in a 30-variable ZDT study's first trials) do not hold the inferred reference
   * point out: it comes from the current front's nadir plus 10% of the front's range, and moves in as the front
   * improves; a front of one point takes the scale of all points; a larger nadir estimate (e.g. a model's payoff
   * table) widens it where it exceeds the front's nadir.
   */
  @Test
  void inferredReferencePointFollowsTheCurrentFrontNotEarlyFarOffPoints() {
    double[][] early = {{0.2, 9.0}, {0.9, 7.5}, {0.5, 8.0}};
    assertThat(ReferencePoint.infer(early)).hasValueSatisfying(
        r -> assertThat(r).containsExactly(new double[] {0.97, 9.15}, within(1e-12)));
    double[][] later = {{0.2, 9.0}, {0.9, 7.5}, {0.5, 8.0}, {0.1, 0.9}, {0.5, 0.5}, {0.9, 0.1}};
    assertThat(ReferencePoint.infer(later)).hasValueSatisfying(
        r -> assertThat(r).containsExactly(new double[] {0.98, 0.98}, within(1e-12)));
    // one front point: the margin is 10% of all points' range in each objective (f2: 0.5 + 0.85), but the box keeps
    // 40% of the widest extent an earlier front had (0.7 in f1, from the first two points): f1 0.1 + 1.1 * 0.4 * 0.7
    double[][] single = {{0.2, 9.0}, {0.9, 7.5}, {0.1, 0.5}};
    assertThat(ReferencePoint.infer(single)).hasValueSatisfying(
        r -> assertThat(r).containsExactly(new double[] {0.1 + 0.308, 0.5 + 0.85}, within(1e-12)));
    // the same points with the dominating one first never formed a wider front: BoTorch's rule alone
    double[][] firstBest = {{0.1, 0.5}, {0.2, 9.0}, {0.9, 7.5}};
    assertThat(ReferencePoint.infer(firstBest)).hasValueSatisfying(
        r -> assertThat(r).containsExactly(new double[] {0.1 + 0.08, 0.5 + 0.85}, within(1e-12)));
    // a dominated far-off point arriving late widens nothing either
    double[][] lateFarOff = {{0.2, 9.0}, {0.9, 7.5}, {0.5, 8.0}, {0.1, 0.9}, {0.5, 0.5}, {0.9, 0.1}, {0.95, 50.0}};
    assertThat(ReferencePoint.infer(lateFarOff)).hasValueSatisfying(
        r -> assertThat(r).containsExactly(new double[] {0.98, 0.98}, within(1e-12)));
  }

  /**
   * The collapse the front's nadir alone cannot avoid (ZDT1 in 30 variables, issue 24): the early front spans f1 in
   * [0, 1]; then the search improves the f1 = 0 end first, and points there dominate every other, so the front is a
   * corner. BoTorch's rule then puts the reference point at f1 = 0.022 (10% of the corner's range past it), where
   * EHVI rewards no point with larger f1 and the front cannot regrow; the inferred point keeps 40% of the widest extent
   * seen, counted from the current ideal, in each objective. As the front converges the box moves in with the ideal.
   */
  @Test
  void inferredReferencePointDoesNotCollapseWithTheFrontOntoOneEnd() {
    double[][] spread = {{0.0, 5.0}, {0.25, 4.6}, {0.5, 4.3}, {0.75, 4.1}, {1.0, 4.0}};
    double[][] collapsed = java.util.Arrays.copyOf(spread, 7);
    collapsed[5] = new double[] {0.0, 1.5}; // dominates all five
    collapsed[6] = new double[] {0.02, 1.4};
    double[] r = ReferencePoint.infer(collapsed).orElseThrow();
    // widest extent (1.0, 1.0) from the first five points; the front is now {(0, 1.5), (0.02, 1.4)}, ideal (0, 1.4)
    assertThat(r).containsExactly(new double[] {0.0 + 1.1 * 0.4 * 1.0, 1.4 + 1.1 * 0.4 * 1.0}, within(1e-12));
    // BoTorch's rule (the front's nadir + 10% of its range) would have given (0.022, 1.51)
    assertThat(r[0]).isGreaterThan(0.4);
    // a later, better corner moves the box in with the ideal; its size stays
    double[][] later = java.util.Arrays.copyOf(collapsed, 8);
    later[7] = new double[] {0.0, 1.0};
    assertThat(ReferencePoint.infer(later)).hasValueSatisfying(
        q -> assertThat(q).containsExactly(new double[] {0.44, 1.44}, within(1e-12)));
    // once the front is wider than the remembered share again, its own nadir + margin rules
    double[][] regrown = java.util.Arrays.copyOf(later, 10);
    regrown[8] = new double[] {0.6, 0.3};
    regrown[9] = new double[] {1.0, 0.1};
    assertThat(ReferencePoint.infer(regrown)).hasValueSatisfying(
        q -> assertThat(q).containsExactly(new double[] {1.1, 1.09}, within(1e-12)));
  }
}
