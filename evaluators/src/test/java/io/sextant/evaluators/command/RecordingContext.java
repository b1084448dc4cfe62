package io.sextant.evaluators.command;

import io.sextant.evaluators.spi.EvaluationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A context for running the command evaluator directly: records reports, answers stop when told to. */
final class RecordingContext implements EvaluationContext {
  record Report(long step, Map<String, Double> values) {}

  final List<Report> reports = new CopyOnWriteArrayList<>();
  final AtomicBoolean stop = new AtomicBoolean();
  private final Path work;
  private final List<Integer> gpus;
  private final Instant deadline;
  volatile int stopAtReport = Integer.MAX_VALUE;

  RecordingContext(Path work, List<Integer> gpus, Instant deadline) {
    this.work = work;
    this.gpus = List.copyOf(gpus);
    this.deadline = deadline;
  }

  RecordingContext(Path work) {
    this(work, List.of(), Instant.now().plusSeconds(3600));
  }

  @Override
  public List<String> objectiveMetrics() {
    return List.of("loss", "acc");
  }

  @Override
  public long trialNumber() {
    return 17;
  }

  @Override
  public boolean report(long step, Map<String, Double> values) {
    reports.add(new Report(step, values));
    if (reports.size() >= stopAtReport) {
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
    return gpus;
  }

  @Override
  public Path workDirectory() {
    try {
      return Files.createDirectories(work);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Instant deadline() {
    return deadline;
  }
}
