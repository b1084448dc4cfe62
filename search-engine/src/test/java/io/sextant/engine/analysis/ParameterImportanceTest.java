package io.sextant.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.engine.space.CategoricalParameter;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParameterImportanceTest {
  @Test
  void theParameterThatDrivesTheObjectiveIsTheImportantOne() {
    SearchSpace space = new SearchSpace(List.of(
        new FloatParameter("a", 0, 1, false, OptionalDouble.empty(), Optional.empty()),
        new FloatParameter("b", 0, 1, false, OptionalDouble.empty(), Optional.empty()),
        new CategoricalParameter("c", List.of("x", "y"), Optional.empty())));
    SplittableRandom rng = new SplittableRandom(1);
    List<Map<String, Object>> ps = new ArrayList<>();
    double[] ys = new double[2000];
    for (int i = 0; i < ys.length; i++) {
      Map<String, Object> p = space.sample(rng);
      ps.add(p);
      // y = 10 a^2 + 0.1 b + 1 if c == y: a explains almost everything, c a little, b nearly nothing
      ys[i] = 10 * Math.pow((double) p.get("a"), 2) + 0.1 * (double) p.get("b") + ("y".equals(p.get("c")) ? 1 : 0);
    }
    Map<String, Double> imp = ParameterImportance.mainEffects(space, ps, ys, 10);
    assertThat(imp.keySet()).containsExactly("a", "b", "c");
    assertThat(imp.get("a")).isGreaterThan(0.85);
    assertThat(imp.get("c")).isBetween(0.01, 0.1);
    assertThat(imp.get("b")).isLessThan(0.01);
  }

  @Test
  void pureNoiseGetsNearZeroAndTooFewTrialsGiveNothing() {
    SearchSpace space = new SearchSpace(List.of(
        new FloatParameter("a", 0, 1, false, OptionalDouble.empty(), Optional.empty())));
    SplittableRandom rng = new SplittableRandom(2);
    List<Map<String, Object>> ps = new ArrayList<>();
    double[] ys = new double[1000];
    for (int i = 0; i < ys.length; i++) {
      ps.add(space.sample(rng));
      ys[i] = rng.nextGaussian();
    }
    // the small-sample correction removes the (k-1)/n share noise explains on average; 0.02 is ~4 standard errors
    assertThat(ParameterImportance.mainEffects(space, ps, ys, 10).get("a")).isLessThan(0.02);
    assertThat(ParameterImportance.mainEffects(space, ps.subList(0, 3), java.util.Arrays.copyOf(ys, 3), 10)).isEmpty();
  }
}
