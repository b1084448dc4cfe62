package io.sextant.evaluators.executor;

/** Why an attempt was asked to stop; the first reason wins. */
enum StopReason {
  /** The server said stop (report or heartbeat answer, or a stale lease): the lease is over, send nothing. */
  SERVER,
  /** The attempt ran past the node's trial timeout: it is reported failed. */
  DEADLINE,
  /** The node is shutting down: the lease is handed back by deregister, send nothing. */
  SHUTDOWN
}
