package io.sextant.evaluators.sor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The checked table of shared/reference/sor-bandit.md: 10 x 10 interior grid, b = all ones, x0 = 0, tolerance 1e-8 on
 * the relative residual checked after every sweep, cap 10000. Iteration counts must match exactly.
 */
class SorReferenceTableTest {
  private static final CsrMatrix A = Laplacians.poisson(10);

  private static double[] ones() {
    double[] b = new double[100];
    Arrays.fill(b, 1.0);
    return b;
  }

  private static int iterations(double shift, double omega) {
    return Sor.solve(A.shifted(shift), ones(), omega, 1e-8, 10_000).iterations();
  }

  @Test
  void unshiftedPoisson() {
    double beta = Relaxation.shiftedLaplacianBeta(10, 0);
    assertThat(beta).isCloseTo(Math.cos(Math.PI / 11), within(1e-15)).isCloseTo(0.959493, within(5e-7));
    double omega = Relaxation.omegaStar(beta);
    assertThat(omega).isCloseTo(1.56039, within(5e-6));
    assertThat(omega).isCloseTo(2 / (1 + Math.sin(Math.PI / 11)), within(1e-12));
    assertThat(iterations(0, omega)).isEqualTo(41);
    Map<Double, Integer> others = Map.of(1.0, 223, 1.5, 62, 1.55, 46, 1.6, 43, 1.65, 48, 1.8, 89, 1.95, 383);
    others.forEach((w, k) -> assertThat(iterations(0, w)).as("omega %s", w).isEqualTo(k));
  }

  @Test
  void highVarianceEdgeShift() {
    double beta = Relaxation.shiftedLaplacianBeta(10, -0.15);
    assertThat(beta).isCloseTo(0.996876, within(5e-7));
    double omega = Relaxation.omegaStar(beta);
    assertThat(omega).isCloseTo(1.85359, within(5e-6));
    assertThat(iterations(-0.15, omega)).isEqualTo(147);
    assertThat(iterations(-0.15, 1.85)).isEqualTo(166);
    assertThat(iterations(-0.15, 1.0)).isEqualTo(2927);
    assertThat(bestOnReferenceGrid(-0.15)).isEqualTo(166);
  }

  @Test
  void positiveShift() {
    double beta = Relaxation.shiftedLaplacianBeta(10, 0.45);
    assertThat(beta).isCloseTo(0.862466, within(5e-7));
    double omega = Relaxation.omegaStar(beta);
    assertThat(omega).isCloseTo(1.32792, within(5e-6));
    assertThat(iterations(0.45, omega)).isEqualTo(23);
    assertThat(iterations(0.45, 1.35)).isEqualTo(24);
    assertThat(bestOnReferenceGrid(0.45)).isEqualTo(24);
  }

  @Test
  void powerIterationAgreesWithTheClosedForm() {
    for (double c : new double[] {-0.15, 0.0, 0.45}) {
      double exact = Relaxation.shiftedLaplacianBeta(10, c);
      assertThat(Relaxation.jacobiSpectralRadius(A.shifted(c), 100_000)).as("c=%s", c).isCloseTo(exact, within(1e-9));
    }
    CsrMatrix big = Laplacians.poisson(24);
    assertThat(Relaxation.jacobiSpectralRadius(big, 100_000))
        .isCloseTo(Relaxation.shiftedLaplacianBeta(24, 0), within(1e-9));
  }

  @Test
  void capIsReportedWhenNotConverged() {
    SorResult r = Sor.solve(A.shifted(-0.15), ones(), 1.0, 1e-8, 100);
    assertThat(r.converged()).isFalse();
    assertThat(r.iterations()).isEqualTo(100);
    assertThat(r.relativeResidual()).isGreaterThan(1e-8);
  }

  /** Best count over the reference arm grid linspace(1, 1.95, 20). */
  private static int bestOnReferenceGrid(double shift) {
    int best = Integer.MAX_VALUE;
    for (int i = 0; i < 20; i++) {
      best = Math.min(best, iterations(shift, 1 + 0.05 * i));
    }
    return best;
  }
}
