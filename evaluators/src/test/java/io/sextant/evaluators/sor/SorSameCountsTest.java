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

  /** The benchmark's 22 omegas of an instance: the 20 arms, omega* and the textbook omega. */
  private static double[] benchmarkOmegas(SorInstance inst) {
    double[] omegas = new double[22];
    for (int a = 0; a < 20; a++) {
      omegas[a] = 1 + 0.05 * a;
    }
    omegas[20] = inst.omegaStar();
    omegas[21] = inst.textbookOmega();
    return omegas;
  }

  private static void assertSolveAllIsPlain(CsrMatrix a, double[] b, double[] omegas, int cap, String what) {
    SorResult[] all = Sor.solveAll(a, b, omegas, 1e-8, cap);
    assertThat(all).hasSize(omegas.length);
    for (int k = 0; k < omegas.length; k++) {
      assertThat(all[k]).as("%s omega %s", what, omegas[k]).isEqualTo(plainSolve(a, b, omegas[k], 1e-8, cap));
    }
  }

  @Test
  void solvingManyOmegasTogetherGivesEachOmegasPlainResult() {
    // every family, the benchmark's 22 omegas (lanes finish at different sweeps and are compacted), 2 instances each
    // at the benchmark's grid; the 3-D family also at its largest size (n = 8 drawn for some instance index)
    for (SorFamily family : SorFamily.values()) {
      SorInstances seq = new SorInstances(family, 10, 7, true);
      for (long i = 1; i <= 2; i++) {
        SorInstance inst = seq.instance(i);
        assertSolveAllIsPlain(inst.matrix(), inst.rhs(), benchmarkOmegas(inst), 10_000, family.id() + " " + i);
      }
    }
    SorInstances cubes = new SorInstances(SorFamily.POISSON_3D, 10, 7, true);
    long big = java.util.stream.LongStream.rangeClosed(1, 200).filter(i -> cubes.features(i).get("n") == 8)
        .findFirst().orElseThrow();
    SorInstance cube = cubes.instance(big);
    assertThat(cube.matrix().n()).isEqualTo(512);
    assertSolveAllIsPlain(cube.matrix(), cube.rhs(), benchmarkOmegas(cube), 10_000, "poisson-3d n = 8");
    // a number of omegas that is not a multiple of four (padded lanes), one omega, and repeated omegas
    SorInstance inst = new SorInstances(SorFamily.HIGH_VARIANCE, 10, 7, true).instance(3);
    assertSolveAllIsPlain(inst.matrix(), inst.rhs(), new double[] {1.9, 1.0, 1.45, 1.7, 1.2}, 10_000, "five");
    assertSolveAllIsPlain(inst.matrix(), inst.rhs(), new double[] {1.3}, 10_000, "one");
    assertSolveAllIsPlain(inst.matrix(), inst.rhs(), new double[] {1.5, 1.5, 1.0, 1.5}, 10_000, "repeated");
    // the cap reached by some omegas and not others
    assertSolveAllIsPlain(inst.matrix(), inst.rhs(), benchmarkOmegas(inst), 150, "capped at 150");
    assertThat(Sor.solveAll(inst.matrix(), inst.rhs(), new double[] {1.0, 1.8}, 1e-8, 150))
        .extracting(SorResult::converged).containsExactly(false, true);
    // a zero right-hand side: converged at sweep 0 for every omega, as solve
    assertThat(Sor.solveAll(inst.matrix(), new double[100], new double[] {1.0, 1.5}, 1e-8, 100))
        .containsExactly(Sor.solve(inst.matrix(), new double[100], 1.0, 1e-8, 100),
            Sor.solve(inst.matrix(), new double[100], 1.5, 1e-8, 100));
  }

  @Test
  void solvingManyOmegasTogetherOnAnIrregularMatrixGivesEachOmegasPlainResult() {
    // no stencil: rows of 1 to 7 entries at random columns (non-symmetric), diagonally dominant so every omega in
    // (0, 2)... converges or not as it may; and one that is not dominant, where some omegas diverge (non-finite
    // residual: the cap is reported, as solve does)
    for (double dominance : new double[] {1.5, 0.3}) {
      java.util.SplittableRandom r = new java.util.SplittableRandom(11);
      int n = 60;
      int[] rowStart = new int[n + 1];
      java.util.List<Integer> cols = new java.util.ArrayList<>();
      java.util.List<Double> vals = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        rowStart[i] = cols.size();
        java.util.TreeMap<Integer, Double> row = new java.util.TreeMap<>();
        int k = r.nextInt(7);
        double off = 0;
        for (int e = 0; e < k; e++) {
          int j = r.nextInt(n);
          if (j != i && !row.containsKey(j)) {
            double v = r.nextDouble(-1, 1);
            row.put(j, v);
            off += Math.abs(v);
          }
        }
        row.put(i, dominance * off + 0.1);
        row.forEach((j, v) -> {
          cols.add(j);
          vals.add(v);
        });
      }
      rowStart[n] = cols.size();
      CsrMatrix a = new CsrMatrix(n, rowStart, cols.stream().mapToInt(Integer::intValue).toArray(),
          vals.stream().mapToDouble(Double::doubleValue).toArray());
      double[] b = r.doubles(n, -1, 1).toArray();
      double[] omegas = new double[19];
      for (int k = 0; k < omegas.length; k++) {
        omegas[k] = 0.1 * (k + 1);
      }
      assertSolveAllIsPlain(a, b, omegas, 3_000, "irregular, dominance " + dominance);
      if (dominance < 1) {
        assertThat(Sor.solveAll(a, b, omegas, 1e-8, 3_000)).extracting(SorResult::relativeResidual)
            .anyMatch(rel -> !Double.isFinite(rel));
      }
    }
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
