package io.sextant.evaluators.executor;

/** The lease named in a report is no longer current; the report was refused and changed nothing. */
public class StaleLeaseException extends RuntimeException {
  public StaleLeaseException(String message) {
    super(message);
  }
}
