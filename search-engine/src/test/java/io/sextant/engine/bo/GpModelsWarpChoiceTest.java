package io.sextant.engine.bo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The output warp is chosen by the likelihood of the raw values and cached with the hyperparameters. */
class GpModelsWarpChoiceTest {

  private static double[][] points(int n, int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[n][d];
    for (double[] xi : x) {
      for (int j = 0; j < d; j++) {
        xi[j] = r.nextDouble();
      }
    }
    return x;
  }

  private static double[] values(double[][] x, java.util.function.ToDoubleFunction<double[]> f) {
    return java.util.Arrays.stream(x).mapToDouble(f).toArray();
  }

  @Test
  void aSmoothFunctionSeenThroughAnExponentialIsModelledOnTheLogScale() {
    // log y is a smooth bowl; y itself spans four orders of magnitude with a heavy right tail
    double[][] x = points(40, 2, 1);
    double[] y = values(x, p -> Math.exp(10 * ((p[0] - 0.3) * (p[0] - 0.3) + (p[1] - 0.6) * (p[1] - 0.6))));
    List<OutcomeTransform> candidates = OutcomeTransform.candidates(y);
    assertThat(candidates).hasSize(3);
    GpModels.Chosen c = GpModels.fitChoosing(x, candidates, null, 2, new SplittableRandom(1));
    assertThat(c.transform().warped()).as(c.transform().label()).isTrue();
    assertThat(c.fitted().state()).containsEntry("warp", c.transform().label());
  }

  @Test
  void aSkewedButSmoothPolynomialKeepsItsLinearScaleNearTheMinimum() {
    // a bowl whose values are right-skewed (steep walls) but exactly polynomial: the funnel a small log offset
    // carves at the minimum fits worse than a nearly linear bottom
    double[][] x = points(40, 2, 2);
    double[] y = values(x, p -> {
      double a = p[0] - 0.5;
      double b = p[1] - 0.5;
      double q = a * a + b * b;
      return q * q * 100 + q;
    });
    List<OutcomeTransform> candidates = OutcomeTransform.candidates(y);
    GpModels.Chosen c = GpModels.fitChoosing(x, candidates, null, 2, new SplittableRandom(1));
    assertThat(c.transform().label()).isNotEqualTo("log0.1");
  }

  @Test
  void theCachedChoiceIsReusedUntilTheNextRefit() {
    double[][] x = points(60, 2, 3);
    double[] y = values(x, p -> Math.exp(8 * p[0] + 2 * p[1]));
    List<OutcomeTransform> candidates = OutcomeTransform.candidates(y);
    assertThat(candidates).hasSizeGreaterThan(1);
    GpModels.Chosen first = GpModels.fitChoosing(x, candidates, null, 2, new SplittableRandom(1));
    // a state fitted at 60 points naming another warp: at 60 points no refit is due, so that warp is used as cached
    String other = candidates.stream().map(OutcomeTransform::label)
        .filter(l -> !l.equals(first.transform().label())).findFirst().orElseThrow();
    Map<String, Object> state = new HashMap<>(first.fitted().state());
    state.put("warp", other);
    GpModels.Chosen again = GpModels.fitChoosing(x, candidates, state, 2, new SplittableRandom(2));
    assertThat(again.transform().label()).isEqualTo(other);
    assertThat(again.fitted().state()).containsEntry("fittedAt", 60).containsEntry("warp", other);
    // once the data grew by 10% the choice is made again from the data
    double[][] more = points(70, 2, 3);
    double[] moreY = values(more, p -> Math.exp(8 * p[0] + 2 * p[1]));
    GpModels.Chosen refit = GpModels.fitChoosing(more, OutcomeTransform.candidates(moreY), state, 2,
        new SplittableRandom(3));
    assertThat(refit.fitted().state()).containsEntry("fittedAt", 70);
  }
}
