package io.sextant.engine.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReferenceProgramsTest {
  /** Lion's checked two-step vector (shared/reference/program-search.md): f = theta^2, theta0 = 1, lr 0.1, wd 0. */
  @Test
  void lionReproducesTheCheckedTwoStepVector() {
    CompiledProgram.Run run = CompiledProgram.compile(ReferencePrograms.lion(0.9, 0.99, 0.0, 1.0)).start(1);
    double[] theta = {1.0};
    double[] update = new double[1];
    run.step(theta, new double[] {2 * theta[0]}, 0.1, update);
    theta[0] -= update[0];
    assertThat(theta[0]).isCloseTo(0.9, within(1e-12));
    assertThat(run.m()[0]).isCloseTo(0.02, within(1e-12));
    run.step(theta, new double[] {2 * theta[0]}, 0.1, update);
    theta[0] -= update[0];
    assertThat(theta[0]).isCloseTo(0.8, within(1e-12));
    assertThat(run.m()[0]).isCloseTo(0.0378, within(1e-12));
  }

  /**
   * With decoupled weight decay lambda, Lion's iterates end inside ||w||_inf <= 1/lambda even when the unconstrained
   * minimum lies far outside; one step moves a coordinate by at most lr (1 + lambda |w|), hence the tolerance.
   */
  @Test
  void lionStaysInTheWeightDecayBox() {
    double lambda = 0.5;
    double lr = 0.01;
    int n = 20;
    SplittableRandom rng = new SplittableRandom(3);
    double[] target = new double[n];
    double[] scale = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      target[i] = (rng.nextBoolean() ? 1 : -1) * (5 + 10 * rng.nextDouble()); // far outside the box [-2, 2]
      scale[i] = Math.pow(10, 3 * rng.nextDouble()); // ill-conditioned diagonal quadratic
      w[i] = rng.nextDouble(-1, 1);
    }
    CompiledProgram.Run run = CompiledProgram.compile(ReferencePrograms.lion(0.9, 0.99, lambda, 1.0)).start(n);
    double[] g = new double[n];
    double[] u = new double[n];
    for (int step = 0; step < 3000; step++) {
      for (int i = 0; i < n; i++) {
        g[i] = scale[i] * (w[i] - target[i]) + rng.nextGaussian();
      }
      run.step(w, g, lr, u);
      for (int i = 0; i < n; i++) {
        w[i] -= u[i];
      }
    }
    for (int i = 0; i < n; i++) {
      assertThat(Math.abs(w[i])).isLessThanOrEqualTo(1 / lambda + 2 * lr);
      assertThat(Math.abs(w[i])).as("pushed against the box").isGreaterThan(1 / lambda - 0.1);
    }
  }

  /** The AdamW program equals a direct implementation (no bias correction; the division guard as eps). */
  @Test
  void adamwEqualsAStraightforwardImplementation() {
    int n = 7;
    SplittableRandom rng = new SplittableRandom(5);
    double[] w = new double[n];
    double[] ref = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = ref[i] = rng.nextGaussian();
    }
    double[] m = new double[n];
    double[] v = new double[n];
    CompiledProgram.Run run = CompiledProgram.compile(ReferencePrograms.adamw()).start(n);
    double[] g = new double[n];
    double[] u = new double[n];
    double lr = 3.0;
    for (int step = 0; step < 100; step++) {
      for (int i = 0; i < n; i++) {
        g[i] = rng.nextGaussian() * (i + 1) + 0.3 * w[i];
      }
      run.step(w, g, lr, u);
      for (int i = 0; i < n; i++) {
        m[i] = 0.9 * m[i] + 0.1 * g[i];
        v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
        double update = m[i] / Math.max(Math.sqrt(v[i]), 1e-8) + 0.01 * ref[i];
        ref[i] -= lr * 0.001 * update;
        w[i] -= u[i];
      }
      assertThat(w).containsExactly(ref, within(1e-12));
      assertThat(run.m()).containsExactly(m, within(1e-12));
      assertThat(run.v()).containsExactly(v, within(1e-12));
    }
  }

  @Test
  void sgdAndMomentumMatchTheirDefinitions() {
    CompiledProgram.Run sgd = CompiledProgram.compile(ReferencePrograms.sgd(1.0)).start(2);
    double[] u = new double[2];
    sgd.step(new double[] {1, 2}, new double[] {3, -4}, 0.5, u);
    assertThat(u).containsExactly(1.5, -2.0);
    CompiledProgram.Run mom = CompiledProgram.compile(ReferencePrograms.momentum(0.9, 1.0)).start(1);
    double[] u1 = new double[1];
    mom.step(new double[] {0}, new double[] {1}, 0.1, u1);
    assertThat(u1[0]).isCloseTo(0.1, within(1e-15));
    mom.step(new double[] {0}, new double[] {1}, 0.1, u1);
    assertThat(u1[0]).isCloseTo(0.19, within(1e-15));
  }

  @Test
  void referenceProgramsPrintAsReadableCode() {
    assertThat(ReferencePrograms.lion().toString()).isEqualTo("""
        def train(w, g, m, v, lr):
            c = interp(g, m, 0.9)
            s = sign(c)
            wd = w * 0.1
            update = s + wd
            lr1 = lr * 0.0003
            update = update * lr1
            m = interp(g, m, 0.99)
            return update, m, v
        """);
  }
}
