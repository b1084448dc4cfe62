package io.sextant.evaluators.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sextant.evaluators.spi.Evaluator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Additive Gaussian noise: reproducible from seed + trial number, zero by default, of the configured spread. */
class NoiseTest {
  private static final Map<String, Object> AT_MIN = Problems.params(Math.PI, 2.275);

  private static double eval(Map<String, Object> config, long trial) throws Exception {
    Evaluator e = new Branin().create(Problems.floats(2, -5, 15, "loss"), config);
    return e.evaluate(AT_MIN, new FixedContext(List.of("loss"), trial)).get("loss");
  }

  @Test
  void noNoiseByDefault() throws Exception {
    assertThat(eval(Map.of(), 7)).isEqualTo(new Branin().value(new double[] {Math.PI, 2.275}, 1)[0]);
    assertThat(eval(Map.of("noise", 0.0, "seed", 5), 7)).isEqualTo(eval(Map.of(), 8));
  }

  @Test
  void sameSeedAndTrialGiveTheSameNoisyValue() throws Exception {
    Map<String, Object> cfg = Map.of("noise", 0.5, "seed", 42);
    assertThat(eval(cfg, 3)).isEqualTo(eval(cfg, 3));
    assertThat(eval(cfg, 3)).isNotEqualTo(eval(cfg, 4));
    assertThat(eval(cfg, 3)).isNotEqualTo(eval(Map.of("noise", 0.5, "seed", 43), 3));
  }

  @Test
  void noiseHasTheConfiguredStandardDeviation() throws Exception {
    double exact = eval(Map.of(), 0);
    Map<String, Object> cfg = Map.of("noise", 2.0, "seed", 1);
    List<Double> d = new ArrayList<>();
    for (long t = 0; t < 4000; t++) {
      d.add(eval(cfg, t) - exact);
    }
    double mean = d.stream().mapToDouble(x -> x).average().orElseThrow();
    double sd = Math.sqrt(d.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (d.size() - 1));
    // n = 4000: the mean has standard error 2 / sqrt(4000) = 0.032 and the sample sd about 2 / sqrt(8000) = 0.022;
    // the bounds are over 4 standard errors wide (and the seeds are fixed, so this never flakes).
    assertThat(mean).isCloseTo(0, within(0.15));
    assertThat(sd).isCloseTo(2.0, within(0.1));
  }

  @Test
  void everyObjectiveGetsItsOwnNoise() throws Exception {
    Evaluator e = new Zdt1().create(Problems.floats(2, 0, 1, "f1", "f2"), Map.of("noise", 0.1, "seed", 9));
    Map<String, Double> out = e.evaluate(Problems.params(0.25, 0), new FixedContext(List.of("f1", "f2"), 1));
    assertThat(out.get("f1") - 0.25).isNotEqualTo(out.get("f2") - 0.5);
  }
}
