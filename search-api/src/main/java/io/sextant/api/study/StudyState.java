package io.sextant.api.study;

/**
 * ACTIVE studies issue trials; PAUSED ones do not (running trials finish); COMPLETED ones reached maxTrials with at
 * least one completed trial; FAILED ones reached maxTrials with none, or limits.maxFailedTrials (the study's
 * {@code stateReason} says which). COMPLETED and FAILED are final.
 */
public enum StudyState {
  ACTIVE,
  PAUSED,
  COMPLETED,
  FAILED
}
