package io.sextant.engine.program;

/** An argument of a statement: a variable (input or earlier assignment) or a scalar constant. */
public sealed interface Operand permits Operand.Ref, Operand.Const {
  /** A variable by name; refers to the latest assignment before the statement (or the input). */
  record Ref(String name) implements Operand {
    public Ref {
      if (name == null || name.isBlank()) {
        throw new ProgramException("variable names must not be blank");
      }
    }
  }

  /** A finite scalar constant. */
  record Const(double value) implements Operand {
    public Const {
      if (!Double.isFinite(value)) {
        throw new ProgramException("constants must be finite (got " + value + ")");
      }
      if (value == 0.0) {
        value = 0.0; // normalize -0.0
      }
    }
  }

  static Operand ref(String name) {
    return new Ref(name);
  }

  static Operand constant(double value) {
    return new Const(value);
  }
}
