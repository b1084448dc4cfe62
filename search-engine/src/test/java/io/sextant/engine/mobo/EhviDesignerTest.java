package io.sextant.engine.mobo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerContractTest;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.InvalidConfig;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.nsga2.MoProblems;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialView;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EhviDesignerTest extends DesignerContractTest {
  /** Never a proposal within 1e-3 of a PRUNED or FAILED trial (issue 24). */
  @org.junit.jupiter.api.Test
  void neverProposesNearPrunedOrFailedTrials() {
    assertNeverProposesNearPrunedOrFailedTrials();
  }

  @Override
  protected DesignerProvider provider() {
    return new EhviDesignerProvider();
  }

  @Override
  protected Map<String, Object> options() {
    return MoBoFixtures.contractOptions();
  }

  private static StudyProblem objectives(int m) {
    return MoBoFixtures.objectives(m);
  }

  @Override
  protected List<InvalidConfig> invalidConfigs() {
    List<InvalidConfig> out = new java.util.ArrayList<>(MoBoFixtures.invalidOptions());
    out.add(new InvalidConfig("four objectives", objectives(4), Map.of(), "objectives"));
    return out;
  }

  @Test
  void fourObjectivesAreRefusedNamingTheFieldButThreeWork() {
    assertThatThrownBy(() -> provider().create(objectives(4), Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.field()).isEqualTo("objectives");
          assertThat(e.getMessage()).contains("at most 3");
        });
    MoProblems.Problem dtlz = MoProblems.dtlz2(5, 3);
    Designer d = provider().create(dtlz.study(), options());
    List<TrialView> h = MoProblems.run(d, dtlz, 10, 5, 1);
    Proposal p = d.suggest(snapshotFor(d, dtlz.study(), h), 2, rng());
    assertThat(p.suggestions()).allSatisfy(s -> assertThat(s.metadata()).containsEntry("phase", "ehvi"));
    assertThat((Long) p.suggestions().get(0).metadata().get("boxes")).isGreaterThan(1L);
  }

  @Test
  void batchAndPendingTrialsGetDistinctPoints() {
    MoBoFixtures.batchIsDistinct(provider(), options());
  }

  @Test
  void maximizedObjectivesAreMirrored() {
    MoBoFixtures.mixedDirectionsAreMirrored(provider(), options());
  }

  /**
   * A reference point that nothing can reach (1e9 standard deviations below every observation) floors log EHVI
   * everywhere; the designer must then fall back to an upper confidence bound and still return distinct points.
   */
  @Test
  void unreachableReferencePointFallsBackInsteadOfStalling() {
    MoProblems.Problem p = MoProblems.zdt1(4);
    List<TrialView> h = MoBoFixtures.zdtHistory(p, 10, 6);
    Map<String, Object> opts = new java.util.HashMap<>(options());
    opts.put("referencePoint", List.of(-1e9, -1e9));
    Designer d = provider().create(p.study(), opts);
    Proposal prop = d.suggest(StudySnapshot.of(p.study(), h.size(), h), 3, rng());
    assertThat(prop.suggestions()).allSatisfy(s -> {
      assertInSpace(p.study().space(), s);
      assertThat(s.metadata()).containsEntry("phase", "fallback-ucb");
    });
    assertThat(prop.suggestions().stream().map(s -> s.params()).distinct()).hasSize(3);
  }

  @Test
  void hyperparametersAreCachedPerObjective() {
    MoProblems.Problem p = MoProblems.zdt1(4);
    List<TrialView> h = MoBoFixtures.zdtHistory(p, 10, 2);
    Designer d = provider().create(p.study(), options());
    Proposal prop = d.suggest(StudySnapshot.of(p.study(), h.size(), h), 1, rng());
    assertThat(prop.nextState()).hasValueSatisfying(s -> assertThat((List<?>) s.get("objectives")).hasSize(2));
  }

  /**
   * ZDT1 with n = 6 and 60 evaluations (sequential asks, no cached state), seeds 1 and 2: the hypervolume (ref 1.1)
   * must clear max(0.5, best of 5 random-search runs of the same budget + 0.4). Measured when written: random search
   * 0.0 for all 5 seeds (no random point of ZDT1 with n = 6 gets inside the reference box in 60 draws),
   * EHVI 0.821 and 0.818 (maximum 0.877). The default reference point has changed twice since (issue 24): with the
   * current front's nadir + 10% raised to the GPs' payoff table 0.689 and 0.780, with the rule that keeps 40% of the
   * front's widest extent 0.735 and 0.589 (2026-12-07), so the floor is 0.5, not 0.6: still far above random search.
   */
  @Test
  void beatsRandomSearchClearlyOnZdt1() {
    MoProblems.Problem p = MoProblems.zdt1(6);
    double randomBest = Arrays.stream(MoBoFixtures.randomSearchHypervolumes(p, 60, 1, 2, 3, 4, 5)).max().orElseThrow();
    long[] seeds = {1, 2};
    double[] hv = new double[seeds.length];
    for (int i = 0; i < seeds.length; i++) {
      Designer d = provider().create(p.study(), Map.of("seed", seeds[i], "candidates", 256, "restarts", 2));
      hv[i] = MoProblems.hypervolume(p, MoProblems.run(d, p, 60, 1, seeds[i]));
    }
    for (int i = 0; i < seeds.length; i++) {
      assertThat(hv[i]).as("seed %d: EHVI %s (seeds %s) vs random %f", seeds[i], Arrays.toString(hv),
          Arrays.toString(seeds), randomBest).isGreaterThan(Math.max(0.5, randomBest + 0.4));
    }
  }
}
