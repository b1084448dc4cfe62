/**
 * The executor side of dispatch: the {@link io.sextant.evaluators.executor.DispatchPort} protocol and the
 * {@link io.sextant.evaluators.executor.ExecutorNode} that leases trials through it and evaluates them.
 */
package io.sextant.evaluators.executor;
