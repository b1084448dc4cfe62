package io.sextant.evaluators.builtin;

import io.sextant.evaluators.spi.EvaluationContext;
import io.sextant.evaluators.spi.Evaluator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Evaluates a {@link BenchmarkProvider}'s function on a trial's numeric parameters, plus optional seeded noise. */
final class BenchmarkEvaluator implements Evaluator {
  private final BenchmarkProvider function;
  private final List<String> inputs;
  private final int objectives;
  private final double noise;
  private final long seed;

  BenchmarkEvaluator(BenchmarkProvider function, List<String> inputs, int objectives, double noise, long seed) {
    this.function = function;
    this.inputs = inputs;
    this.objectives = objectives;
    this.noise = noise;
    this.seed = seed;
  }

  @Override
  public Map<String, Double> evaluate(Map<String, Object> params, EvaluationContext context) {
    double[] x = new double[inputs.size()];
    for (int i = 0; i < x.length; i++) {
      String name = inputs.get(i);
      Object v = params.get(name);
      if (!(v instanceof Number n)) {
        throw new IllegalArgumentException(v == null
            ? "parameter '" + name + "' is missing"
            : "parameter '" + name + "' must be a number (got " + v + ")");
      }
      x[i] = n.doubleValue();
    }
    double[] y = function.value(x, objectives);
    if (noise > 0) {
      RandomGenerator rng = new SplittableRandom(seed + context.trialNumber());
      for (int i = 0; i < y.length; i++) {
        y[i] += noise * rng.nextGaussian();
      }
    }
    List<String> metrics = context.objectiveMetrics();
    if (metrics.size() != objectives) {
      throw new IllegalStateException(function.name() + " was set up for " + objectives
          + " objective(s) but the trial names " + metrics.size() + " objective metric(s)");
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < objectives; i++) {
      out.put(metrics.get(i), y[i]);
    }
    return out;
  }
}
