package io.sextant.evaluators.executor;

import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.designer.Options;
import io.sextant.engine.study.StudyProblem;
import io.sextant.evaluators.spi.Evaluator;
import io.sextant.evaluators.spi.EvaluatorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test-only evaluator "probe" (registered in src/test/resources): records what its context offered, writes a file
 * into the work directory, and can misbehave on request ({@code mode}: ok, blank-exception, missing-metric).
 */
public final class ProbeProvider implements EvaluatorProvider {
  /** What one evaluation saw, by trial number. */
  record Seen(List<String> metrics, List<Integer> gpus, Path workDir, boolean wroteFile, Instant deadline,
      Map<String, Object> params) {}

  static final Map<Long, Seen> SEEN = new ConcurrentHashMap<>();
  /** Devices in use by running probes right now, and every time two probes used one device at once. */
  static final Set<Integer> IN_USE = ConcurrentHashMap.newKeySet();
  static final List<String> SHARED = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public String name() {
    return "probe";
  }

  @Override
  public String description() {
    return "test probe";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.of("mode", "string", "ok", "ok, blank-exception or missing-metric"),
        OptionSpec.of("gpus", "integer", 0L, "GPUs per trial (assigned by the node)"),
        OptionSpec.of("sleepMs", "integer", 0L, "how long to hold the GPUs"));
  }

  @Override
  public Evaluator create(StudyProblem problem, Map<String, Object> config) {
    Options o = new Options(config).allowOnly(Set.of("mode", "gpus", "sleepMs"));
    String mode = o.getString("mode", "ok", Set.of("ok", "blank-exception", "missing-metric"));
    long sleepMs = o.getLong("sleepMs", 0);
    return (params, ctx) -> {
      if (sleepMs > 0) {
        for (int d : ctx.gpus()) {
          if (!IN_USE.add(d)) {
            SHARED.add("trial " + ctx.trialNumber() + " got device " + d + " while another trial held it");
          }
        }
        try {
          Thread.sleep(sleepMs);
        } finally {
          ctx.gpus().forEach(IN_USE::remove);
        }
      }
      Path dir = ctx.workDirectory();
      Path file = Files.writeString(dir.resolve("out.txt"), "trial " + ctx.trialNumber());
      SEEN.put(ctx.trialNumber(), new Seen(ctx.objectiveMetrics(), ctx.gpus(), dir, Files.exists(file),
          ctx.deadline(), params));
      switch (mode) {
        case "blank-exception" -> throw new IllegalStateException();
        case "missing-metric" -> {
          return Map.of("something-else", 1.0);
        }
        default -> {
          Map<String, Double> out = new java.util.HashMap<>();
          ctx.objectiveMetrics().forEach(m -> out.put(m, 42.0));
          return out;
        }
      }
    };
  }
}
