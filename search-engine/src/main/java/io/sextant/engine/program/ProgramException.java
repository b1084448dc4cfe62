package io.sextant.engine.program;

/** A malformed program (unknown function, wrong arity, undefined variable, scalar return value, bad JSON). */
public class ProgramException extends IllegalArgumentException {
  public ProgramException(String message) {
    super(message);
  }
}
