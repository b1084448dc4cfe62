package io.sextant.engine.stopping;

import io.sextant.engine.study.Direction;
import java.util.List;

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020) as a stopping rule: rungs at steps
 * {@code minResource * eta^k}; a trial reaching a rung continues only if its value is in the top {@code 1/eta} of
 * the values all trials reported at that rung so far (itself included). With fewer than {@code eta} values at a
 * rung the trial continues (asynchronous promotion: nobody waits for a full rung).
 */
public record SuccessiveHalvingRule(long minResource, int eta) implements StoppingRule {
  public SuccessiveHalvingRule {
    if (minResource < 1 || eta < 2) {
      throw new IllegalArgumentException("minResource >= 1 and eta >= 2 required");
    }
  }

  @Override
  public boolean decidesAt(long step) {
    if (step < minResource) {
      return false;
    }
    long r = minResource;
    while (r < step) {
      if (r > Long.MAX_VALUE / eta) {
        return false;
      }
      r *= eta;
    }
    return r == step;
  }

  @Override
  public Peers peerStates() {
    return Peers.ALL;
  }

  @Override
  public boolean shouldStop(Direction direction, long step, double value, List<double[]> history, List<Double> peers,
      long finishedPeers) {
    if (!decidesAt(step)) {
      return false;
    }
    if (Double.isNaN(value)) {
      return true;
    }
    double sign = direction.toMinimization();
    double mine = sign * value;
    int n = 1;
    int better = 0;
    for (double p : peers) {
      if (Double.isNaN(p)) {
        continue;
      }
      n++;
      if (sign * p < mine) {
        better++;
      }
    }
    if (n < eta) {
      return false;
    }
    int promoted = Math.max(1, n / eta);
    return better >= promoted;
  }
}
