package io.sextant.engine.designer.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerContractTest;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.InvalidConfig;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.space.CategoricalParameter;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.StudyProblem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RandomDesignerTest extends DesignerContractTest {
  @Override
  protected DesignerProvider provider() {
    return new RandomDesignerProvider();
  }

  @Override
  protected Map<String, Object> options() {
    return Map.of("seed", 42);
  }

  @Override
  protected List<InvalidConfig> invalidConfigs() {
    StudyProblem p = singleObjective(mixedSpace());
    return List.of(
        new InvalidConfig("non-integer seed", p, Map.of("seed", 1.5), "seed"),
        new InvalidConfig("string seed", p, Map.of("seed", "42"), "seed"),
        new InvalidConfig("seed out of range", p, Map.of("seed", 1e30), "seed"));
  }

  @Test
  void suggestionsAreExactlySpaceSamplesFromTheGivenGenerator() {
    StudyProblem problem = singleObjective(mixedSpace());
    Designer d = provider().create(problem, options());
    Proposal p = d.suggest(StudySnapshot.of(problem, 17, List.of()), 5, new SplittableRandom(99));
    RandomGenerator expected = new SplittableRandom(99);
    for (Suggestion s : p.suggestions()) {
      assertThat(s.params()).isEqualTo(problem.space().sample(expected));
      assertThat(s.metadata()).isEmpty();
    }
  }

  @Test
  void differentGeneratorSeedsGiveDifferentSuggestions() {
    StudyProblem problem = singleObjective(mixedSpace());
    Designer d = provider().create(problem, options());
    StudySnapshot snap = StudySnapshot.of(problem, 0, List.of());
    assertThat(d.suggest(snap, 3, new SplittableRandom(1))).isNotEqualTo(d.suggest(snap, 3, new SplittableRandom(2)));
  }

  @Test
  void samplesAreUniformInEachParametersOwnScale() {
    SearchSpace space = new SearchSpace(List.of(
        new FloatParameter("x", -2.0, 2.0, false, OptionalDouble.empty(), Optional.empty()),
        new FloatParameter("lr", 1e-4, 1.0, true, OptionalDouble.empty(), Optional.empty()),
        new CategoricalParameter("c", List.of("a", "b", "c", "d"), Optional.empty())));
    StudyProblem problem = singleObjective(space);
    Designer d = provider().create(problem, Map.of());
    int n = 40_000;
    List<Suggestion> all = d.suggest(StudySnapshot.of(problem, 0, List.of()), n, new SplittableRandom(2024))
        .suggestions();
    int[] xBins = new int[4];
    int[] lrDecades = new int[4];
    Map<Object, Integer> cats = new HashMap<>();
    for (Suggestion s : all) {
      xBins[(int) Math.min(3, Math.floor(((Double) s.params().get("x") + 2.0)))]++;
      lrDecades[(int) Math.min(3, Math.floor(Math.log10((Double) s.params().get("lr")) + 4))]++;
      cats.merge(s.params().get("c"), 1, Integer::sum);
    }
    // Each of the 4 cells has p = 1/4: mean 10000, sd = sqrt(n p (1 - p)) ~ 87. A 5-sd band (+/-435) makes a false
    // alarm practically impossible (and the generator is seeded, so the test is deterministic anyway).
    for (int k = 0; k < 4; k++) {
      assertThat(xBins[k]).as("x quarter %d", k).isBetween(10_000 - 435, 10_000 + 435);
      assertThat(lrDecades[k]).as("lr decade %d (log scale)", k).isBetween(10_000 - 435, 10_000 + 435);
    }
    assertThat(cats).containsOnlyKeys("a", "b", "c", "d");
    cats.values().forEach(c -> assertThat(c).isBetween(10_000 - 435, 10_000 + 435));
  }

  @Test
  void conditionalChildrenAppearExactlyWhenTheirParentMatches() {
    StudyProblem problem = singleObjective(conditionalSpace());
    Designer d = provider().create(problem, Map.of());
    List<Suggestion> all = d.suggest(StudySnapshot.of(problem, 0, List.of()), 400, new SplittableRandom(5))
        .suggestions();
    int sgd = 0;
    int deep = 0;
    for (Suggestion s : all) {
      boolean isSgd = s.params().get("optimizer").equals("sgd");
      sgd += isSgd ? 1 : 0;
      assertThat(s.params().containsKey("nesterov")).isEqualTo(isSgd);
      assertThat(s.params().containsKey("beta1")).isEqualTo(!isSgd);
      assertThat(s.params().containsKey("eps")).isEqualTo(!isSgd);
      assertThat(s.params().containsKey("dampening")).isEqualTo(isSgd && s.params().get("nesterov").equals(false));
      long layers = (Long) s.params().get("layers");
      deep += layers >= 3 ? 1 : 0;
      assertThat(s.params().containsKey("units_deep")).isEqualTo(layers >= 3);
      assertThat(s.params().containsKey("kernel")).isEqualTo(layers == 4);
    }
    // Both branches are exercised (binomial(400, 1/2): 0 or 400 has probability 2^-399).
    assertThat(sgd).isBetween(100, 300);
    assertThat(deep).isBetween(100, 300);
  }

  @Test
  void countBelowOneIsRejected() {
    StudyProblem problem = singleObjective(mixedSpace());
    Designer d = provider().create(problem, Map.of());
    assertThatThrownBy(() -> d.suggest(StudySnapshot.of(problem, 0, List.of()), 0, new SplittableRandom(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
