package io.sextant.evaluators.spi;

import java.util.Map;

/**
 * An objective: turns a trial's parameters into final metrics.
 *
 * <p>Contract: called from executor worker threads, one call per trial attempt; an instance may be called
 * concurrently and must be thread-safe. Return the final metrics by name (every objective metric of the study,
 * see {@link EvaluationContext#objectiveMetrics()}); throw to fail the attempt (the message becomes the failure
 * reason). Long evaluations should call {@link EvaluationContext#report} and return early when it answers stop.
 */
public interface Evaluator {
  Map<String, Double> evaluate(Map<String, Object> params, EvaluationContext context) throws Exception;
}
