package io.sextant.evaluators.executor;

import io.sextant.evaluators.spi.EvaluationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** One running attempt: its lease, stop flag, worker thread and scratch directory; the evaluator's context. */
final class AttemptContext implements EvaluationContext {
  private static final System.Logger LOG = System.getLogger(AttemptContext.class.getName());

  private final Lease lease;
  private final DispatchPort port;
  /** The registration the lease was granted to: its reports name it. */
  private final String executorId;
  private final List<String> metrics;
  private final Path workDir;
  private final Instant deadline;
  private final AtomicReference<StopReason> stop = new AtomicReference<>();
  private Thread worker;
  private boolean workDirCreated;
  private volatile List<Integer> gpus;

  AttemptContext(Lease lease, DispatchPort port, String executorId, Path workRoot, Instant deadline) {
    this.lease = lease;
    this.port = port;
    this.executorId = executorId;
    this.metrics = lease.problem().objectives().stream().map(o -> o.metric()).toList();
    this.workDir = workRoot.resolve("trial-" + lease.ref().trialId() + "-attempt-" + lease.ref().attempt());
    this.deadline = deadline;
    this.gpus = lease.gpus() == null ? List.of() : List.copyOf(lease.gpus());
  }

  Lease lease() {
    return lease;
  }

  LeaseRef ref() {
    return lease.ref();
  }

  @Override
  public List<String> objectiveMetrics() {
    return metrics;
  }

  @Override
  public long trialNumber() {
    return lease.trialNumber();
  }

  private int reportFailures;

  @Override
  public boolean report(long step, Map<String, Double> values) {
    if (stopRequested()) {
      return true;
    }
    try {
      if (port.report(executorId, lease.ref(), step, values)) {
        signal(StopReason.SERVER);
      }
    } catch (StaleLeaseException e) {
      LOG.log(Level.INFO, "report for {0} refused, lease no longer current: {1}", lease.ref(), e.getMessage());
      signal(StopReason.SERVER);
    } catch (RuntimeException e) {
      // the first refusal is worth a warning; a script that keeps reporting too fast (429) must not flood the log
      LOG.log(reportFailures++ == 0 ? Level.WARNING : Level.DEBUG, "report for {0} failed (measurement dropped): {1}",
          lease.ref(), ExecutorNode.reasonOf(e));
    }
    return stopRequested();
  }

  @Override
  public boolean stopRequested() {
    return stop.get() != null;
  }

  /** The lease's GPUs, unless the node assigned others ({@link #assignGpus}). */
  @Override
  public List<Integer> gpus() {
    return gpus;
  }

  /** The devices the node assigned to this attempt. */
  void assignGpus(List<Integer> assigned) {
    gpus = List.copyOf(assigned);
  }

  @Override
  public synchronized Path workDirectory() {
    if (!workDirCreated) {
      try {
        deleteTree(workDir);
        Files.createDirectories(workDir);
      } catch (IOException e) {
        throw new UncheckedIOException("could not create work directory " + workDir + ": " + e.getMessage(), e);
      }
      workDirCreated = true;
    }
    return workDir;
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  /** Asks the attempt to stop; returns true when this call set the (first) reason. */
  boolean signal(StopReason reason) {
    return stop.compareAndSet(null, reason);
  }

  Optional<StopReason> stopReason() {
    return Optional.ofNullable(stop.get());
  }

  /** Marks the calling thread as running the evaluator, so {@link #interrupt()} can reach it. */
  synchronized void begin() {
    worker = Thread.currentThread();
  }

  /** The evaluator returned: later interrupts must not reach the (reused) worker thread. */
  synchronized void end() {
    worker = null;
    Thread.interrupted();
  }

  /** Interrupts the worker thread while, and only while, it runs the evaluator. */
  synchronized void interrupt() {
    if (worker != null) {
      worker.interrupt();
    }
  }

  /** Deletes the scratch directory if it was created. Never throws. */
  synchronized void deleteWorkDirectory() {
    if (!workDirCreated) {
      return;
    }
    try {
      deleteTree(workDir);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "could not delete work directory {0}: {1}", workDir, e.getMessage());
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) {
          throw e;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
