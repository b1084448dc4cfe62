package io.sextant.evaluators.sor;

import io.sextant.evaluators.spi.EvaluationContext;
import io.sextant.evaluators.spi.Evaluator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Solves one instance per trial; stateless, so thread-safe. See {@link SorEvaluatorProvider}. */
final class SorEvaluator implements Evaluator {
  private final SorEvaluatorProvider.Config config;

  SorEvaluator(SorEvaluatorProvider.Config config) {
    this.config = config;
  }

  @Override
  public Map<String, Double> evaluate(Map<String, Object> params, EvaluationContext context) {
    if (context.objectiveMetrics().size() != 1) {
      throw new IllegalStateException("sor reports one objective, the trial names " + context.objectiveMetrics());
    }
    Object v = params.get(config.parameter());
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException(v == null
          ? "parameter '" + config.parameter() + "' is missing"
          : "parameter '" + config.parameter() + "' must be a number (got " + v + ")");
    }
    double omega = n.doubleValue();
    if (!(omega > 0 && omega < 2)) {
      throw new IllegalArgumentException("omega must lie in (0, 2), got " + omega);
    }
    SorInstance inst = config.instances().instance(config.offset() + context.trialNumber());
    long start = System.nanoTime();
    SorResult r = Sor.solve(inst.matrix(), inst.rhs(), omega, config.tolerance(), config.maxIterations(),
        context::stopRequested);
    double seconds = (System.nanoTime() - start) * 1e-9;
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("wall_seconds", seconds);
    out.put("omega_star", inst.omegaStar());
    out.putAll(inst.features());
    out.put("converged", r.converged() ? 1.0 : 0.0);
    if (config.reportOptimal()) {
      SorResult opt = Sor.solve(inst.matrix(), inst.rhs(), inst.omegaStar(), config.tolerance(),
          config.maxIterations(), context::stopRequested);
      out.put("optimal_iterations", (double) opt.iterations());
    }
    out.put(context.objectiveMetrics().getFirst(), (double) r.iterations());
    return out;
  }
}
