package io.sextant.engine.mobo;

import java.util.List;
import java.util.Optional;

/**
 * Validated options shared by {@code ehvi} and {@code parego} (see {@link MoBoOptions}).
 *
 * @param referencePoint one number per objective in the objectives' own units and directions; empty to infer it
 * @param initialTrials trials issued from the scrambled Sobol initial design before the GP phase
 * @param seed seed of the initial design's scramble (and of ParEGO's weight vectors)
 * @param window most recent trials read per suggestion
 * @param candidates Sobol candidates scored per suggested point
 * @param restarts local L-BFGS-B runs per suggested point
 */
public record MoBoSettings(
    Optional<List<Double>> referencePoint, int initialTrials, long seed, int window, int candidates, int restarts) {
  public MoBoSettings {
    referencePoint = referencePoint.map(List::copyOf);
  }
}
