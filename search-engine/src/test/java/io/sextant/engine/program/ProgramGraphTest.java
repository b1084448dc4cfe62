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
  void commutativeArgumentsAndConstantsMatter() {
    Program a = new Program(List.of(Statement.of("update", Fn.MUL, "g", "lr")), List.of("update", "m", "v"));
    Program b = new Program(List.of(Statement.of("update", Fn.MUL, "lr", "g")), List.of("update", "m", "v"));
    Program c = new Program(List.of(Statement.of("update", Fn.DIV, "g", "lr")), List.of("update", "m", "v"));
    Program d = new Program(List.of(Statement.of("update", Fn.DIV, "lr", "g")), List.of("update", "m", "v"));
    assertThat(hash(a)).isEqualTo(hash(b));
    assertThat(hash(c)).isNotEqualTo(hash(d));
    assertThat(hash(ReferencePrograms.lion(0.9, 0.99, 0.1, 3e-4)))
        .isNotEqualTo(hash(ReferencePrograms.lion(0.9, 0.98, 0.1, 3e-4)));
    // which output a value is returned as matters
    Program swapped = new Program(List.of(Statement.of("update", Fn.MUL, "g", "lr")), List.of("update", "v", "m"));
    assertThat(hash(swapped)).isNotEqualTo(hash(a));
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
}
