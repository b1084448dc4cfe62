/**
 * Built-in evaluators: benchmark functions ({@code branin}, {@code hartmann6}, {@code ackley}, {@code rosenbrock},
 * {@code zdt1}, {@code zdt2}, {@code zdt3}, {@code dtlz2}; see {@link io.sextant.evaluators.builtin.BenchmarkProvider}
 * for the input and output conventions) and {@code noop} for dispatch tests.
 */
package io.sextant.evaluators.builtin;
