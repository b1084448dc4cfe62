package io.sextant.evaluators.sor;

/**
 * A/B of the cost-table solves (not a test): per benchmarked family, the first {@code count} instances of seed 5 are
 * solved at the benchmark's 22 omegas (20 arms, omega*, textbook) once by 22 calls of {@link Sor#solve} (how the
 * tables were built before) and once by one {@link Sor#solveAll}, alternating which goes first from instance to
 * instance, in the same JVM; prints ms of solving per instance and the ratio, for each of {@code rounds} rounds (the
 * first includes JIT warm-up), and fails if any result differs. Run: {@code java -cp
 * search-engine/target/classes:evaluators/target/classes:evaluators/target/test-classes
 * io.sextant.evaluators.sor.SolveAllBenchmark [count [rounds]]}.
 */
public final class SolveAllBenchmark {
  private SolveAllBenchmark() {}

  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 150;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    for (int round = 0; round < rounds; round++) {
      for (SorFamily family : BanditBenchmark.BENCHMARKED) {
        SorInstances seq = new SorInstances(family, 10, 5, true);
        long one = 0;
        long together = 0;
        long sweeps = 0;
        for (int q = 0; q < count; q++) {
          SorInstance inst = seq.instance(q + 1);
          double[] omegas = new double[22];
          for (int a = 0; a < 20; a++) {
            omegas[a] = 1 + 0.05 * a;
          }
          omegas[20] = inst.omegaStar();
          omegas[21] = inst.textbookOmega();
          SorResult[] each = new SorResult[22];
          SorResult[] all = null;
          for (int pass = 0; pass < 2; pass++) {
            boolean eachNow = ((q + pass) & 1) == 0;
            long t0 = System.nanoTime();
            if (eachNow) {
              for (int k = 0; k < 22; k++) {
                each[k] = Sor.solve(inst.matrix(), inst.rhs(), omegas[k], 1e-8, 10_000);
              }
              one += System.nanoTime() - t0;
            } else {
              all = Sor.solveAll(inst.matrix(), inst.rhs(), omegas, 1e-8, 10_000);
              together += System.nanoTime() - t0;
            }
          }
          if (!java.util.Arrays.equals(each, all)) {
            throw new AssertionError(family.id() + " instance " + (q + 1) + ": solveAll differs from solve");
          }
          for (SorResult r : each) {
            sweeps += r.iterations();
          }
        }
        System.out.printf("round %d %-21s 22 x solve %6.2f ms/instance, solveAll %6.2f ms/instance: %.2fx "
            + "(%d sweeps per instance)%n", round, family.id(), one * 1e-6 / count, together * 1e-6 / count,
            (double) one / together, sweeps / count);
      }
    }
  }
}
