package io.sextant.engine.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgramGraphTest {
  private static String hash(Program p) {
    return ProgramGraph.of(p).hashHex();
  }

  @Test
  void renamingVariablesKeepsTheHash() {
    Program lion = ReferencePrograms.lion();
    Program renamed = new Program(List.of(
        Statement.of("mix", Fn.INTERP, "g", "m", 0.9),
        Statement.of("dir", Fn.SIGN, "mix"),
        Statement.of("decay", Fn.MUL, "w", 0.1),
        Statement.of("step", Fn.ADD, "dir", "decay"),
        Statement.of("rate", Fn.MUL, "lr", 0.0003),
        Statement.of("step", Fn.MUL, "step", "rate"),
        Statement.of("ema", Fn.INTERP, "g", "m", 0.99)), List.of("step", "ema", "v"));
    assertThat(hash(renamed)).isEqualTo(hash(lion));
  }

  /** dot(lr, c) is lr * c and mean(lr) is lr (both scalars); a tensor's dot or mean is left alone. */
  @Test
  void scalarDotIsAProductAndAScalarsMeanIsItself() {
    Program product = lion(Statement.of("lr1", Fn.MUL, "lr", 0.0003));
    Program dot = lion(Statement.of("lr1", Fn.DOT, 0.0003, "lr"));
    Program mean = new Program(List.of(Statement.of("k", Fn.MEAN, "lr"), Statement.of("s", Fn.SIGN, "g"),
        Statement.of("update", Fn.MUL, "s", "k")), List.of("update", "m", "v"));
    Program plain = new Program(List.of(Statement.of("s", Fn.SIGN, "g"), Statement.of("update", Fn.MUL, "s", "lr")),
        List.of("update", "m", "v"));
    assertThat(ProgramGraph.of(dot).hash()).isEqualTo(ProgramGraph.of(product).hash())
        .isEqualTo(ProgramGraph.of(ReferencePrograms.lion()).hash());
    assertThat(ProgramGraph.of(mean).hash()).isEqualTo(ProgramGraph.of(plain).hash());
    assertThat(MutatorAndSimplifierTest.behaviour(dot, 3)).containsExactly(
        MutatorAndSimplifierTest.behaviour(ReferencePrograms.lion(), 3));
    // tensors: dot(g, m) and mean(g) are reductions, not rewritten
    Program tensorDot = new Program(List.of(Statement.of("d", Fn.DOT, "g", "m"), Statement.of("p", Fn.MUL, "g", "m"),
        Statement.of("update", Fn.MUL, "g", "d")), List.of("update", "m", "v"));
    Program tensorMul = new Program(List.of(Statement.of("p", Fn.MUL, "g", "m"),
        Statement.of("update", Fn.MUL, "g", "p")), List.of("update", "m", "v"));
    assertThat(ProgramGraph.of(tensorDot).hash()).isNotEqualTo(ProgramGraph.of(tensorMul).hash());
  }

  /** Lion with its lr-scale statement replaced. */
  private static Program lion(Statement lrScale) {
    List<Statement> b = new ArrayList<>(ReferencePrograms.lion().body());
    b.replaceAll(s -> s.target().equals("lr1") ? lrScale : s);
    return new Program(b, List.of("update", "m", "v"));
  }

  @Test
  void reorderingIndependentStatementsKeepsTheHash() {
    Program lion = ReferencePrograms.lion();
    List<Statement> b = new ArrayList<>(lion.body());
    // move "m = interp(g, m, 0.99)" before "c = interp(g, m, 0.9)"? No: c reads the old m. Move "wd" and "lr1" first.
    Statement wd = b.remove(2);
    Statement lr1 = b.remove(3);
    b.add(0, lr1);
    b.add(0, wd);
    Program reordered = lion.withBody(b);
    assertThat(reordered.body()).isNotEqualTo(lion.body());
    assertThat(hash(reordered)).isEqualTo(hash(lion));
  }

  @Test
  void deadCodeDoesNotChangeTheHashAndIsRemoved() {
    Program adamw = ReferencePrograms.adamw();
    List<Statement> b = new ArrayList<>(adamw.body());
    b.add(0, Statement.of("junk", Fn.EXP, "g"));
    b.add(3, Statement.of("junk2", Fn.MUL, "junk", "w"));
    b.add(Statement.of("unused", Fn.TANH, "update"));
    Program withDead = adamw.withBody(b);
    assertThat(hash(withDead)).isEqualTo(hash(adamw));
    assertThat(DeadCode.remove(withDead)).isEqualTo(adamw);
    assertThat(withDead.liveSize()).isEqualTo(adamw.body().size());
  }

  @Test
  void aStateThatNoUpdateReadsIsDeadCodeToo() {
    Program sgd = ReferencePrograms.sgd();
    List<Statement> b = new ArrayList<>(sgd.body());
    b.add(0, Statement.of("m", Fn.INTERP, "g", "m", 0.9)); // a momentum that the update ignores
    b.add(Statement.of("g2", Fn.SQUARE, "g"));
    b.add(Statement.of("v", Fn.INTERP, "g2", "v", 0.999)); // and a second moment that nothing reads either
    Program withStates = sgd.withBody(b);
    assertThat(hash(withStates)).isEqualTo(hash(sgd));
    // compiled and displayed without them (the genome keeps them as stepping stones)
    assertThat(ProgramGraph.of(withStates).liveCalls()).isEqualTo(ProgramGraph.of(sgd).liveCalls());
    assertThat(sameUpdates(withStates, sgd)).isTrue();
    assertThat(Simplifier.simplify(withStates).toString()).doesNotContain("interp").doesNotContain("square");
  }

  @Test
  void aStateTheUpdateReadsOnlyThroughTheOtherStateIsObserved() {
    // the update reads the old v; the new v reads the old m: m changes the next step's update
    java.util.function.DoubleFunction<Program> chain = beta -> new Program(List.of(
        Statement.of("update", Fn.MUL, "v", "lr"),
        Statement.of("v", Fn.INTERP, "m", "v", 0.5),
        Statement.of("m", Fn.INTERP, "g", "m", beta)), List.of("update", "m", "v"));
    assertThat(hash(chain.apply(0.9))).isNotEqualTo(hash(chain.apply(0.8)));
    assertThat(sameUpdates(chain.apply(0.9), chain.apply(0.8))).isFalse();
    assertThat(ProgramGraph.of(chain.apply(0.9)).liveCalls()).hasSize(3);
    // and a state that only an unobserved state reads stays unobserved
    Program ignored = new Program(List.of(
        Statement.of("update", Fn.MUL, "g", "lr"),
        Statement.of("v", Fn.INTERP, "m", "v", 0.5),
        Statement.of("m", Fn.INTERP, "g", "v", 0.9)), List.of("update", "m", "v"));
    assertThat(hash(ignored)).isEqualTo(hash(new Program(List.of(Statement.of("update", Fn.MUL, "g", "lr")),
        List.of("update", "m", "v"))));
  }

  /** Whether two programs give the same updates over 5 steps on the same random gradients. */
  private static boolean sameUpdates(Program a, Program b) {
    CompiledProgram.Run ra = CompiledProgram.compile(a).start(4);
    CompiledProgram.Run rb = CompiledProgram.compile(b).start(4);
    java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
    double[] wa = {0.5, -1, 2, 0.1};
    double[] wb = wa.clone();
    double[] ua = new double[4];
    double[] ub = new double[4];
    for (int t = 0; t < 5; t++) {
      double[] g = rng.doubles(4, -1, 1).toArray();
      ra.step(wa, g, 0.1, ua);
      rb.step(wb, g, 0.1, ub);
      if (!java.util.Arrays.equals(ua, ub)) {
        return false;
      }
      for (int i = 0; i < 4; i++) {
        wa[i] -= ua[i];
        wb[i] -= ub[i];
      }
    }
    return true;
  }

  @Test
  void commutativeArgumentsAndConstantsMatter() {
    Program a = new Program(List.of(Statement.of("update", Fn.MUL, "g", "lr")), List.of("update", "m", "v"));
    Program b = new Program(List.of(Statement.of("update", Fn.MUL, "lr", "g")), List.of("update", "m", "v"));
    Program c = new Program(List.of(Statement.of("update", Fn.DIV, "g", "lr")), List.of("update", "m", "v"));
    Program d = new Program(List.of(Statement.of("update", Fn.DIV, "lr", "g")), List.of("update", "m", "v"));
    assertThat(hash(a)).isEqualTo(hash(b));
    assertThat(hash(c)).isNotEqualTo(hash(d));
    assertThat(hash(ReferencePrograms.lion(0.9, 0.99, 0.1, 3e-4)))
        .isNotEqualTo(hash(ReferencePrograms.lion(0.9, 0.98, 0.1, 3e-4)));
    // which output a value is returned as matters (where the update reads the states)
    List<Statement> momentum = ReferencePrograms.momentum().body();
    Program swapped = new Program(momentum, List.of("update", "v", "m"));
    assertThat(hash(swapped)).isNotEqualTo(hash(ReferencePrograms.momentum()));
  }

  @Test
  void algebraicIdentitiesAreNotDetected() {
    Program sign = new Program(List.of(Statement.of("update", Fn.SIGN, "g")), List.of("update", "m", "v"));
    Program ratio = new Program(List.of(
        Statement.of("sq", Fn.MUL, "g", "g"), Statement.of("r", Fn.SQRT, "sq"),
        Statement.of("update", Fn.DIV, "g", "r")), List.of("update", "m", "v"));
    assertThat(hash(sign)).isNotEqualTo(hash(ratio));
    assertThat(hash(Simplifier.simplify(ratio))).isEqualTo(hash(sign));
  }

  @Test
  void invalidProgramsAreRefused() {
    assertThatThrownBy(() -> new Program(List.of(Statement.of("u", Fn.MUL, "q", "lr")), List.of("u", "m", "v")))
        .isInstanceOf(ProgramException.class).hasMessageContaining("'q'");
    assertThatThrownBy(() -> new Program(List.of(Statement.of("u", Fn.NORM, "g")), List.of("u", "m", "v")))
        .isInstanceOf(ProgramException.class).hasMessageContaining("scalar");
    assertThatThrownBy(() -> new Program(List.of(), List.of("lr", "m", "v")))
        .isInstanceOf(ProgramException.class);
    assertThatThrownBy(() -> Statement.of("u", Fn.INTERP, "g", "m"))
        .isInstanceOf(ProgramException.class).hasMessageContaining("3 arguments");
  }

  /**
   * A program of the maximum length, one chain in which each statement reads the previous one, is hashed, simplified,
   * compiled, run and printed (the recursive passes stay within the stack); one statement more is refused, so a deep
   * program from a client or an imported study is a ProgramException (400), not a stack overflow.
   */
  @Test
  void theLongestAllowedChainWorksEverywhereAndOneMoreIsRefused() {
    List<Statement> chain = new ArrayList<>();
    chain.add(Statement.of("x", Fn.TANH, "g"));
    while (chain.size() < Program.MAX_STATEMENTS - 1) {
      chain.add(Statement.of("x", chain.size() % 2 == 0 ? Fn.TANH : Fn.SIN, "x"));
    }
    chain.add(Statement.of("update", Fn.MUL, "x", "lr"));
    Program longest = new Program(chain, List.of("update", "m", "v"));
    assertThat(ProgramGraph.of(longest).liveCalls()).hasSize(Program.MAX_STATEMENTS);
    assertThat(Simplifier.simplify(longest).body()).hasSize(Program.MAX_STATEMENTS);
    double[] u = new double[2];
    CompiledProgram.compile(longest).start(2).step(new double[] {0, 0}, new double[] {0.5, -0.5}, 1.0, u);
    assertThat(u[0]).isPositive();
    assertThat(u[1]).isNegative();
    assertThat(ProgramPrinter.print(longest)).contains("update = x * lr");
    assertThat(ProgramJson.fromJson(ProgramJson.toJson(longest))).isEqualTo(longest);
    List<Statement> tooLong = new ArrayList<>(chain);
    tooLong.addFirst(Statement.of("y", Fn.ABS, "g"));
    assertThatThrownBy(() -> new Program(tooLong, List.of("update", "m", "v")))
        .isInstanceOf(ProgramException.class).hasMessageContaining("at most " + Program.MAX_STATEMENTS);
    assertThatThrownBy(() -> ProgramJson.fromJson(ProgramJson.toJson(longest).entrySet().stream().collect(
        java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getKey().equals("body")
            ? java.util.stream.Stream.concat(((List<?>) e.getValue()).stream(),
                ((List<?>) e.getValue()).stream().limit(1)).toList() : e.getValue()))))
        .isInstanceOf(ProgramException.class).hasMessageContaining("at most");
  }

  @Test
  void jsonRoundTripKeepsTheProgramExactly() {
    for (Program p : ReferencePrograms.all().values()) {
      Map<String, Object> json = ProgramJson.toJson(p);
      assertThat(ProgramJson.fromJson(json)).isEqualTo(p);
    }
    Program odd = new Program(List.of(Statement.of("x0", Fn.CLIP_BY_NORM, "g", 0.123456789012345),
        Statement.of("update", Fn.INTERP, "x0", "w", -1e-7)), List.of("update", "x0", "v"));
    assertThat(ProgramJson.fromJson(ProgramJson.toJson(odd))).isEqualTo(odd);
    assertThat(ProgramJson.toJson(odd)).isEqualTo(Map.of(
        "body", List.of(
            Map.of("target", "x0", "fn", "clip_by_global_norm", "args", List.of("g", 0.123456789012345)),
            Map.of("target", "update", "fn", "interp", "args", List.of("x0", "w", -1e-7))),
        "returns", List.of("update", "x0", "v")));
  }

  @Test
  void badJsonIsRefusedNamingThePosition() {
    assertThatThrownBy(() -> ProgramJson.fromJson(Map.of("body", List.of(
        Map.of("target", "u", "fn", "frobnicate", "args", List.of("g"))), "returns", List.of("u", "m", "v"))))
        .isInstanceOf(ProgramException.class).hasMessageContaining("program.body[0].fn");
    assertThatThrownBy(() -> ProgramJson.fromJson(List.of())).isInstanceOf(ProgramException.class);
    assertThatThrownBy(() -> ProgramJson.fromJson(Map.of("body", List.of(), "returns", List.of("g", "m"))))
        .isInstanceOf(ProgramException.class);
  }
  /** The structure hash ignores constants only: tuned variants share it, an edit of a function or argument does not. */
  @Test
  void structureHashIsTheHashModuloConstants() {
    ProgramGraph adamw = ProgramGraph.of(ReferencePrograms.adamw());
    ProgramGraph tuned = ProgramGraph.of(ReferencePrograms.adamw(0.95, 0.9991, 0.003, 0.002));
    assertThat(tuned.hash()).isNotEqualTo(adamw.hash());
    assertThat(tuned.structureHash()).isEqualTo(adamw.structureHash());
    assertThat(tuned.structureHex()).isEqualTo(adamw.structureHex()).hasSize(16);
    ProgramGraph lion = ProgramGraph.of(ReferencePrograms.lion());
    assertThat(lion.structureHash()).isNotEqualTo(adamw.structureHash());
    // a swapped argument (interp(m, g, c) instead of interp(g, m, c)) changes the structure
    List<Statement> body = new ArrayList<>(ReferencePrograms.adamw().body());
    body.set(1, Statement.of("m", Fn.INTERP, "m", "g", 0.9));
    assertThat(ProgramGraph.of(new Program(body, ReferencePrograms.adamw().returns())).structureHash())
        .isNotEqualTo(adamw.structureHash());
    // and a constant where a variable was changes it too
    body = new ArrayList<>(ReferencePrograms.adamw().body());
    body.set(1, Statement.of("m", Fn.INTERP, "g", 0.5, 0.9));
    assertThat(ProgramGraph.of(new Program(body, ReferencePrograms.adamw().returns())).structureHash())
        .isNotEqualTo(adamw.structureHash());
  }

  /** Mutator.tuneConstant changes one constant only: the hash changes, the structure does not. */
  @Test
  void tuningAConstantKeepsTheStructure() {
    Mutator mutator = new Mutator(20);
    Program adamw = ReferencePrograms.adamw();
    for (int seed = 0; seed < 50; seed++) {
      Mutator.Result r = mutator.tuneConstant(adamw, new java.util.SplittableRandom(seed)).orElseThrow();
      assertThat(r.edits()).containsExactly(Mutation.MODIFY);
      assertThat(ProgramGraph.of(r.child()).hash()).isNotEqualTo(ProgramGraph.of(adamw).hash());
      assertThat(ProgramGraph.of(r.child()).structureHash()).isEqualTo(ProgramGraph.of(adamw).structureHash());
      int changed = 0;
      for (int i = 0; i < adamw.body().size(); i++) {
        changed += adamw.body().get(i).equals(r.child().body().get(i)) ? 0 : 1;
      }
      assertThat(changed).isEqualTo(1);
    }
    Program noConstants = new Program(List.of(Statement.of("update", Fn.MUL, "g", "lr")),
        List.of("update", "m", "v"));
    assertThat(mutator.tuneConstant(noConstants, new java.util.SplittableRandom(1))).isEmpty();
  }
}
