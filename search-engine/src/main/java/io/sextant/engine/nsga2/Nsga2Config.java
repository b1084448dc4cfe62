package io.sextant.engine.nsga2;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Validated options of the {@code nsga2} designer (see {@link Nsga2DesignerProvider} for their JSON names and
 * defaults).
 *
 * @param populationSize individuals per generation (N), >= 2; the designer reads the last
 *     {@code WINDOW_GENERATIONS * N} trials
 * @param crossoverProb probability that a pair of parents is recombined (SBX / uniform), in [0, 1]
 * @param crossoverEta SBX distribution index (larger: children closer to their parents), finite, >= 0
 * @param mutationEta polynomial-mutation distribution index, finite, >= 0
 * @param mutationProb per-parameter mutation probability in [0, 1]; empty: 1 / (number of searched parameters)
 * @param referencePoint one number per objective in the study's own directions (not minimization form); accepted
 *     and validated for reporting (GET /pareto), not used by the search
 */
public record Nsga2Config(
    int populationSize, double crossoverProb, double crossoverEta, double mutationEta, OptionalDouble mutationProb,
    Optional<List<Double>> referencePoint) {
  public static final int DEFAULT_POPULATION_SIZE = 50;
  public static final double DEFAULT_CROSSOVER_PROB = 0.9;
  public static final double DEFAULT_CROSSOVER_ETA = 15.0;
  public static final double DEFAULT_MUTATION_ETA = 20.0;
  /** The designer reads this many generations of trials (by number, most recent first). */
  public static final int WINDOW_GENERATIONS = 4;

  public Nsga2Config {
    if (populationSize < 2) {
      throw new IllegalArgumentException("populationSize must be >= 2");
    }
    referencePoint = referencePoint.map(List::copyOf);
  }

  /** The defaults, with no reference point. */
  public static Nsga2Config defaults() {
    return new Nsga2Config(DEFAULT_POPULATION_SIZE, DEFAULT_CROSSOVER_PROB, DEFAULT_CROSSOVER_ETA,
        DEFAULT_MUTATION_ETA, OptionalDouble.empty(), Optional.empty());
  }

  /** The same options with another population size. */
  public Nsga2Config withPopulationSize(int n) {
    return new Nsga2Config(n, crossoverProb, crossoverEta, mutationEta, mutationProb, referencePoint);
  }
}
