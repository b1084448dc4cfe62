package io.sextant.evaluators.command;

/** Process checks shared with tests in other packages. */
public final class CommandEvaluatorTestSupport {
  private CommandEvaluatorTestSupport() {}

  /** Alive and not a zombie (a killed orphan may stay a zombie when nothing reaps it). */
  public static boolean alive(long pid) {
    return CommandEvaluatorTest.alive(pid);
  }
}
