package io.sextant.evaluators.proxy;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.program.Program;
import io.sextant.engine.program.ProgramException;
import io.sextant.engine.program.ProgramJson;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.StudyProblem;
import io.sextant.evaluators.spi.EvaluationContext;
import io.sextant.evaluators.spi.Evaluator;
import io.sextant.evaluators.spi.EvaluatorProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code optimizer-proxy} evaluator: scores the optimizer program in {@code params.program} with
 * {@link OptimizerProxy} and reports its fitness (lower is better, AdamW = 1) under the study's single objective
 * metric, which must be minimized; the space must be empty (program-evolution studies).
 *
 * <p>Stage {@code funnel} (default): the cheap fitness; a program below 1 (beats AdamW) also runs the full stage and
 * its objective becomes the mean of the cheap and full fitness; a program below 1 there too runs the
 * meta-validation tasks, reported as {@code meta_validation} and never part of the objective. Further metrics:
 * {@code cheap_fitness}, {@code full_fitness}, {@code funnel_stage} (1, 2 or 3 stages run) and
 * {@code ratio_<task>} per cheap task. Programs that diverge score {@link OptimizerProxy#WORST}; a malformed program
 * fails the attempt.
 */
public final class OptimizerProxyProvider implements EvaluatorProvider {
  public static final String NAME = "optimizer-proxy";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Scores an optimizer program (params.program) on small pure-Java training tasks (MLPs on spirals/XOR "
        + "blobs, logistic regression, a noisy ill-conditioned quadratic) over an lr sweep and several seeds; "
        + "fitness = geometric mean of best validation loss relative to AdamW (lower is better).";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.of("tasks", "list of strings", ProxySuite.DEFAULT_TASKS,
            "cheap tasks: " + String.join(", ", ProxySuite.CHEAP.keySet())),
        OptionSpec.of("steps", "integer", (long) ProxySettings.DEFAULT_STEPS,
            "minibatch steps per cheap run (mlp-spirals-32 1.5x, full stage 2x, meta 3x)"),
        OptionSpec.of("seeds", "integer", (long) ProxySettings.DEFAULT_SEEDS, "seeds per task"),
        OptionSpec.of("metaSeeds", "integer", (long) ProxySettings.DEFAULT_SEEDS,
            "seeds per meta-validation task (reported only; 20 or more for a measurement that separates programs "
                + "a few percent apart)"),
        OptionSpec.of("lrSweep", "list of numbers", ProxySettings.DEFAULT_LR_SWEEP,
            "values of the program's lr input; a task's score is the best over them"),
        OptionSpec.of("stage", "string", "funnel", "cheap, full, meta or funnel"));
  }

  @Override
  public Evaluator create(StudyProblem problem, Map<String, Object> config) {
    ProxySettings settings = ProxySettings.parse(config);
    if (problem.objectives().size() != 1 || problem.objectives().get(0).direction() != Direction.MINIMIZE) {
      throw new ConfigException("objectives", "optimizer-proxy reports one fitness to minimize: the study needs "
          + "exactly 1 objective with direction MINIMIZE");
    }
    if (!problem.space().parameters().isEmpty()) {
      throw new ConfigException("space", "optimizer-proxy reads params.program: the study must have no space");
    }
    OptimizerProxy proxy = new OptimizerProxy(settings);
    return (params, context) -> evaluate(proxy, params, context);
  }

  /** Scores {@code params.program} as configured; see the class comment for the metrics. */
  public static Map<String, Double> evaluate(OptimizerProxy proxy, Map<String, Object> params,
      EvaluationContext context) {
    Program program;
    try {
      program = ProgramJson.fromJson(params.get("program"));
    } catch (ProgramException e) {
      throw new IllegalArgumentException("params.program: " + e.getMessage(), e);
    }
    String metric = context.objectiveMetrics().get(0);
    Map<String, Double> out = new LinkedHashMap<>();
    Stage stage = proxy.settings().stage();
    if (stage != Stage.FUNNEL) {
      OptimizerProxy.Score s = proxy.score(program, stage);
      out.put(metric, s.fitness());
      s.ratios().forEach((k, v) -> out.put("ratio_" + k, v));
      return out;
    }
    OptimizerProxy.Score cheap = proxy.score(program, Stage.CHEAP);
    cheap.ratios().forEach((k, v) -> out.put("ratio_" + k, v));
    out.put("cheap_fitness", cheap.fitness());
    out.put(metric, cheap.fitness());
    out.put("funnel_stage", 1.0);
    if (!(cheap.fitness() < 1.0) || context.report(1, Map.of(metric, cheap.fitness()))) {
      return out;
    }
    double full = proxy.score(program, Stage.FULL).fitness();
    out.put("full_fitness", full);
    out.put(metric, 0.5 * (cheap.fitness() + full));
    out.put("funnel_stage", 2.0);
    if (!(full < 1.0) || context.report(2, Map.of(metric, out.get(metric)))) {
      return out;
    }
    out.put("meta_validation", proxy.score(program, Stage.META).fitness());
    out.put("funnel_stage", 3.0);
    return out;
  }
}
