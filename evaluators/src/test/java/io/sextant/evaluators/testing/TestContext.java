package io.sextant.evaluators.testing;

import io.sextant.evaluators.spi.EvaluationContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A minimal evaluation context: one objective metric and a trial number, never asks to stop. */
public record TestContext(List<String> objectiveMetrics, long trialNumber) implements EvaluationContext {
  @Override
  public boolean report(long step, Map<String, Double> metrics) {
    return false;
  }

  @Override
  public boolean stopRequested() {
    return false;
  }

  @Override
  public List<Integer> gpus() {
    return List.of();
  }

  @Override
  public Path workDirectory() {
    throw new IllegalStateException("not used by this caller");
  }

  @Override
  public Instant deadline() {
    return Instant.MAX;
  }
}
