package io.sextant.engine.program;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A straight-line optimizer program {@code train(w, g, m, v, lr) -> (update, m, v)}: the caller applies
 * {@code w <- w - update}; {@code m} and {@code v} are state tensors that start at zero and persist across steps.
 * Inputs {@code w, g, m, v} are tensors of one length (the weights), {@code lr} a scalar.
 *
 * <p>Invariant (checked by the constructor, so every instance is valid): every referenced variable is an input or
 * assigned by an earlier statement, arities match, and the three returned variables are tensors. Statements whose
 * results do not reach a returned value (dead code) are allowed and kept as stepping stones for mutation.
 * Immutable.
 *
 * @param body the statements in order
 * @param returns the names of (update, new m, new v)
 */
public record Program(List<Statement> body, List<String> returns) {
  /** Input names in positional order. */
  public static final List<String> INPUTS = List.of("w", "g", "m", "v", "lr");

  /** Number of returned values: update, m, v. */
  public static final int OUTPUTS = 3;

  /** Most statements a program may have (also the ceiling of the designer's {@code maxStatements}). */
  public static final int MAX_STATEMENTS = 1000;

  public Program {
    body = List.copyOf(body);
    returns = List.copyOf(returns);
    if (body.size() > MAX_STATEMENTS) {
      throw new ProgramException("a program has at most " + MAX_STATEMENTS + " statements, got " + body.size());
    }
    if (returns.size() != OUTPUTS) {
      throw new ProgramException("a program returns (update, m, v): 3 names, got " + returns.size());
    }
    Map<String, Boolean> types = types(body);
    for (String r : returns) {
      Boolean t = types.get(r);
      if (t == null) {
        throw new ProgramException("returned variable '" + r + "' is not defined");
      }
      if (!t) {
        throw new ProgramException("returned variable '" + r + "' is a scalar; update, m and v must be tensors");
      }
    }
  }

  /** Whether a name is bound to a tensor ({@code true}) or scalar after all statements; throws when ill-formed. */
  static Map<String, Boolean> types(List<Statement> body) {
    Map<String, Boolean> env = new HashMap<>();
    for (String in : INPUTS) {
      env.put(in, !in.equals("lr"));
    }
    for (int i = 0; i < body.size(); i++) {
      Statement s = body.get(i);
      boolean[] argTypes = new boolean[s.args().size()];
      for (int k = 0; k < argTypes.length; k++) {
        if (s.args().get(k) instanceof Operand.Ref(String name)) {
          Boolean t = env.get(name);
          if (t == null) {
            throw new ProgramException("statement " + (i + 1) + " (" + s.target() + " = " + s.fn().id()
                + "): variable '" + name + "' is not defined before use");
          }
          argTypes[k] = t;
        }
      }
      env.put(s.target(), s.fn().resultIsTensor(argTypes));
    }
    return env;
  }

  /** Whether {@code name} is a tensor right before statement {@code index} (inputs included); empty if undefined. */
  java.util.Optional<Boolean> typeBefore(int index, String name) {
    return java.util.Optional.ofNullable(types(body.subList(0, index)).get(name));
  }

  /** The variables defined before statement {@code index} (inputs first), with their types. */
  Map<String, Boolean> scopeBefore(int index) {
    return types(body.subList(0, index));
  }

  /** A program with the same returns and another body; throws {@link ProgramException} when that is ill-formed. */
  public Program withBody(List<Statement> newBody) {
    return new Program(newBody, returns);
  }

  /** Number of statements that reach a returned value. */
  public int liveSize() {
    return DeadCode.remove(this).body().size();
  }

  /** The statements as a mutable copy (for builders). */
  List<Statement> bodyCopy() {
    return new ArrayList<>(body);
  }

  /** Readable code, e.g. {@code def train(w, g, m, v, lr):}. */
  @Override
  public String toString() {
    return ProgramPrinter.print(this);
  }
}
