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
    return List.of(OptionSpec.of("mode", "string", "ok", "ok, blank-exception or missing-metric"));
  }

  @Override
  public Evaluator create(StudyProblem problem, Map<String, Object> config) {
    String mode = new Options(config).allowOnly(Set.of("mode"))
        .getString("mode", "ok", Set.of("ok", "blank-exception", "missing-metric"));
    return (params, ctx) -> {
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
