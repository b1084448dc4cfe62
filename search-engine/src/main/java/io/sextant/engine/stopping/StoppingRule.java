package io.sextant.engine.stopping;

import io.sextant.engine.study.Direction;
import java.util.List;

/**
 * Early stopping from intermediate measurements, chosen per study. Pure: the decision depends only on the arguments.
 *
 * <p>Values are the study's first objective as reported at a step, in the objective's direction.
 */
public sealed interface StoppingRule permits MedianStoppingRule, SuccessiveHalvingRule, StoppingRule.Never {
  /**
   * Should the trial that just reported {@code value} at {@code step} stop?
   *
   * @param history the trial's own earlier measurements (step, value), ascending by step, not including this one
   * @param peers values other trials reported at this same step (see {@link #peerStates()} for which trials)
   * @param finishedPeers how many finished (completed or pruned) trials the study has
   */
  boolean shouldStop(Direction direction, long step, double value, List<double[]> history, List<Double> peers,
      long finishedPeers);

  /** Which trials' values at the step count as peers: only COMPLETED ones (median rule) or every trial (ASHA). */
  Peers peerStates();

  /** Steps at which the rule can decide anything (others are answered without loading peers). */
  boolean decidesAt(long step);

  /** Which peers a rule compares against. */
  enum Peers {
    COMPLETED,
    ALL
  }

  /** No early stopping. */
  record Never() implements StoppingRule {
    @Override
    public boolean shouldStop(Direction direction, long step, double value, List<double[]> history,
        List<Double> peers, long finishedPeers) {
      return false;
    }

    @Override
    public Peers peerStates() {
      return Peers.COMPLETED;
    }

    @Override
    public boolean decidesAt(long step) {
      return false;
    }
  }
}
