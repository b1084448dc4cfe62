package io.sextant.engine.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Fields learned from the contexts users send, their columns, and the exact carrying-over of statistics. */
class ContextFeaturesTest {
  private static final ContextFeatures ALL = new ContextFeatures(Optional.empty(), 6, ContextFeatures.MAX_COLUMNS);

  private static ContextFeatures.Fields fields(ContextFeatures f, List<Map<String, Object>> contexts) {
    ContextFeatures.Fields out = ContextFeatures.Fields.NONE;
    for (Map<String, Object> c : contexts) {
      out = f.observe(out, c);
    }
    return out;
  }

  @Test
  void numbersAndBooleansAreNumericStringsAreCategoriesAndMixedFieldsAreDropped() {
    List<Map<String, Object>> contexts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      contexts.add(Map.of("shift", 0.1 * i, "flag", i % 2 == 0, "solver", i % 3 == 0 ? "cg" : "gmres",
          "mixed", i < 5 ? (Object) i : "x" + i, "id", "run-" + i));
    }
    ContextFeatures.Fields f = fields(ALL, contexts);
    assertThat(f.byName().get("shift").kind()).isEqualTo(ContextFeatures.Kind.NUMBER);
    assertThat(f.byName().get("shift").lo()).isEqualTo(0.0);
    assertThat(f.byName().get("shift").hi()).isCloseTo(0.9, within(1e-12));
    assertThat(f.byName().get("flag").kind()).isEqualTo(ContextFeatures.Kind.NUMBER);
    assertThat(f.byName().get("flag").distinct()).isEqualTo(2);
    assertThat(f.byName().get("solver").categories()).containsExactly("cg", "gmres");
    assertThat(f.byName().get("mixed").kind()).as("numbers, then strings").isEqualTo(ContextFeatures.Kind.DROPPED);
    assertThat(f.byName().get("id").kind()).as("10 categories > 8").isEqualTo(ContextFeatures.Kind.DROPPED);
    // five fields seen: numeric degree 12 / 5 = 2; columns: 1, flag T1 T2 missing, shift T1 T2 missing,
    // solver=cg solver=gmres solver missing
    ContextFeatures.Layout l = ALL.layout(f);
    assertThat(l.names()).containsExactly("1", "flag:T1", "flag:T2", "flag:missing", "shift:T1", "shift:T2",
        "shift:missing", "solver=cg", "solver=gmres", "solver:missing");
    // a boolean field has two values: only T1 is a feature of the model (T2 of +-1 is collinear with the intercept)
    ContextStats s = new ContextStats(ALL, 2, true);
    for (int i = 0; i < contexts.size(); i++) {
      s.add(i % 2, 10 + i, trial(i + 1, contexts.get(i)));
    }
    assertThat(s.fitSpace(null).columnsByField().get("flag")).hasSize(1);
    assertThat(s.fitSpace(null).columnsByField().get("shift")).hasSize(2);
  }

  @Test
  void contextFieldsRestrictTheFieldsAndAnEmptyListTurnsTheContextOff() {
    ContextFeatures only = new ContextFeatures(Optional.of(Set.of("shift")), 6, 24);
    ContextFeatures.Fields f = fields(only, List.of(Map.of("shift", 1.0, "aniso", 2.0), Map.of("shift", 2.0)));
    assertThat(f.byName().keySet()).containsExactly("shift");
    assertThat(only.layout(f).names()).hasSize(1 + 6 + 1);
    ContextFeatures none = new ContextFeatures(Optional.of(Set.of()), 6, 24);
    assertThat(none.enabled()).isFalse();
  }

  @Test
  void moreFieldsGetLowerDegreesWithinTheBudget() {
    assertThat(ALL.degreeFor(1)).isEqualTo(6);
    assertThat(ALL.degreeFor(2)).isEqualTo(6);
    assertThat(ALL.degreeFor(3)).isEqualTo(4);
    assertThat(ALL.degreeFor(12)).isEqualTo(1);
    // a budget of 4 columns (many arms): one field gets degree 3 (T1..T3 and its missing indicator)
    assertThat(new ContextFeatures(Optional.empty(), 6, 4).degreeFor(1)).isEqualTo(3);
    Map<String, Object> many = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      many.put("f" + (char) ('a' + i), i);
    }
    ContextFeatures.Fields f = fields(ALL, List.of(many, Map.of()));
    // 20 fields of degree 1: 2 columns each, the first 12 by name fit in 24
    ContextFeatures.Layout l = ALL.layout(f);
    assertThat(l.size()).isEqualTo(25);
    assertThat(l.blocks()).hasSize(12);
    assertThat(l.blocks().getFirst().field().name()).isEqualTo("fa");
  }

  @Test
  void chebyshevRebaseIsExact() {
    SplittableRandom rng = new SplittableRandom(1);
    for (int trial = 0; trial < 20; trial++) {
      double a = rng.nextDouble();
      double c = rng.nextDouble() - 0.5;
      double[][] r = ContextFeatures.rebase(a, c, 8);
      double u = 2 * rng.nextDouble() - 1;
      double[] tu = ContextFeatures.chebyshev(u, 9);
      double[] tv = ContextFeatures.chebyshev(a * u + c, 9);
      for (int j = 0; j <= 8; j++) {
        double sum = 0;
        for (int k = 0; k <= j; k++) {
          sum += r[j][k] * tu[k];
        }
        assertThat(sum).isCloseTo(tv[j], within(1e-12));
      }
    }
  }

  @Test
  void everyOldRowIsTheTransformOfItsNewRow() {
    List<Map<String, Object>> old = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(2);
    for (int i = 0; i < 30; i++) {
      Map<String, Object> c = new HashMap<>();
      c.put("shift", 0.2 + 0.3 * rng.nextDouble());
      if (i % 4 != 0) {
        c.put("kind", i % 3 == 0 ? "a" : "b");
      }
      if (i % 5 == 0) {
        c.put("size", 10);
      }
      old.add(c);
    }
    ContextFeatures.Fields f0 = fields(ALL, old);
    // a wider range, a new category, a new field, a new value of a one-valued field
    ContextFeatures.Fields f1 = fields(ALL, concat(old, List.of(Map.of("shift", 1.5), Map.of("shift", -0.3, "kind", "c"),
        Map.of("aniso", 3.0), Map.of("size", 30))));
    ContextFeatures.Layout l0 = ALL.layout(f0);
    ContextFeatures.Layout l1 = ALL.layout(f1);
    assertThat(l1.size()).isGreaterThan(l0.size());
    double[] m = ContextFeatures.transform(l0, l1);
    for (Map<String, Object> c : old) {
      double[] before = ContextFeatures.row(l0, c);
      double[] after = ContextFeatures.row(l1, c);
      double[] mapped = ContextStats.times(m, before, l1.size(), l0.size());
      for (int i = 0; i < after.length; i++) {
        assertThat(mapped[i]).as(l1.names().get(i) + " of " + c).isCloseTo(after[i], within(1e-10));
      }
    }
  }

  @Test
  void statisticsDoNotDependOnTheOrderTheContextsArrive() {
    SplittableRandom rng = new SplittableRandom(3);
    List<TrialView> trials = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Map<String, Object> c = new HashMap<>();
      c.put("shift", Math.exp(3 * rng.nextGaussian()));
      c.put("flag", rng.nextBoolean());
      if (rng.nextDouble() < 0.8) {
        c.put("solver", List.of("cg", "gmres", "minres").get(rng.nextInt(3)));
      }
      if (i > 50) {
        c.put("late", rng.nextDouble() * i);
      }
      trials.add(trial(i + 1, c));
    }
    ContextStats forward = new ContextStats(ALL, 4, true);
    ContextStats backward = new ContextStats(ALL, 4, true);
    List<TrialView> reversed = new ArrayList<>(trials);
    Collections.reverse(reversed);
    for (TrialView t : trials) {
      forward.add((int) (t.number() % 4), 5 + t.number() % 7, t);
    }
    for (TrialView t : reversed) {
      backward.add((int) (t.number() % 4), 5 + t.number() % 7, t);
    }
    assertThat(forward.layout.names()).isEqualTo(backward.layout.names());
    Map<String, Object> a = forward.toJson();
    Map<String, Object> b = backward.toJson();
    for (String key : List.of("cSum", "cy", "cc")) {
      List<?> la = (List<?>) a.get(key);
      List<?> lb = (List<?>) b.get(key);
      for (int arm = 0; arm < 4; arm++) {
        List<?> xa = (List<?>) la.get(arm);
        List<?> xb = (List<?>) lb.get(arm);
        for (int i = 0; i < xa.size(); i++) {
          double va = ((Number) xa.get(i)).doubleValue();
          assertThat(((Number) xb.get(i)).doubleValue()).as(key).isCloseTo(va, within(1e-8 * Math.max(1, Math.abs(va))));
        }
      }
    }
  }

  @Test
  void aMissingNumericFieldIsImputedWithTheMeanOfItsFeatures() {
    ContextStats s = new ContextStats(ALL, 2, true);
    SplittableRandom rng = new SplittableRandom(4);
    double[] sum = new double[6];
    int present = 0;
    for (int i = 0; i < 50; i++) {
      Map<String, Object> c = i % 5 == 0 ? Map.of() : Map.of("shift", rng.nextDouble());
      s.add(i % 2, 3 + i, trial(i + 1, c));
    }
    ContextFeatures.Block b = s.layout.block("shift").orElseThrow();
    // the mean of T1..T6 over the contexts that had the field, under the final scaling
    for (int a = 0; a < 2; a++) {
      for (int j = 0; j < 6; j++) {
        sum[j] += s.cSum[a][b.start() + j];
      }
      present += (int) (s.n[a] - Math.round(s.cSum[a][b.missing()]));
    }
    ContextStats.FitSpace space = s.fitSpace(null);
    double[] missing = space.features(Map.of());
    int[] cols = space.columnsByField().get("shift");
    for (int j = 0; j < 6; j++) {
      assertThat(missing[cols[j]]).isCloseTo(sum[j] / present, within(1e-12));
    }
    assertThat(present).isEqualTo(40);
    // a present value is not imputed; one beyond the range is clamped to its end
    double[] high = space.features(Map.of("shift", 99.0));
    assertThat(high[cols[0]]).isEqualTo(1.0);
  }

  static TrialView trial(long number, Map<String, Object> context) {
    return new TrialView(number, TrialState.COMPLETED, Map.of(), new double[] {1}, Map.of(),
        Map.of(BanditDesigner.META_CONTEXT, context));
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
