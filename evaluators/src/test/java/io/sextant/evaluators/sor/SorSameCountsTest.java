package io.sextant.evaluators.sor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The solver and the power iteration were rewritten for speed (no allocation per step, the residual fused into the
 * sweep). Their results must be bit-for-bit those of the straightforward implementations kept below (the code as
 * it was before the rewrite): the same iteration counts, residuals and omega*, on instances of every family, at the
 * benchmark's omegas, omega* and the textbook omega.
 */
class SorSameCountsTest {

  @Test
  void iterationCountsResidualsAndOmegaStarEqualThePlainImplementation() {
    int compared = 0;
    for (SorFamily family : SorFamily.values()) {
      SorInstances seq = new SorInstances(family, 10, 3, true);
      for (long i = 1; i <= 4; i++) {
        SorInstance inst = seq.instance(i);
        if (family == SorFamily.VARIABLE_COEFFICIENT || family == SorFamily.DIFFUSION) {
          assertThat(Relaxation.jacobiSpectralRadius(inst.matrix(), 200_000))
              .isEqualTo(plainSpectralRadius(inst.matrix(), 200_000));
        }
        double[] omegas = new double[22];
        for (int a = 0; a < 20; a++) {
          omegas[a] = 1 + 0.05 * a;
        }
        omegas[20] = inst.omegaStar();
        omegas[21] = inst.textbookOmega();
        for (double omega : omegas) {
          SorResult fast = Sor.solve(inst.matrix(), inst.rhs(), omega, 1e-8, 10_000);
          SorResult plain = plainSolve(inst.matrix(), inst.rhs(), omega, 1e-8, 10_000);
          assertThat(fast).as("%s instance %d omega %s", family.id(), i, omega).isEqualTo(plain);
          compared++;
        }
      }
    }
    // a capped solve (the cap is reached, not the tolerance) and a non-symmetric-stencil-free case: ones rhs
    CsrMatrix a = Laplacians.poisson(10).shifted(-0.15);
    double[] ones = new double[100];
    java.util.Arrays.fill(ones, 1.0);
    assertThat(Sor.solve(a, ones, 1.0, 1e-8, 100)).isEqualTo(plainSolve(a, ones, 1.0, 1e-8, 100));
    assertThat(Sor.solve(a, ones, 1.0, 1e-8, 100).converged()).isFalse();
    assertThat(compared).isEqualTo(6 * 4 * 22);
  }

  /** The solver as it was: a sweep skipping the diagonal in place, then a separate residual pass. */
  static SorResult plainSolve(CsrMatrix a, double[] b, double omega, double tolerance, int maxIterations) {
    int n = a.n();
    int[] rs = a.rowStart();
    int[] cols = a.columns();
    double[] vals = a.values();
    double[] diag = a.diagonal();
    double norm0 = Sor.norm(b);
    if (norm0 == 0) {
      return new SorResult(0, true, 0.0);
    }
    double[] x = new double[n];
    double rel = 1.0;
    for (int k = 1; k <= maxIterations; k++) {
      for (int i = 0; i < n; i++) {
        double s = b[i];
        for (int p = rs[i]; p < rs[i + 1]; p++) {
          int j = cols[p];
          if (j != i) {
            s -= vals[p] * x[j];
          }
        }
        x[i] = (1 - omega) * x[i] + omega * s / diag[i];
      }
      double rr = 0;
      for (int i = 0; i < n; i++) {
        double r = b[i];
        for (int p = rs[i]; p < rs[i + 1]; p++) {
          r -= vals[p] * x[cols[p]];
        }
        rr += r * r;
      }
      rel = Math.sqrt(rr) / norm0;
      if (rel < tolerance) {
        return new SorResult(k, true, rel);
      }
      if (!Double.isFinite(rel)) {
        return new SorResult(maxIterations, false, rel);
      }
    }
    return new SorResult(maxIterations, false, rel);
  }

  /** The power iteration as it was (fresh arrays every step). */
  static double plainSpectralRadius(CsrMatrix a, int maxSteps) {
    int n = a.n();
    double[] d = a.diagonal();
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = 1 / Math.sqrt(d[i]);
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 1.0 + 0.001 * ((i * 7919) % 101) / 101.0;
    }
    normalize(v);
    double mu = 0;
    double previous = Double.NaN;
    for (int step = 1; step <= maxSteps; step++) {
      double[] u = new double[n];
      for (int i = 0; i < n; i++) {
        u[i] = s[i] * v[i];
      }
      double[] au = a.multiply(u);
      double[] w = new double[n];
      for (int i = 0; i < n; i++) {
        w[i] = v[i] - 0.5 * s[i] * au[i];
      }
      double q = 0;
      for (int i = 0; i < n; i++) {
        q += v[i] * w[i];
      }
      mu = q;
      normalize(w);
      v = w;
      if (step % 10 == 0) {
        if (Math.abs(mu - previous) < 1e-13) {
          break;
        }
        previous = mu;
      }
    }
    return Math.min(Math.max(2 * mu - 1, 0.0), 1.0);
  }

  private static void normalize(double[] v) {
    double nrm = Sor.norm(v);
    for (int i = 0; i < v.length; i++) {
      v[i] /= nrm;
    }
  }
}
