package io.sextant.api.study;

import io.sextant.engine.study.StudyProblem;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A validated study definition (what a client posts), independent of storage. {@code heartbeatSeconds}: a RUNNING
 * trial handed out by /suggestions whose client shows no sign of life (heartbeat, measurement) for that long loses its
 * attempt (empty: no requirement); {@code maxFailedTrials}: the study becomes FAILED once that many trials failed.
 */
public record StudySpec(
    String name, StudyProblem problem, String algorithm, Map<String, Object> algorithmOptions,
    Optional<String> evaluator, Map<String, Object> evaluatorConfig, OptionalLong maxTrials, OptionalInt maxParallel,
    int maxAttempts, Map<String, Object> earlyStopping, io.sextant.engine.stopping.StoppingRule stoppingRule,
    Resources resources, OptionalInt heartbeatSeconds, OptionalInt maxFailedTrials) {

  /**
   * What each trial of the study needs from an executor: GPUs (count), labels (all must match) and the executor pool
   * (empty: the default pool). Pools are exclusive both ways: only executors registered in the study's pool lease its
   * trials, and they lease nothing else.
   */
  public record Resources(int gpus, Map<String, String> labels, Optional<String> pool) {
    public static final Resources NONE = new Resources(0, Map.of(), Optional.empty());

    /** As stored and shown: {@code pool} only when the study names one (older definitions stay as they were). */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("gpus", gpus);
      m.put("labels", labels);
      pool.ifPresent(p -> m.put("pool", p));
      return m;
    }
  }
}
