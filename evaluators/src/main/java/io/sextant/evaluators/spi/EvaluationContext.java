package io.sextant.evaluators.spi;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What an evaluation may know and do besides computing: report progress, notice stop requests, find resources. */
public interface EvaluationContext {
  /** Study objective metrics, in objective order; evaluators of k-output functions report them in this order. */
  List<String> objectiveMetrics();

  /** Trial number within its study. */
  long trialNumber();

  /**
   * Reports an intermediate measurement. Returns true when the evaluation should stop now (pruned, cancelled,
   * study paused, or the executor is shutting down); the evaluator should then return or throw promptly.
   */
  boolean report(long step, Map<String, Double> metrics);

  /** True once a stop was requested. */
  boolean stopRequested();

  /** GPU indices assigned to this trial (empty on CPU trials); command evaluators export CUDA_VISIBLE_DEVICES. */
  List<Integer> gpus();

  /** A scratch directory owned by this attempt. */
  Path workDirectory();

  /** When the attempt must be finished. */
  Instant deadline();
}
