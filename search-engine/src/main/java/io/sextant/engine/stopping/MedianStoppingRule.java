package io.sextant.engine.stopping;

import io.sextant.engine.study.Direction;
import java.util.Arrays;
import java.util.List;

/**
 * The median stopping rule (Golovin et al., Vizier; Optuna's MedianPruner): stop a trial at step s when its best
 * value so far is worse than the median of the values completed trials reported at step s. No decision before
 * {@code startupTrials} trials have finished, before {@code warmupSteps}, nor off the {@code interval} grid.
 */
public record MedianStoppingRule(int startupTrials, long warmupSteps, long interval) implements StoppingRule {
  public MedianStoppingRule {
    if (startupTrials < 0 || warmupSteps < 0 || interval < 1) {
      throw new IllegalArgumentException("startupTrials, warmupSteps >= 0 and interval >= 1 required");
    }
  }

  @Override
  public boolean decidesAt(long step) {
    return step >= warmupSteps && (step - warmupSteps) % interval == 0;
  }

  @Override
  public Peers peerStates() {
    return Peers.COMPLETED;
  }

  @Override
  public boolean shouldStop(Direction direction, long step, double value, List<double[]> history, List<Double> peers,
      long finishedPeers) {
    if (!decidesAt(step) || finishedPeers < startupTrials || Double.isNaN(value)) {
      return false;
    }
    double sign = direction.toMinimization();
    double best = sign * value;
    for (double[] h : history) {
      if (!Double.isNaN(h[1])) {
        best = Math.min(best, sign * h[1]);
      }
    }
    double[] xs = peers.stream().mapToDouble(d -> sign * d).filter(d -> !Double.isNaN(d)).toArray();
    if (xs.length == 0) {
      return false;
    }
    Arrays.sort(xs);
    double median = xs.length % 2 == 1 ? xs[xs.length / 2] : 0.5 * (xs[xs.length / 2 - 1] + xs[xs.length / 2]);
    return best > median;
  }
}
