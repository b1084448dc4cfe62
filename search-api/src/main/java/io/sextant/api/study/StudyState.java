package io.sextant.api.study;

/** ACTIVE studies issue trials; PAUSED ones do not (running trials finish); COMPLETED ones reached maxTrials. */
public enum StudyState {
  ACTIVE,
  PAUSED,
  COMPLETED
}
