package io.sextant.evaluators.proxy;

/** Which proxy tasks score a program (see {@link ProxySuite}). */
public enum Stage {
  /** The selected cheap tasks only. */
  CHEAP,
  /** The larger funnel tasks only. */
  FULL,
  /** The meta-validation tasks only (for reporting; never meant for selection). */
  META,
  /** Cheap; programs beating AdamW there also run the full stage, and those beating it there too the meta stage. */
  FUNNEL
}
