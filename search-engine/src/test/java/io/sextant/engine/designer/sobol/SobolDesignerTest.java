package io.sextant.engine.designer.sobol;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerContractTest;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.InvalidConfig;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.Parameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.StudyProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SobolDesignerTest extends DesignerContractTest {
  @Override
  protected DesignerProvider provider() {
    return new SobolDesignerProvider();
  }

  @Override
  protected Map<String, Object> options() {
    return Map.of("seed", 7);
  }

  @Override
  protected List<InvalidConfig> invalidConfigs() {
    StudyProblem p = singleObjective(mixedSpace());
    return List.of(
        new InvalidConfig("non-integer seed", p, Map.of("seed", 0.5), "seed"),
        new InvalidConfig("non-boolean scramble", p, Map.of("scramble", "yes"), "scramble"),
        new InvalidConfig("more dimensions than direction numbers", singleObjective(unitCube(1001)), Map.of(),
            "space"));
  }

  private static SearchSpace unitCube(int d) {
    List<Parameter> ps = new ArrayList<>();
    for (int i = 0; i < d; i++) {
      ps.add(new FloatParameter("x" + i, 0.0, 1.0, false, OptionalDouble.empty(), Optional.empty()));
    }
    return new SearchSpace(ps);
  }

  private static Proposal suggest(Designer d, StudyProblem problem, long issued, int count) {
    return d.suggest(StudySnapshot.of(problem, issued, List.of()), count, new SplittableRandom(issued));
  }

  @Test
  void suggestionsAreSequencePointsFromTheIssuedCountOn() {
    StudyProblem problem = singleObjective(mixedSpace());
    SobolDesigner d = (SobolDesigner) provider().create(problem, Map.of("seed", 3));
    SobolSequence expected = SobolSequence.scrambled(problem.space().samplingDimensions(), 3);
    for (long c : new long[] {0, 1, 5, 1000}) {
      List<Suggestion> got = suggest(d, problem, c, 6).suggestions();
      for (int k = 0; k < 6; k++) {
        assertThat(got.get(k).params()).isEqualTo(problem.space().fromUnit(expected.point(c + k)));
        assertThat(got.get(k).metadata()).containsEntry(SobolDesigner.INDEX_KEY, c + k);
      }
    }
  }

  @Test
  void batchingDoesNotChangeTheSequenceAndTheGeneratorIsIgnored() {
    StudyProblem problem = singleObjective(mixedSpace());
    Designer d = provider().create(problem, options());
    List<Suggestion> whole = suggest(d, problem, 10, 7).suggestions();
    List<Suggestion> parts = new ArrayList<>(suggest(d, problem, 10, 3).suggestions());
    parts.addAll(suggest(d, problem, 13, 4).suggestions());
    assertThat(parts).isEqualTo(whole);
    StudySnapshot snap = StudySnapshot.of(problem, 10, List.of());
    assertThat(d.suggest(snap, 4, new SplittableRandom(1))).isEqualTo(d.suggest(snap, 4, new SplittableRandom(2)));
  }

  @Test
  void unscrambledStartsAtTheOriginAndFollowsSobol() {
    StudyProblem problem = singleObjective(unitCube(2));
    Designer d = provider().create(problem, Map.of("scramble", false));
    List<Suggestion> got = suggest(d, problem, 0, 4).suggestions();
    assertThat(got).extracting(s -> s.params().get("x0")).containsExactly(0.0, 0.5, 0.75, 0.25);
    assertThat(got).extracting(s -> s.params().get("x1")).containsExactly(0.0, 0.5, 0.25, 0.75);
  }

  @Test
  void scrambleIsOnByDefaultAndDerivedFromTheSeedOption() {
    StudyProblem problem = singleObjective(unitCube(4));
    SobolDesigner byDefault = (SobolDesigner) provider().create(problem, Map.of());
    assertThat(byDefault.sequence().isScrambled()).isTrue();
    Proposal seed0 = suggest(byDefault, problem, 0, 8);
    assertThat(suggest(provider().create(problem, Map.of("seed", 0)), problem, 0, 8)).isEqualTo(seed0);
    assertThat(suggest(provider().create(problem, Map.of("seed", 1)), problem, 0, 8)).isNotEqualTo(seed0);
    for (Suggestion s : seed0.suggestions()) {
      assertThat(s.params().values()).allSatisfy(v -> assertThat((Double) v).isGreaterThan(0.0).isLessThan(1.0));
    }
  }

  @Test
  void zeroDimensionalSpaceGivesTheFixedValues() {
    StudyProblem problem = singleObjective(fixedOnlySpace());
    Designer d = provider().create(problem, Map.of());
    assertThat(suggest(d, problem, 3, 2).suggestions())
        .extracting(Suggestion::params)
        .containsExactly(Map.of("a", 1L, "b", "x"), Map.of("a", 1L, "b", "x"));
  }

  @Test
  void thousandDimensionsAreSupportedAndStratified() {
    StudyProblem problem = singleObjective(unitCube(1000));
    Designer d = provider().create(problem, Map.of("seed", 5));
    List<Suggestion> got = suggest(d, problem, 0, 4).suggestions();
    // The first 4 points hit each quarter of every axis exactly once.
    for (int j = 0; j < 1000; j++) {
      String name = "x" + j;
      int[] quarters = got.stream().mapToInt(s -> (int) ((Double) s.params().get(name) * 4)).sorted().toArray();
      assertThat(quarters).as(name).containsExactly(IntStream.range(0, 4).toArray());
    }
  }
}
