package io.sextant.engine.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerContractTest;
import io.sextant.engine.designer.Designers;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The designer contract for a space-less genome designer. {@link DesignerContractTest} cannot be inherited as is:
 * every one of its checks builds a non-empty space (which program-evolution must refuse, since its params are a
 * program, not an assignment) and its test methods are package-private, so they cannot be overridden from here. The
 * checks that apply are restated below with the empty space: registration and documented defaults, empty history,
 * exact counts, same seed same output (also across threads), hostile histories, refusal of unsupported problems and
 * bad options naming the field.
 */
class ProgramEvolutionDesignerTest {
  private static final ProgramEvolutionProvider PROVIDER = new ProgramEvolutionProvider();
  private static final StudyProblem PROBLEM = new StudyProblem(SearchSpace.EMPTY,
      List.of(new Objective("fitness", Direction.MINIMIZE)), List.of());

  private static Designer designer(Map<String, Object> options) {
    return PROVIDER.create(PROBLEM, options);
  }

  private static TrialView trial(long number, TrialState state, Map<String, Object> params, double value) {
    return new TrialView(number, state, params, new double[] {value}, Map.of("fitness", value), Map.of());
  }

  private static Program programOf(Suggestion s) {
    assertThat(s.params()).containsOnlyKeys("program");
    return ProgramJson.fromJson(s.params().get("program"));
  }

  @Test
  void registeredDocumentedAndDefaultsAccepted() {
    assertThat(Designers.load().find("program-evolution")).containsInstanceOf(ProgramEvolutionProvider.class);
    Map<String, Object> defaults = new HashMap<>();
    Set<String> names = new HashSet<>();
    for (OptionSpec o : PROVIDER.options()) {
      assertThat(names.add(o.name())).isTrue();
      assertThat(o.description()).isNotBlank();
      o.defaultValue().ifPresent(v -> defaults.put(o.name(), v));
    }
    Designer d = designer(defaults);
    assertThat(d.suggest(StudySnapshot.of(PROBLEM, 0, List.of()), 2, new SplittableRandom(1)).suggestions())
        .hasSize(2);
  }

