package io.sextant.evaluators.executor;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an executor offers: slots (concurrent trials), CPU cores, GPUs, labels, the evaluators installed on it
 * (empty: not declared, as older executors did; the server then assumes the evaluators it has itself) and the
 * executor pool it serves (empty: the default pool). Pools partition the work: an executor in pool P is handed only
 * trials of studies whose {@code resources.pool} is P, and an executor without a pool only trials of studies without
 * one.
 */
public record ExecutorInfo(String name, int slots, int cpuCores, List<Gpu> gpus, Map<String, String> labels,
    List<String> evaluators, Optional<String> pool) {
  /** Pool names: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (case-sensitive). */
  public static final String POOL_REGEX = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
  /** {@link #POOL_REGEX} as a JSON-schema pattern (anchored), for the OpenAPI document. */
  public static final String POOL_SCHEMA_PATTERN = "^" + POOL_REGEX + "$";
  public static final Pattern POOL_NAME = Pattern.compile(POOL_REGEX);
  /** What a bad pool name is told (after the field's name). */
  public static final String POOL_RULE =
      "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";

  public ExecutorInfo {
    gpus = List.copyOf(gpus);
    labels = Map.copyOf(labels);
    evaluators = List.copyOf(evaluators);
    java.util.Objects.requireNonNull(pool, "pool");
    pool.ifPresent(p -> {
      if (!isPoolName(p)) {
        throw new IllegalArgumentException("pool " + POOL_RULE + ": " + p);
      }
    });
  }

  /** An executor of the default pool. */
  public ExecutorInfo(String name, int slots, int cpuCores, List<Gpu> gpus, Map<String, String> labels,
      List<String> evaluators) {
    this(name, slots, cpuCores, gpus, labels, evaluators, Optional.empty());
  }

  /** An executor of the default pool that does not declare its evaluators. */
  public ExecutorInfo(String name, int slots, int cpuCores, List<Gpu> gpus, Map<String, String> labels) {
    this(name, slots, cpuCores, gpus, labels, List.of());
  }

  /** Whether {@code s} is a valid pool name ({@link #POOL_NAME}). */
  public static boolean isPoolName(String s) {
    return s != null && POOL_NAME.matcher(s).matches();
  }

  /** The same executor declaring {@code names} as its evaluators. */
  public ExecutorInfo withEvaluators(java.util.Collection<String> names) {
    return new ExecutorInfo(name, slots, cpuCores, gpus, labels, names.stream().sorted().toList(), pool);
  }

  /** The same executor serving the pool {@code name} (empty: the default pool). */
  public ExecutorInfo inPool(Optional<String> name) {
    return new ExecutorInfo(this.name, slots, cpuCores, gpus, labels, evaluators, name);
  }

  /** One GPU as nvidia-smi reports it. */
  public record Gpu(int index, String name, long memoryMiB) {}
}
