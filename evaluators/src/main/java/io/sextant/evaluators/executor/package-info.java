/**
 * The executor side of dispatch: the {@link io.sextant.evaluators.executor.DispatchPort} protocol, the
 * {@link io.sextant.evaluators.executor.ExecutorNode} that leases trials through it and evaluates them, and the one
 * wire codec of its REST form ({@link io.sextant.evaluators.executor.ExecutorWire}, with
 * {@link io.sextant.evaluators.executor.FailureReason} for the failure-reason limit), which search-api's server side
 * uses too.
 */
package io.sextant.evaluators.executor;
