package io.sextant.engine.study;

/** Trial life cycle: WAITING -> RUNNING -> COMPLETED | PRUNED | FAILED | INFEASIBLE. */
public enum TrialState {
  WAITING,
  RUNNING,
  COMPLETED,
  PRUNED,
  FAILED,
  INFEASIBLE;

  public boolean isFinished() {
    return this != WAITING && this != RUNNING;
  }

  public boolean isPending() {
    return !isFinished();
  }
}
