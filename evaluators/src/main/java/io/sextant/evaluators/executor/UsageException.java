package io.sextant.evaluators.executor;

/** A command line the executor cannot run with; the message says what is wrong. Exit status 2. */
public class UsageException extends IllegalArgumentException {
  public UsageException(String message) {
    super(message);
  }
}
