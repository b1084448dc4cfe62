package io.sextant.engine.program;

import java.util.List;

/** One assignment {@code target = fn(args...)}. Reassigning a name (e.g. {@code m}) is allowed. */
public record Statement(String target, Fn fn, List<Operand> args) {
  public Statement {
    if (target == null || target.isBlank() || !target.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new ProgramException("bad variable name '" + target + "'");
    }
    args = List.copyOf(args);
    if (args.size() != fn.arity()) {
      throw new ProgramException(fn.id() + " takes " + fn.arity() + " arguments, got " + args.size());
    }
  }

  public static Statement of(String target, Fn fn, Object... args) {
    return new Statement(target, fn, java.util.Arrays.stream(args)
        .map(a -> a instanceof Number n ? Operand.constant(n.doubleValue()) : Operand.ref((String) a))
        .toList());
  }
}
