package io.sextant.engine.mobo;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerContractTest;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.nsga2.MoProblems;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** Checks shared by the ehvi and parego tests. */
final class MoBoFixtures {
  private MoBoFixtures() {}

  /**
   * Options for the contract checks: a short initial design so the contract's 10-15 trial histories reach the GP
   * phase; few candidates keep the suite fast on 2 cores.
   */
  static Map<String, Object> contractOptions() {
    return Map.of("seed", 7, "initialTrials", 4, "candidates", 128, "restarts", 2);
  }

  /** A problem over the contract's mixed space with m minimized objectives. */
  static StudyProblem objectives(int m) {
    List<Objective> objs = java.util.stream.IntStream.range(0, m)
        .mapToObj(i -> new Objective("f" + i, Direction.MINIMIZE)).toList();
    return new StudyProblem(DesignerContractTest.mixedSpace(), objs, List.of());
  }

  /** Option errors both designers must refuse, naming the option. */
  static List<io.sextant.engine.designer.InvalidConfig> invalidOptions() {
    StudyProblem two = DesignerContractTest.twoObjectives(DesignerContractTest.mixedSpace());
    return List.of(
        new io.sextant.engine.designer.InvalidConfig("non-integer seed", two, Map.of("seed", 1.5), "seed"),
        new io.sextant.engine.designer.InvalidConfig("negative initialTrials", two, Map.of("initialTrials", -1),
            "initialTrials"),
        new io.sextant.engine.designer.InvalidConfig("zero candidates", two, Map.of("candidates", 0), "candidates"),
        new io.sextant.engine.designer.InvalidConfig("reference point of wrong length", two,
            Map.of("referencePoint", List.of(1.0)), "referencePoint"),
        new io.sextant.engine.designer.InvalidConfig("reference point not numbers", two,
            Map.of("referencePoint", List.of(1.0, "x")), "referencePoint"),
        new io.sextant.engine.designer.InvalidConfig("reference point not a list", two,
            Map.of("referencePoint", 3), "referencePoint"));
  }

  /** ZDT1 trials at Sobol-like random points (numbers 1..n). */
  static List<TrialView> zdtHistory(MoProblems.Problem p, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    StudyProblem sp = p.study();
    List<TrialView> h = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      Map<String, Object> params = sp.space().sample(r);
      double[] f = p.evaluate(params);
      h.add(new TrialView(i, TrialState.COMPLETED, params, f, Map.of("f1", f[0], "f2", f[1]), Map.of()));
    }
    return h;
  }

  /** A batch of 6 (with 2 pending trials in the history) has pairwise distinct points, none already tried. */
  static void batchIsDistinct(DesignerProvider provider, Map<String, Object> options) {
    MoProblems.Problem p = MoProblems.zdt1(4);
    StudyProblem sp = p.study();
    List<TrialView> h = new ArrayList<>(zdtHistory(p, 12, 3));
    SplittableRandom r = new SplittableRandom(4);
    h.add(new TrialView(13, TrialState.RUNNING, sp.space().sample(r), new double[] {Double.NaN, Double.NaN}, Map.of(),
        Map.of()));
    h.add(new TrialView(14, TrialState.WAITING, sp.space().sample(r), new double[] {Double.NaN, Double.NaN}, Map.of(),
        Map.of()));
    Designer d = provider.create(sp, options);
    Proposal prop = d.suggest(DesignerContractTest.snapshotFor(d, sp, h), 6, new SplittableRandom(5));
    assertThat(prop.suggestions()).hasSize(6);
    Set<Map<String, Object>> seen = new HashSet<>();
    h.forEach(t -> seen.add(t.params()));
    for (Suggestion s : prop.suggestions()) {
      DesignerContractTest.assertInSpace(sp.space(), s);
      assertThat(seen.add(s.params())).as("new distinct point %s", s.params()).isTrue();
      assertThat(s.metadata().get("phase")).isNotEqualTo("initial");
    }
    // distinct in a useful sense: no two within 1e-3 of each other in every coordinate
    List<Suggestion> s = prop.suggestions();
    for (int a = 0; a < s.size(); a++) {
      for (int b = a + 1; b < s.size(); b++) {
        double maxDiff = 0;
        for (String k : s.get(a).params().keySet()) {
          maxDiff = Math.max(maxDiff, Math.abs(((Number) s.get(a).params().get(k)).doubleValue()
              - ((Number) s.get(b).params().get(k)).doubleValue()));
        }
        assertThat(maxDiff).as("points %d and %d", a, b).isGreaterThan(1e-3);
      }
    }
  }

  /**
   * Mirroring an objective (minimize f2 vs maximize -f2, with the mirrored reference point) must not change the
   * proposals: directions are handled by the sign only.
   */
  static void mixedDirectionsAreMirrored(DesignerProvider provider, Map<String, Object> options) {
    MoProblems.Problem p = MoProblems.zdt1(4);
    StudyProblem minMin = p.study();
    StudyProblem minMax = new StudyProblem(minMin.space(),
        List.of(new Objective("f1", Direction.MINIMIZE), new Objective("f2", Direction.MAXIMIZE)), List.of());
    List<TrialView> h = zdtHistory(p, 12, 8);
    List<TrialView> mirrored = h.stream().map(t -> new TrialView(t.number(), t.state(), t.params(),
        new double[] {t.values()[0], -t.values()[1]}, Map.of("f1", t.values()[0], "f2", -t.values()[1]),
        t.metadata())).toList();
    Map<String, Object> o1 = new java.util.HashMap<>(options);
    o1.put("referencePoint", List.of(11.0, 11.0));
    Map<String, Object> o2 = new java.util.HashMap<>(options);
    o2.put("referencePoint", List.of(11.0, -11.0));
    Designer a = provider.create(minMin, o1);
    Designer b = provider.create(minMax, o2);
    Proposal pa = a.suggest(StudySnapshot.of(minMin, h.size(), h), 2, new SplittableRandom(1));
    Proposal pb = b.suggest(StudySnapshot.of(minMax, mirrored.size(), mirrored), 2, new SplittableRandom(1));
    assertThat(pa.suggestions().get(0).metadata().get("phase")).isNotEqualTo("initial");
    assertThat(pb.suggestions().stream().map(Suggestion::params).toList())
        .isEqualTo(pa.suggestions().stream().map(Suggestion::params).toList());
    // and the proposals must differ from what the wrong direction would give
    Designer wrong = provider.create(minMin, o1);
    Proposal pw = wrong.suggest(StudySnapshot.of(minMin, mirrored.size(), mirrored), 2, new SplittableRandom(1));
    assertThat(pw.suggestions().get(0).params()).isNotEqualTo(pa.suggestions().get(0).params());
  }

  /** Median hypervolume of random search on the problem over the given seeds. */
  static double[] randomSearchHypervolumes(MoProblems.Problem p, int evaluations, long... seeds) {
    double[] out = new double[seeds.length];
    for (int i = 0; i < seeds.length; i++) {
      SplittableRandom r = new SplittableRandom(seeds[i]);
      StudyProblem sp = p.study();
      double[][] pts = new double[evaluations][];
      for (int e = 0; e < evaluations; e++) {
        pts[e] = p.evaluate(sp.space().sample(r));
      }
      out[i] = io.sextant.engine.pareto.Hypervolume.of(pts, p.ref());
    }
    return out;
  }
}
