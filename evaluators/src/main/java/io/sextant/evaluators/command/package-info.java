/**
 * The {@code command} evaluator: runs any executable per trial, passes the parameters as a JSON file and
 * environment variables, and reads intermediate and final metrics as JSON lines from its standard output. See
 * {@link io.sextant.evaluators.command.CommandProvider} and docs/evaluators.md.
 */
package io.sextant.evaluators.command;
