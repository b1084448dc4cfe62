package io.sextant.evaluators.builtin;

import io.sextant.evaluators.spi.EvaluationContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** A context for calling evaluators directly: records reports, answers stop once {@link #stop()} was called. */
final class FixedContext implements EvaluationContext {
  private final List<String> metrics;
  private final long trialNumber;
  private final AtomicBoolean stop = new AtomicBoolean();
  final List<Long> reportedSteps = new ArrayList<>();
  volatile boolean stopOnReport;

  FixedContext(List<String> metrics, long trialNumber) {
    this.metrics = List.copyOf(metrics);
    this.trialNumber = trialNumber;
  }

  void stop() {
    stop.set(true);
  }

  @Override
  public List<String> objectiveMetrics() {
    return metrics;
  }

  @Override
  public long trialNumber() {
    return trialNumber;
  }

  @Override
  public synchronized boolean report(long step, Map<String, Double> values) {
    reportedSteps.add(step);
    if (stopOnReport) {
      stop.set(true);
    }
    return stop.get();
  }

  @Override
  public boolean stopRequested() {
    return stop.get();
  }

  @Override
  public List<Integer> gpus() {
    return List.of();
  }

  @Override
  public Path workDirectory() {
    throw new UnsupportedOperationException("no work directory in this test");
  }

  @Override
  public Instant deadline() {
    return Instant.MAX;
  }
}
