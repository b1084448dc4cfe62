package io.sextant.engine.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MutatorAndSimplifierTest {
  private static final Mutator MUTATOR = new Mutator(20);

  /** Runs a program for a few steps on random inputs; returns all updates and states, for comparisons. */
  static double[] behaviour(Program p, long seed) {
    int n = 5;
    SplittableRandom rng = new SplittableRandom(seed);
    CompiledProgram.Run run = CompiledProgram.compile(p).start(n);
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = rng.nextGaussian();
    }
    double[] out = new double[4 * n * 3];
    double[] u = new double[n];
    double[] g = new double[n];
    for (int step = 0; step < 4; step++) {
      for (int i = 0; i < n; i++) {
        g[i] = rng.nextGaussian();
      }
      run.step(w, g, 0.7, u);
      System.arraycopy(u, 0, out, step * 3 * n, n);
      System.arraycopy(run.m(), 0, out, step * 3 * n + n, n);
      System.arraycopy(run.v(), 0, out, step * 3 * n + 2 * n, n);
    }
    return out;
  }

  @Test
  void everyMutantIsValidRunsAndDiffersFromItsParentByHash() {
    SplittableRandom rng = new SplittableRandom(1);
    Program p = ReferencePrograms.adamw();
    Set<Mutation> seen = EnumSet.noneOf(Mutation.class);
    for (int i = 0; i < 3000; i++) {
      Mutator.Result r = MUTATOR.mutate(p, rng);
      Program child = r.child();
      seen.addAll(r.edits());
      assertThat(ProgramGraph.of(child).hash()).isNotEqualTo(ProgramGraph.of(p).hash());
      // valid by construction: the JSON round trip re-checks it, and it runs without throwing
      assertThat(ProgramJson.fromJson(ProgramJson.toJson(child))).isEqualTo(child);
      assertThat(child.body().size()).isLessThanOrEqualTo(20);
      behaviour(child, i);
      p = i % 50 == 49 ? ReferencePrograms.adamw() : child; // random walks of 50 mutations
    }
    assertThat(seen).containsExactlyInAnyOrder(Mutation.values());
  }

  @Test
  void aFunctionEditChangesOneStatementsFunctionAndKeepsItsLeadingArguments() {
    Mutator functionOnly = new Mutator(20, List.of(Mutation.FUNCTION));
    Program adamw = ReferencePrograms.adamw();
    SplittableRandom rng = new SplittableRandom(3);
    boolean sawSignOfM = false;
    for (int i = 0; i < 4000; i++) {
      Program child = functionOnly.apply(adamw, Mutation.FUNCTION, rng);
      Statement[] edit = theOneChangedStatement(adamw, child);
      Statement before = edit[0];
      Statement after = edit[1];
      assertThat(after.fn()).isNotEqualTo(before.fn());
      assertThat(after.target()).isEqualTo(before.target());
      int kept = Math.min(before.args().size(), after.fn().arity());
      assertThat(after.args().subList(0, kept)).isEqualTo(before.args().subList(0, kept));
      assertThat(after.args()).hasSize(after.fn().arity());
      sawSignOfM |= child.body().contains(Statement.of("update", Fn.SIGN, "m"));
    }
    // one edit turns AdamW's m / sqrt(v) into sign(m): the step towards Lion that argument edits cannot make
    assertThat(sawSignOfM).isTrue();
  }

  /**
   * {@code modify} changes one statement's arguments, keeping its function and target: one argument replaced or
   * perturbed, or (a quarter of the time, for non-commutative functions) two arguments swapped, e.g. Lion's
   * interp(g, m, 0.9) into interp(m, g, 0.9), the complementary weighting.
   */
  @Test
  void aModifyEditChangesOneStatementsArgumentsIncludingSwaps() {
    Mutator modifyOnly = new Mutator(20, List.of(Mutation.MODIFY));
    Program lion = ReferencePrograms.lion();
    SplittableRandom rng = new SplittableRandom(9);
    int swaps = 0;
    int n = 4000;
    for (int i = 0; i < n; i++) {
      Program child = modifyOnly.apply(lion, Mutation.MODIFY, rng);
      Statement[] edit = theOneChangedStatement(lion, child);
      Statement before = edit[0];
      Statement after = edit[1];
      assertThat(after.fn()).isEqualTo(before.fn());
      assertThat(after.target()).isEqualTo(before.target());
      if (before.fn() == Fn.INTERP && after.args().equals(List.of(before.args().get(1), before.args().get(0),
          before.args().get(2)))) {
        swaps++;
      }
    }
    // 2 of Lion's 7 statements are interps; a swap exchanges g and m in 1 of 3 cases: about n * 2/7 * 0.25 / 3 = n / 42
    assertThat(swaps).isBetween(n / 60, n / 30);
  }

  /**
   * {@code compose} inserts one statement {@code t = f(x, y[, c])} right before a live statement that used the tensor
   * variable x, with f of two or three arguments and y one of g, m, v, and rewires that argument to t; everything
   * else is unchanged. One such edit turns plain SGD into momentum (m = f(g, m, ..) read by the update).
   */
  @Test
  void aComposeEditCombinesAnArgumentWithGMOrVAndRewiresIt() {
    Mutator composeOnly = new Mutator(20, List.of(Mutation.COMPOSE));
    SplittableRandom rng = new SplittableRandom(21);
    int momentum = 0;
    int n = 3000;
    for (Program parent : List.of(ReferencePrograms.sgd(), ReferencePrograms.adamw())) {
      for (int i = 0; i < n; i++) {
        Program child = composeOnly.apply(parent, Mutation.COMPOSE, rng);
        assertThat(child.body()).hasSize(parent.body().size() + 1);
        int at = 0;
        while (child.body().get(at).equals(parent.body().get(at))) {
          at++;
        }
        Statement inserted = child.body().get(at);
        Statement before = parent.body().get(at);
        Statement rewired = child.body().get(at + 1);
        assertThat(inserted.fn().arity()).isBetween(2, 3);
        assertThat(inserted.fn().kind()).isEqualTo(Fn.Kind.ELEMENTWISE);
        List<String> refs = inserted.args().stream().filter(a -> a instanceof Operand.Ref)
            .map(a -> ((Operand.Ref) a).name()).toList();
        assertThat(refs).hasSize(2).doesNotHaveDuplicates();
        assertThat(refs).anyMatch(Mutator.PARTNERS::contains);
        assertThat(inserted.args().subList(2, inserted.args().size())).allMatch(a -> a instanceof Operand.Const);
        // the rewired statement keeps its function and target, and now reads the new value in one argument
        assertThat(rewired.fn()).isEqualTo(before.fn());
        assertThat(rewired.target()).isEqualTo(before.target());
        long changed = java.util.stream.IntStream.range(0, before.args().size())
            .filter(k -> !before.args().get(k).equals(rewired.args().get(k))).count();
        assertThat(changed).isLessThanOrEqualTo(1);
        assertThat(rewired.args()).contains(new Operand.Ref(inserted.target()));
        assertThat(refs).anyMatch(r -> before.args().contains(new Operand.Ref(r)));
        assertThat(child.body().subList(at + 2, child.body().size()))
            .isEqualTo(parent.body().subList(at + 1, parent.body().size()));
        if (parent.equals(ReferencePrograms.sgd()) && ProgramFamily.of(child) == ProgramFamily.MOMENTUM) {
          momentum++;
        }
      }
    }
    // SGD's live statements with a tensor argument: update = g * lr1 only; m is a partner of g 1/2 of the time,
    // interp 1/2 (add, sub, ... also accumulate), the target m 1/3: well over 1 in 20 children are momentum
    assertThat(momentum).isGreaterThan(n / 20);
  }

  /** {@code wrap} inserts {@code t = u(x)} (u unary, elementwise) before a live statement and rewires x to t. */
  @Test
  void aWrapEditWrapsOneArgumentInAUnaryFunction() {
    Mutator wrapOnly = new Mutator(20, List.of(Mutation.WRAP));
    SplittableRandom rng = new SplittableRandom(22);
    Program adamw = ReferencePrograms.adamw();
    boolean[] live = DeadCode.live(adamw);
    for (int i = 0; i < 2000; i++) {
      Program child = wrapOnly.apply(adamw, Mutation.WRAP, rng);
      assertThat(child.body()).hasSize(adamw.body().size() + 1);
      int at = 0;
      while (child.body().get(at).equals(adamw.body().get(at))) {
        at++;
      }
      Statement inserted = child.body().get(at);
      assertThat(inserted.fn().arity()).isEqualTo(1);
      assertThat(inserted.fn().kind()).isEqualTo(Fn.Kind.ELEMENTWISE);
      assertThat(live[at]).isTrue();
      Operand.Ref x = (Operand.Ref) inserted.args().getFirst();
      Statement before = adamw.body().get(at);
      Statement rewired = child.body().get(at + 1);
      int k = rewired.args().indexOf(new Operand.Ref(inserted.target()));
      assertThat(k).isNotNegative();
      assertThat(before.args().get(k)).isEqualTo(x);
      assertThat(adamw.body().stream().map(Statement::target)).doesNotContain(inserted.target());
    }
    // and at the statement limit neither compose nor wrap grows a program
    Mutator full = new Mutator(adamw.body().size(), List.of(Mutation.WRAP, Mutation.COMPOSE));
    assertThat(full.apply(adamw, Mutation.WRAP, rng)).isSameAs(adamw);
    assertThat(full.apply(adamw, Mutation.COMPOSE, rng)).isSameAs(adamw);
  }

  /** Families of the reference programs and of the intermediate between AdamW and Lion. */
  @Test
  void familiesOfReferencePrograms() {
    assertThat(ProgramFamily.of(ReferencePrograms.lion())).isEqualTo(ProgramFamily.LION_LIKE);
    assertThat(ProgramFamily.of(ReferencePrograms.adamw())).isEqualTo(ProgramFamily.ADAM_LIKE);
    assertThat(ProgramFamily.of(ReferencePrograms.momentum())).isEqualTo(ProgramFamily.MOMENTUM);
    assertThat(ProgramFamily.of(ReferencePrograms.sgd())).isEqualTo(ProgramFamily.SGD_LIKE);
    // a single beta (sign(interp(g, m, b)) that is also the new m) is not Lion's family
    assertThat(ProgramFamily.of(ReferencePrograms.lion(0.9, 0.9, 0.1, 3e-4))).isEqualTo(ProgramFamily.SIGN_BASED);
    List<Statement> body = new ArrayList<>(ReferencePrograms.adamw().body());
    body.set(4, Statement.of("update", Fn.SIGN, "m"));
    Program signum = ReferencePrograms.adamw().withBody(body);
    assertThat(ProgramFamily.of(signum)).isEqualTo(ProgramFamily.SIGN_BASED);
    // one compose edit from there, as the search can make it: t = interp(g, m, 0.9) with m the new momentum, the
    // sign of t; written with the new m it is Lion's form after merging the two interpolations
    body.add(4, Statement.of("x0", Fn.INTERP, "g", "m", 0.9));
    body.set(5, Statement.of("update", Fn.SIGN, "x0"));
    assertThat(ProgramFamily.of(ReferencePrograms.adamw().withBody(body))).isEqualTo(ProgramFamily.LION_LIKE);
    // the other argument order too: interp(m, g, 0.3)
    body.set(4, Statement.of("x0", Fn.INTERP, "m", "g", 0.3));
    assertThat(ProgramFamily.of(ReferencePrograms.adamw().withBody(body))).isEqualTo(ProgramFamily.LION_LIKE);
    Program constant = new Program(List.of(Statement.of("update", Fn.MUL, "w", 0.1)), List.of("update", "m", "v"));
    assertThat(ProgramFamily.of(constant)).isEqualTo(ProgramFamily.OTHER);
  }

  /** The child has the parent's length and differs in exactly one statement: {before, after}. */
  private static Statement[] theOneChangedStatement(Program parent, Program child) {
    assertThat(child.body()).hasSameSizeAs(parent.body());
    Statement[] edit = null;
    for (int k = 0; k < child.body().size(); k++) {
      if (!child.body().get(k).equals(parent.body().get(k))) {
        assertThat(edit).as("a second changed statement at %d", k).isNull();
        edit = new Statement[] {parent.body().get(k), child.body().get(k)};
      }
    }
    assertThat(edit).as("no statement changed").isNotNull();
    return edit;
  }

  @Test
  void aWeightNearOneIsPerturbedByItsDistanceToOne() {
    SplittableRandom rng = new SplittableRandom(11);
    int near = 0;
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      double c = Mutator.perturb(0.999, rng);
      assertThat(c).isFinite().isNotEqualTo(0.999);
      near += c >= 0.99 && c <= 0.9999 && c != 0.999 ? 1 : 0;
    }
    // half the draws move 1 - c by 2^N(0,1): 1 - c in [1e-4, 1e-2] for about 0.5 * 0.999 of them; a plain
    // multiplicative 2^N(0,1) lands in [0.99, 0.9999] for under 1% (|N| < 0.015)
    assertThat(near / (double) n).isBetween(0.45, 0.56);
    // constants outside (0, 1) only scale
    for (int i = 0; i < 1000; i++) {
      assertThat(Mutator.perturb(-3, rng)).isNegative();
      assertThat(Mutator.perturb(2, rng)).isPositive();
    }
  }

  @Test
  void onlyTheEnabledKindsOfMutationAreDrawn() {
    Mutator paper = new Mutator(20, List.of(Mutation.INSERT, Mutation.DELETE, Mutation.MODIFY));
    SplittableRandom rng = new SplittableRandom(5);
    Program p = ReferencePrograms.adamw();
    for (int i = 0; i < 500; i++) {
      Mutator.Result r = paper.mutate(p, rng);
      assertThat(r.edits()).doesNotContain(Mutation.FUNCTION).isNotEmpty();
      p = i % 20 == 19 ? ReferencePrograms.adamw() : r.child();
    }
  }

  @Test
  void sameSeedSameMutants() {
    Program a = ReferencePrograms.adamw();
    Program b = a;
    SplittableRandom ra = new SplittableRandom(9);
    SplittableRandom rb = new SplittableRandom(9);
    for (int i = 0; i < 100; i++) {
      a = MUTATOR.mutate(a, ra).child();
      b = MUTATOR.mutate(b, rb).child();
    }
    assertThat(a).isEqualTo(b);
  }

  /**
   * Random programs have the size asked for, survive the JSON round trip (which re-validates them), run, return three
   * tensors of which the update is an assigned variable (where the body assigns any tensor), and are diverse: most
   * are distinct programs, and many compute something other than the input they would return unchanged.
   */
  @Test
  void randomProgramsAreValidAndRun() {
    SplittableRandom rng = new SplittableRandom(4);
    Set<Object> hashes = new java.util.HashSet<>();
    int changesW = 0;
    for (int i = 0; i < 500; i++) {
      int size = 1 + rng.nextInt(12);
      Program p = MUTATOR.random(size, rng);
      assertThat(p.body()).as("program %d", i).hasSize(size);
      assertThat(p.returns()).hasSize(Program.OUTPUTS);
      assertThat(ProgramJson.fromJson(ProgramJson.toJson(p))).as("round trip of\n%s", p).isEqualTo(p);
      Set<String> assignedTensors = new java.util.HashSet<>();
      java.util.Map<String, Boolean> types = Program.types(p.body());
      p.body().forEach(st -> {
        if (types.get(st.target())) {
          assignedTensors.add(st.target());
        }
      });
      if (!assignedTensors.isEmpty()) {
        assertThat(assignedTensors).as("update of\n%s", p).contains(p.returns().getFirst());
      }
      double[] out = behaviour(p, i);
      assertThat(out).hasSize(4 * 5 * 3);
      hashes.add(ProgramGraph.of(p).hash());
      SplittableRandom inputs = new SplittableRandom(i); // the weights behaviour() feeds in
      double[] w = new double[5];
      for (int k = 0; k < 5; k++) {
        w[k] = inputs.nextGaussian();
      }
      if (!java.util.Arrays.equals(out, 0, 5, w, 0, 5)) {
        changesW++;
      }
    }
    // small programs often compute the same thing (the graph hash is by computation): 377 of 500 at this seed
    assertThat(hashes.size()).as("distinct computations").isGreaterThan(300);
    assertThat(changesW).as("programs whose first update is not just w").isGreaterThan(250);
  }

  @Test
  void simplifiedProgramsBehaveLikeTheOriginal() {
    SplittableRandom rng = new SplittableRandom(2);
    Program p = ReferencePrograms.lion();
    int checked = 0;
    for (int i = 0; i < 1500; i++) {
      p = i % 30 == 0 ? ReferencePrograms.lion() : MUTATOR.mutate(p, rng).child();
      Program s = Simplifier.simplify(p);
      assertThat(s.body().size()).isLessThanOrEqualTo(p.liveSize());
      double[] a = behaviour(p, i);
      double[] b = behaviour(s, i);
      boolean finite = java.util.Arrays.stream(a).allMatch(x -> Math.abs(x) < 1e6);
      if (finite) {
        checked++;
        // the updates of 4 steps (a state is compared through the later updates it feeds: a state that no update
        // reads is dead, and the simplified program may leave it unchanged, e.g. after interp(v-term, x, 1.0) -> x)
        for (int k = 0; k < a.length; k++) {
          if (k % 15 >= 5) {
            continue;
          }
          assertThat(b[k]).as("output %d of\n%s\nsimplified\n%s", k, p, s)
              .isCloseTo(a[k], within(1e-9 * (1 + Math.abs(a[k]))));
        }
      }
    }
    assertThat(checked).isGreaterThan(500);
  }

  @Test
  void simplificationExamples() {
    // m / sqrt(m * m) -> sign(m), dead code dropped, x * 1 dropped, constants folded
    Program p = new Program(List.of(
        Statement.of("dead", Fn.EXP, "w"),
        Statement.of("c", Fn.INTERP, "g", "m", 0.9),
        Statement.of("cc", Fn.MUL, "c", "c"),
        Statement.of("r", Fn.SQRT, "cc"),
        Statement.of("d", Fn.DIV, "c", "r"),
        Statement.of("k", Fn.MUL, "lr", 1.0),
        Statement.of("two", Fn.ADD, 1.0, 1.0),
        Statement.of("k2", Fn.MUL, "k", "two"),
        Statement.of("update", Fn.MUL, "d", "k2"),
        Statement.of("m", Fn.INTERP, "g", "m", 0.99)), List.of("update", "m", "v"));
    assertThat(Simplifier.simplify(p).toString()).isEqualTo("""
        def train(w, g, m, v, lr):
            c = interp(g, m, 0.9)
            d = sign(c)
            k2 = lr * 2.0
            update = d * k2
            m = interp(g, m, 0.99)
            return update, m, v
        """);
    // chained constant-weight interps merge: interp(interp(g, m, 0.5), m, 0.8) = interp(g, m, 0.9)
    Program chained = new Program(List.of(
        Statement.of("a", Fn.INTERP, "g", "m", 0.5),
        Statement.of("b", Fn.INTERP, "a", "m", 0.8),
        Statement.of("s", Fn.SIGN, "b"),
        Statement.of("update", Fn.MUL, "s", "lr"),
        Statement.of("m", Fn.INTERP, "g", "m", 0.99)), List.of("update", "m", "v"));
    Program merged = Simplifier.simplify(chained);
    assertThat(merged.body().getFirst()).isEqualTo(Statement.of("b", Fn.INTERP, "g", "m", 0.9));
    assertThat(merged.body()).hasSize(4);
    // and the other nesting: interp(g, interp(g, m, 0.5), 0.5) = interp(g, m, 0.25)
    Program inner = new Program(List.of(
        Statement.of("a", Fn.INTERP, "g", "m", 0.5),
        Statement.of("update", Fn.INTERP, "g", "a", 0.5)), List.of("update", "m", "v"));
    assertThat(Simplifier.simplify(inner).body()).containsExactly(Statement.of("update", Fn.INTERP, "g", "m", 0.25));
    // with the inner interpolation's arguments the other way round: interp(interp(g, m, 0.5), g, 0.5) =
    // 0.25 g + 0.25 m + 0.5 g = interp(g, m, 0.25), and interp(m, interp(g, m, 0.5), 0.5) = interp(m, g, 0.25)
    Program swapped = new Program(List.of(
        Statement.of("a", Fn.INTERP, "g", "m", 0.5),
        Statement.of("update", Fn.INTERP, "a", "g", 0.5)), List.of("update", "m", "v"));
    assertThat(Simplifier.simplify(swapped).body()).containsExactly(Statement.of("update", Fn.INTERP, "g", "m", 0.25));
    Program swapped2 = new Program(List.of(
        Statement.of("a", Fn.INTERP, "g", "m", 0.5),
        Statement.of("update", Fn.INTERP, "m", "a", 0.5)), List.of("update", "m", "v"));
    assertThat(Simplifier.simplify(swapped2).body()).containsExactly(Statement.of("update", Fn.INTERP, "m", "g", 0.25));
    // the sign of m over a square root, of m times a positive constant and of a sign is sign(m)
    for (Statement inner2 : List.of(Statement.of("t", Fn.DIV, "m", "s"), Statement.of("t", Fn.MUL, 0.3, "m"),
        Statement.of("t", Fn.SIGN, "m"))) {
      Program p2 = new Program(List.of(Statement.of("s", Fn.SQRT, "v"), inner2,
          Statement.of("update", Fn.SIGN, "t")), List.of("update", "m", "v"));
      assertThat(Simplifier.simplify(p2).body()).as(inner2.toString())
          .containsExactly(Statement.of("update", Fn.SIGN, "m"));
    }
    Program negative = new Program(List.of(Statement.of("t", Fn.MUL, "m", -0.3),
        Statement.of("update", Fn.SIGN, "t")), List.of("update", "m", "v"));
    assertThat(Simplifier.simplify(negative).body()).hasSize(2);
  }

  @Test
  void simplifiedAdamwKeepsItsStructureAndNamesTheNewStateMAndV() {
    Program s = Simplifier.simplify(ReferencePrograms.adamw());
    assertThat(s.returns()).containsExactly("update", "m", "v");
    assertThat(ProgramGraph.of(s).hash()).isEqualTo(ProgramGraph.of(ReferencePrograms.adamw()).hash());
  }
}
