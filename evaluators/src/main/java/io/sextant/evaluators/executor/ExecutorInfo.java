package io.sextant.evaluators.executor;

import java.util.List;
import java.util.Map;

/** What an executor offers: slots (concurrent trials), CPU cores, GPUs and labels. */
public record ExecutorInfo(String name, int slots, int cpuCores, List<Gpu> gpus, Map<String, String> labels) {
  public ExecutorInfo {
    gpus = List.copyOf(gpus);
    labels = Map.copyOf(labels);
  }

  /** One GPU as nvidia-smi reports it. */
  public record Gpu(int index, String name, long memoryMiB) {}
}
