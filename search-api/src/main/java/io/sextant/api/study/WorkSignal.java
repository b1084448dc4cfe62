package io.sextant.api.study;

/**
 * Tells whoever waits for work (executors' long polls) that some may have appeared: a study was created, imported
 * or resumed. Declared here and implemented by trial.TrialEvents, so that studies need not know the trial package
 * (the packages form an acyclic graph: see docs/architecture.md).
 */
public interface WorkSignal {
  /** Inside a transaction, the signal is sent after it ends. */
  void workMayBeAvailable();
}
