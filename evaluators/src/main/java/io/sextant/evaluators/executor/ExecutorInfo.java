package io.sextant.evaluators.executor;

import java.util.List;
import java.util.Map;

/**
 * What an executor offers: slots (concurrent trials), CPU cores, GPUs, labels and the evaluators installed on it
 * (empty: not declared, as older executors did; the server then assumes the evaluators it has itself).
 */
public record ExecutorInfo(String name, int slots, int cpuCores, List<Gpu> gpus, Map<String, String> labels,
    List<String> evaluators) {
  public ExecutorInfo {
    gpus = List.copyOf(gpus);
    labels = Map.copyOf(labels);
    evaluators = List.copyOf(evaluators);
  }

  /** An executor that does not declare its evaluators. */
  public ExecutorInfo(String name, int slots, int cpuCores, List<Gpu> gpus, Map<String, String> labels) {
    this(name, slots, cpuCores, gpus, labels, List.of());
  }

  /** The same executor declaring {@code names} as its evaluators. */
  public ExecutorInfo withEvaluators(java.util.Collection<String> names) {
    return new ExecutorInfo(name, slots, cpuCores, gpus, labels, names.stream().sorted().toList());
  }

  /** One GPU as nvidia-smi reports it. */
  public record Gpu(int index, String name, long memoryMiB) {}
}