  @Test
  void refusesWhatItDoesNotSupportNamingTheField() {
    record Bad(StudyProblem problem, Map<String, Object> options, String field) {}
    List<Bad> bad = List.of(
        new Bad(DesignerContractTest.singleObjective(DesignerContractTest.mixedSpace()), Map.of(), "space"),
        new Bad(new StudyProblem(SearchSpace.EMPTY, List.of(new Objective("a", Direction.MINIMIZE),
            new Objective("b", Direction.MINIMIZE)), List.of()), Map.of(), "objectives"),
        new Bad(DesignerContractTest.constrained(SearchSpace.EMPTY), Map.of(), "constraints"),
        new Bad(PROBLEM, Map.of("noSuchOption", 1), "noSuchOption"),
        new Bad(PROBLEM, Map.of("population", 1), "population"),
        new Bad(PROBLEM, Map.of("population", 10, "tournament", 11), "tournament"),
        new Bad(PROBLEM, Map.of("warmStart", "adam"), "warmStart"),
        new Bad(PROBLEM, Map.of("warmStart", Map.of("body", List.of(), "returns", List.of("lr", "m", "v"))),
            "warmStart"),
        new Bad(PROBLEM, Map.of("warmStart", List.of()), "warmStart"),
        new Bad(PROBLEM, Map.of("warmStart", List.of("adamw", "adamw")), "warmStart"),
        new Bad(PROBLEM, Map.of("warmStart", List.of("adamw", "adam")), "warmStart"),
        new Bad(PROBLEM, Map.of("warmStart", List.of("adamw", List.of("sgd"))), "warmStart"),
        new Bad(PROBLEM, Map.of("warmStart", java.util.Collections.nCopies(9, "sgd")), "warmStart"),
        new Bad(PROBLEM, Map.of("restartFrom", "worst"), "restartFrom"),
        new Bad(PROBLEM, Map.of("seed", 1.5), "seed"),
        new Bad(PROBLEM, Map.of("maxStatements", 3), "maxStatements"),
        new Bad(PROBLEM, Map.of("mutations", "insert"), "mutations"),
        new Bad(PROBLEM, Map.of("mutations", List.of()), "mutations"),
        new Bad(PROBLEM, Map.of("mutations", List.of("insert", "swap")), "mutations"),
        new Bad(PROBLEM, Map.of("mutations", List.of("insert", "insert")), "mutations"),
        new Bad(PROBLEM, Map.of("mutations", List.of(1)), "mutations"),
        // insert-only with no room above the 9-statement AdamW warm start could never propose a second program
        new Bad(PROBLEM, Map.of("mutations", List.of("insert"), "maxStatements", 9), "maxStatements"),
        new Bad(PROBLEM, Map.of("maxStatements", Program.MAX_STATEMENTS + 1), "maxStatements"),
        new Bad(PROBLEM, Map.of("protectAge", -1), "protectAge"),
        new Bad(PROBLEM, Map.of("noveltyShare", 1.5), "noveltyShare"),
        new Bad(PROBLEM, Map.of("noveltyShare", "half"), "noveltyShare"),
        new Bad(PROBLEM, Map.of("tune", -1), "tune"));
    for (Bad b : bad) {
      assertThatThrownBy(() -> PROVIDER.create(b.problem(), b.options())).as(b.toString())
          .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).startsWith(b.field()));
    }
  }

  @Test
  void theMutationsOptionChoosesTheKindsOfEditProposed() {
    for (List<String> kinds : List.of(List.of("insert", "delete", "modify"), List.of("function"))) {
      Proposal p = designer(Map.of("mutations", kinds)).suggest(StudySnapshot.of(PROBLEM, 0, List.of()), 60,
          new SplittableRandom(4));
      Set<Object> edits = new HashSet<>();
      p.suggestions().stream().skip(1).forEach(s -> edits.addAll((List<?>) s.metadata().get("edits")));
      assertThat(edits).as(kinds.toString()).containsExactlyInAnyOrderElementsOf(kinds);
    }
  }

  @Test
  void emptyHistoryProposesTheWarmStartFirstThenDistinctMutants() {
    for (int count : new int[] {1, 7}) {
      Proposal p = designer(Map.of()).suggest(StudySnapshot.of(PROBLEM, 0, List.of()), count, new SplittableRandom(3));
      assertThat(p.suggestions()).hasSize(count);
      assertThat(programOf(p.suggestions().getFirst())).isEqualTo(ReferencePrograms.adamw());
      assertThat(p.suggestions().getFirst().metadata()).containsEntry("origin", "warm-start");
      assertThat(p.suggestions().stream().map(s -> s.metadata().get("hash")).distinct()).hasSize(count);
      for (Suggestion s : p.suggestions()) {
        assertThat(s.metadata().get("hash")).isEqualTo(ProgramGraph.of(programOf(s)).hashHex());
      }
      assertThat(p.nextState()).isPresent();
    }
    Proposal lion = designer(Map.of("warmStart", "lion"))
        .suggest(StudySnapshot.of(PROBLEM, 0, List.of()), 1, new SplittableRandom(3));
    assertThat(programOf(lion.suggestions().getFirst())).isEqualTo(ReferencePrograms.lion());
  }

  /**
   * Several warm starts: each is proposed first, in the given order; the initial population holds copies of each in
   * turn, so the tournament breeds from all of them (here the children's parents are both warm starts).
   */
  @Test
  void severalWarmStartsAreEachProposedFirstAndBredFrom() {
    Designer d = designer(Map.of("warmStart", List.of("adamw", "momentum"), "population", 10, "tournament", 2));
    Proposal first = d.suggest(StudySnapshot.of(PROBLEM, 0, List.of()), 2, new SplittableRandom(3));
    assertThat(first.suggestions().stream().map(ProgramEvolutionDesignerTest::programOf))
        .containsExactly(ReferencePrograms.adamw(), ReferencePrograms.momentum());
    assertThat(first.suggestions()).allMatch(s -> "warm-start".equals(s.metadata().get("origin")));
    // both scored equally: the children's parents come from both
    List<TrialView> scored = List.of(
        trial(1, TrialState.COMPLETED, first.suggestions().get(0).params(), 1.0),
        trial(2, TrialState.COMPLETED, first.suggestions().get(1).params(), 1.0));
    Proposal next = d.suggest(new StudySnapshot(PROBLEM, 2, scored, first.nextState(), Map.of()), 40,
        new SplittableRandom(5));
    Set<Object> parents = new HashSet<>();
    next.suggestions().forEach(s -> parents.add(s.metadata().get("parentHash")));
    assertThat(parents).contains(ProgramGraph.of(ReferencePrograms.adamw()).hashHex(),
        ProgramGraph.of(ReferencePrograms.momentum()).hashHex());
    assertThat(next.nextState().orElseThrow().get("epochSeeds")).asList().hasSize(2);
  }

  @Test
  void sameSnapshotSameGeneratorSameProposalAlsoAcrossThreads() throws Exception {
    List<TrialView> history = hostileHistory();
    StudySnapshot snap = new StudySnapshot(PROBLEM, history.size(), history, Optional.empty(), Map.of());
    Designer a = designer(Map.of("population", 8, "tournament", 3));
    Proposal expected = a.suggest(snap, 5, new SplittableRandom(7));
    assertThat(designer(Map.of("population", 8, "tournament", 3)).suggest(snap, 5, new SplittableRandom(7)))
        .isEqualTo(expected);
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<Proposal>> fs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        fs.add(pool.submit(() -> a.suggest(snap, 5, new SplittableRandom(7))));
      }
      for (Future<Proposal> f : fs) {
        assertThat(f.get()).isEqualTo(expected);
      }
    }
    assertThat(a.suggest(snap, 5, new SplittableRandom(8))).isNotEqualTo(expected);
  }

  /** Garbage params, NaN/inf values, failures, pending trials, repeated programs. */
  private static List<TrialView> hostileHistory() {
    SplittableRandom rng = new SplittableRandom(5);
    Mutator mut = new Mutator(20);
    List<TrialView> h = new ArrayList<>();
    Map<String, Object> adamw = Map.of("program", ProgramJson.toJson(ReferencePrograms.adamw()));
    TrialState[] states = TrialState.values();
    double[] values = {1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.5, 1e300};
    Program p = ReferencePrograms.adamw();
    for (int i = 1; i <= 40; i++) {
      Map<String, Object> params = switch (i % 5) {
        case 0 -> Map.of("x", 1.0);
        case 1 -> Map.of("program", Map.of("body", "nonsense"));
        case 2 -> adamw;
        default -> Map.of("program", ProgramJson.toJson(p = mut.mutate(p, rng).child()));
      };
      h.add(trial(i, states[i % states.length], params, values[i % values.length]));
    }
    return h;
  }

  @Test
  void hostileHistoryWorksAndIsNotModified() {
    List<TrialView> history = hostileHistory();
    List<double[]> before = history.stream().map(t -> t.values().clone()).toList();
    Designer d = designer(Map.of("population", 8, "tournament", 3));
    for (int count : new int[] {1, 7}) {
      Proposal p = d.suggest(new StudySnapshot(PROBLEM, 40, history, Optional.empty(), Map.of()), count,
          new SplittableRandom(count));
      assertThat(p.suggestions()).hasSize(count);
      p.suggestions().forEach(ProgramEvolutionDesignerTest::programOf);
    }
    for (int i = 0; i < history.size(); i++) {
      assertThat(history.get(i).values()).isEqualTo(before.get(i));
    }
  }

  @Test
  void corruptStateIsIgnoredNotFatal() {
    Designer d = designer(Map.of());
    Map<String, Object> junk = Map.of("cache", List.of(1), "epochSeed", Map.of("body", 3), "hits", "many");
    Proposal p = d.suggest(new StudySnapshot(PROBLEM, 0, List.of(), Optional.of(junk), Map.of()), 2,
        new SplittableRandom(1));
    assertThat(p.suggestions()).hasSize(2);
  }

  /**
   * A toy fitness that rewards sign-like updates: mean |update - lr * 0.01 * sign(g)| on fixed random inputs (worst
   * for non-finite output). Runs the ask/tell loop as the API would and checks evolution improves on AdamW, dedup
   * never proposes an evaluated program twice, and the hit rate is reported.
   */
  @Test
  void evolutionImprovesAToyFitnessWithoutReevaluatingAnyProgram() {
    ToDoubleFunction<Program> toy = prog -> {
      int n = 16;
      SplittableRandom r = new SplittableRandom(77);
      CompiledProgram.Run run = CompiledProgram.compile(prog).start(n);
      double[] w = new double[n];
      double[] g = new double[n];
      double[] u = new double[n];
      double err = 0;
      for (int step = 0; step < 5; step++) {
        for (int i = 0; i < n; i++) {
          w[i] = r.nextGaussian();
          g[i] = r.nextGaussian() * (1 + i);
        }
        run.step(w, g, 1.0, u);
        for (int i = 0; i < n; i++) {
          err += Math.abs(u[i] - 0.01 * Math.signum(g[i]));
        }
      }
      return Double.isFinite(err) ? err / (5 * n) : 1e9;
    };
    Designer d = designer(Map.of("population", 20, "tournament", 4, "plateau", 0));
    List<TrialView> trials = new ArrayList<>();
    Optional<Map<String, Object>> state = Optional.empty();
    Set<String> evaluated = new HashSet<>();
    double first = Double.NaN;
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < 300; i++) {
      StudySnapshot snap = new StudySnapshot(PROBLEM, trials.size(),
          trials.subList(Math.max(0, trials.size() - d.needs().window()), trials.size()), state, Map.of());
      Proposal p = d.suggest(snap, 1, new SplittableRandom(1000 + i));
      state = p.nextState();
      Suggestion s = p.suggestions().getFirst();
      assertThat(evaluated.add((String) s.metadata().get("hash"))).as("program evaluated twice").isTrue();
      double f = toy.applyAsDouble(programOf(s));
      if (i == 0) {
        first = f;
      }
      best = Math.min(best, f);
      trials.add(new TrialView(i + 1, TrialState.COMPLETED, s.params(), new double[] {f}, Map.of("fitness", f),
          s.metadata()));
    }
    assertThat(best).isLessThan(0.7 * first); // AdamW: ~0.008; 300 evaluations reach ~0.0046
    assertThat(((Number) state.orElseThrow().get("cacheHitRate")).doubleValue()).isBetween(0.0, 1.0);
    assertThat(((Number) state.orElseThrow().get("hits")).longValue()).isPositive();
  }

  /**
   * Insert-only mutations with one statement of room: once every population member is at the limit, no allowed
   * edit changes any of them. The designer then proposes fewer programs (none), as an exhausted space does, rather
   * than failing the suggestion call; a program that can still grow is proposed from again.
   */
  @Test
  void aPopulationNoAllowedMutationCanChangeProposesNothingInsteadOfFailing() {
    Designer d = designer(Map.of("population", 2, "tournament", 2, "plateau", 0, "mutations", List.of("insert"),
        "maxStatements", 10));
    List<TrialView> trials = new ArrayList<>();
    Optional<Map<String, Object>> state = Optional.empty();
    int exhaustedAt = -1;
    for (int i = 0; i < 20 && exhaustedAt < 0; i++) {
      Proposal p = d.suggest(new StudySnapshot(PROBLEM, trials.size(), trials, state, Map.of()), 1,
          new SplittableRandom(i));
      state = p.nextState();
      if (p.suggestions().isEmpty()) {
        exhaustedAt = i;
        break;
      }
      Suggestion s = p.suggestions().getFirst();
      Program prog = programOf(s);
      assertThat(prog.body().size()).isBetween(9, 10);
      if (i > 0) {
        assertThat(s.metadata().get("edits")).isEqualTo(List.of("insert"));
      }
      trials.add(trial(i + 1, TrialState.COMPLETED, s.params(), 1.0 / (i + 1)));
    }
    // trial 1 is AdamW (9 statements); two 10-statement children fill the population of 2
    assertThat(exhaustedAt).isEqualTo(3);
    assertThat(state).isPresent();
    // a population member with room again (an imported 9-statement trial scoring best) is mutated as before
    List<TrialView> more = new ArrayList<>(trials);
    more.add(trial(4, TrialState.COMPLETED, Map.of("program", ProgramJson.toJson(ReferencePrograms.lion())), 0.01));
    Proposal again = d.suggest(new StudySnapshot(PROBLEM, more.size(), more, state, Map.of()), 1,
        new SplittableRandom(99));
    assertThat(again.suggestions()).hasSize(1);
    assertThat(programOf(again.suggestions().getFirst()).body().size()).isBetween(8, 10);
  }

  @Test
  void plateauStartsANewEpochFromTheBestProgram() {
    Designer d = designer(Map.of("population", 5, "tournament", 2, "plateau", 10, "restartFrom", "best"));
    List<TrialView> trials = new ArrayList<>();
    Optional<Map<String, Object>> state = Optional.empty();
    Set<Object> origins = new HashSet<>();
    long epoch = 0;
    for (int i = 0; i < 40; i++) {
      Proposal p = d.suggest(new StudySnapshot(PROBLEM, trials.size(), trials, state, Map.of()), 1,
          new SplittableRandom(i));
      state = p.nextState();
      Suggestion s = p.suggestions().getFirst();
      origins.add(s.metadata().get("origin"));
      epoch = (Long) s.metadata().get("epoch");
      double f = i == 0 ? 1.0 : 2.0; // nothing ever beats the warm start
      trials.add(trial(i + 1, TrialState.COMPLETED, s.params(), f));
    }
    assertThat(epoch).isGreaterThanOrEqualTo(2);
    Map<?, ?> best = (Map<?, ?>) state.orElseThrow().get("best");
    assertThat(best.get("fitness")).isEqualTo(1.0);
    assertThat(ProgramJson.fromJson(((List<?>) state.orElseThrow().get("epochSeeds")).getFirst()))
        .isEqualTo(ReferencePrograms.adamw());
    // a state written before several warm starts existed (one "epochSeed") is read as that one seed
    Map<String, Object> old = new java.util.LinkedHashMap<>(state.orElseThrow());
    old.remove("epochSeeds");
    old.put("epochSeed", ProgramJson.toJson(ReferencePrograms.lion()));
    Proposal p = d.suggest(new StudySnapshot(PROBLEM, trials.size(), trials, Optional.of(old), Map.of()), 1,
        new SplittableRandom(99));
    assertThat(p.nextState().orElseThrow().get("epochSeeds"))
        .isEqualTo(List.of(ProgramJson.toJson(ReferencePrograms.lion())));
  }

  private static TrialView scored(long number, Program p, double value, Map<String, Object> metadata) {
    return new TrialView(number, TrialState.COMPLETED, Map.of("program", ProgramJson.toJson(p)),
        new double[] {value}, Map.of("fitness", value), metadata);
  }

  /** AdamW with its weight decay scaled: same structure, another constant (a tuned variant). */
  private static Program adamwWithDecay(double wd) {
    return ReferencePrograms.adamw(0.9, 0.999, wd, 0.001);
  }

  /**
   * Trial 1 is a new structure (Signum: AdamW's update m / s replaced by sign(m); proposed as novel) with a bad first
   * score; trials 2..9 are AdamW variants scoring far better. The population (4) holds trials 6..9 only.
   */
  private static List<TrialView> novelStructureThenBetterOldOnes() {
    Program signum = new Program(List.of(
        new Statement("m", Fn.INTERP, List.of(new Operand.Ref("g"), new Operand.Ref("m"), new Operand.Const(0.9))),
        new Statement("u", Fn.SIGN, List.of(new Operand.Ref("m"))),
        new Statement("update", Fn.MUL, List.of(new Operand.Ref("u"), new Operand.Ref("lr")))),
        List.of("update", "m", "v"));
    List<TrialView> trials = new ArrayList<>();
    trials.add(scored(1, signum, 5.0, Map.of("novel", true, "origin", "mutation")));
    for (int i = 2; i <= 9; i++) { // trial 2 is the warm start itself, so no proposal re-proposes it
      trials.add(scored(i, i == 2 ? ReferencePrograms.adamw() : adamwWithDecay(0.001 * i), 0.5 + 0.01 * i,
          Map.of("origin", "mutation")));
    }
    return trials;
  }

  /**
   * Structural-novelty protection: a new structure with a bad first score, older than the population's window, still
   * breeds (through the novelty tournament) while younger than protectAge: first constant-only edits of it (tuning,
   * same structure), then structural children of its best variant; once older than protectAge it is gone. Without
   * protection the same member is removed by age like any other (regularized evolution).
   */
  @Test
  void aNovelStructureWithABadFirstScoreBreedsUntilItsProtectionAgeThenLeavesByAge() {
    List<TrialView> trials = novelStructureThenBetterOldOnes();
    String structure = ProgramGraph.of(ProgramJson.fromJson(trials.getFirst().params().get("program")))
        .structureHex();
    Map<String, Object> protect = Map.of("population", 4, "tournament", 4, "plateau", 0, "protectAge", 20,
        "noveltyShare", 1.0, "tune", 2);
    Designer d = designer(protect);
    for (int seed = 0; seed < 20; seed++) {
      // age 8 < 20: the only protected member is the parent; its first children only tune its constants
      Suggestion s = d.suggest(new StudySnapshot(PROBLEM, 9, trials, Optional.empty(), Map.of()), 1,
          new SplittableRandom(seed)).suggestions().getFirst();
      assertThat(s.metadata()).containsEntry("parentTrial", 1L).containsEntry("tuneOf", structure)
          .containsEntry("edits", List.of("modify")).containsEntry("structure", structure)
          .doesNotContainKey("novel");
      assertThat(ProgramGraph.of(programOf(s)).structureHex()).isEqualTo(structure);
      assertThat(s.metadata().get("hash")).isNotEqualTo(ProgramGraph.of(
          ProgramJson.fromJson(trials.getFirst().params().get("program"))).hashHex());
    }
    // two tunings done (one better than the first score): structural children of the best variant follow
    List<TrialView> tuned = new ArrayList<>(trials);
    Proposal t1 = d.suggest(new StudySnapshot(PROBLEM, 9, trials, Optional.empty(), Map.of()), 2,
        new SplittableRandom(3));
    tuned.add(new TrialView(10, TrialState.COMPLETED, t1.suggestions().get(0).params(), new double[] {4.0},
        Map.of(), t1.suggestions().get(0).metadata()));
    tuned.add(new TrialView(11, TrialState.COMPLETED, t1.suggestions().get(1).params(), new double[] {6.0},
        Map.of(), t1.suggestions().get(1).metadata()));
    Set<String> structures = new HashSet<>();
    for (int seed = 0; seed < 20; seed++) {
      Suggestion s = d.suggest(new StudySnapshot(PROBLEM, 11, tuned, t1.nextState(), Map.of()), 1,
          new SplittableRandom(seed)).suggestions().getFirst();
      assertThat(s.metadata()).containsEntry("parentTrial", 10L).doesNotContainKey("tuneOf");
      structures.add((String) s.metadata().get("structure"));
    }
    assertThat(structures).anyMatch(x -> !x.equals(structure)).hasSizeGreaterThan(1);
    // age 20 = protectAge: no longer protected, and outside the window of 4: never a parent again
    for (Map<String, Object> options : List.of(protect, Map.<String, Object>of("population", 4, "tournament", 4,
        "plateau", 0))) {
      for (int seed = 0; seed < 30; seed++) {
        Suggestion s = designer(options).suggest(new StudySnapshot(PROBLEM, 21, trials, Optional.empty(), Map.of()),
            1, new SplittableRandom(seed)).suggestions().getFirst();
        assertThat(((Number) s.metadata().get("parentTrial")).longValue()).as(options.toString()).isBetween(6L, 9L);
      }
    }
  }

  /**
   * Regularized evolution removes members by age, not by fitness: the best program (trial 1) breeds while it is
   * among the last {@code population} trials and never after; and protection changes nothing for a member that was
   * not a new structure when proposed.
   */
  @Test
  void oldMembersAreRemovedByAgeEvenTheBest() {
    List<TrialView> trials = new ArrayList<>();
    trials.add(scored(1, adamwWithDecay(0.5), 0.1, Map.of("origin", "mutation")));
    for (int i = 2; i <= 9; i++) {
      trials.add(scored(i, i == 2 ? ReferencePrograms.adamw() : adamwWithDecay(0.001 * i), 0.9,
          Map.of("origin", "mutation")));
    }
    Set<Long> parentsWide = new HashSet<>();
    for (int seed = 0; seed < 30; seed++) {
      for (Map<String, Object> narrow : List.<Map<String, Object>>of(Map.of("population", 4, "tournament", 4),
          Map.of("population", 4, "tournament", 4, "protectAge", 100, "noveltyShare", 1.0))) {
        Suggestion s = designer(narrow).suggest(new StudySnapshot(PROBLEM, 9, trials, Optional.empty(), Map.of()), 1,
            new SplittableRandom(seed)).suggestions().getFirst();
        assertThat(((Number) s.metadata().get("parentTrial")).longValue()).isBetween(6L, 9L);
      }
      Suggestion wide = designer(Map.of("population", 9, "tournament", 4))
          .suggest(new StudySnapshot(PROBLEM, 9, trials, Optional.empty(), Map.of()), 1, new SplittableRandom(seed))
          .suggestions().getFirst();
      parentsWide.add(((Number) wide.metadata().get("parentTrial")).longValue());
    }
    assertThat(parentsWide).contains(1L);
  }

  /** With protection the designer is still a function of its snapshot and generator, and marks novel structures. */
  @Test
  void protectedSelectionIsReproducibleAndMarksNewStructures() {
    Map<String, Object> options = Map.of("population", 10, "tournament", 3, "protectAge", 30, "noveltyShare", 0.5);
    Designer d = designer(options);
    List<TrialView> trials = new ArrayList<>();
    Optional<Map<String, Object>> state = Optional.empty();
    List<Object> first = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      trials.clear();
      state = Optional.empty();
      List<Object> hashes = new ArrayList<>();
      Set<String> structures = new HashSet<>();
      for (int i = 0; i < 60; i++) {
        Proposal p = designer(options).suggest(new StudySnapshot(PROBLEM, trials.size(), trials, state, Map.of()), 1,
            new SplittableRandom(100 + i));
        state = p.nextState();
        Suggestion s = p.suggestions().getFirst();
        Program prog = programOf(s);
        String structure = ProgramGraph.of(prog).structureHex();
        assertThat(s.metadata()).containsEntry("structure", structure);
        assertThat(s.metadata().containsKey("novel")).isEqualTo(structures.add(structure));
        double f = prog.liveSize() + (ProgramGraph.of(prog).hash() & 0xff) / 256.0; // deterministic toy fitness
        trials.add(new TrialView(i + 1, TrialState.COMPLETED, s.params(), new double[] {f}, Map.of(), s.metadata()));
        hashes.add(s.metadata().get("hash"));
      }
      if (run == 0) {
        first.addAll(hashes);
        assertThat(trials).anyMatch(t -> t.metadata().containsKey("tuneOf"));
      } else {
        assertThat(hashes).isEqualTo(first);
      }
    }
    assertThat(state.orElseThrow().get("structures")).asList().isNotEmpty();
    assertThat(d.suggest(StudySnapshot.of(PROBLEM, 0, List.of()), 1, new SplittableRandom(1)).suggestions()
        .getFirst().metadata()).containsEntry("novel", true);
  }

  @Test
  void renderShowsTheSimplifiedProgram() {
    Map<String, Object> params = Map.of("program", ProgramJson.toJson(ReferencePrograms.lion()));
    assertThat(PROVIDER.render(params)).hasValueSatisfying(code -> assertThat(code)
        .startsWith("def train(w, g, m, v, lr):").contains("sign(c)").contains("return update, m, v"));
    assertThat(PROVIDER.render(Map.of("x", 1))).isEmpty();
  }
}
