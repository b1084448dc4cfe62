package io.sextant.engine.designer;

import java.util.random.RandomGenerator;

/**
 * A search algorithm as a pure function of study state.
 *
 * <p>Contract: {@link #suggest} has no I/O and no hidden mutable state; the same snapshot, count and random
 * generator state give the same proposal. Every suggestion lies in the study's space (conditional parameters
 * included only when active). Exception: when the study's space has no parameters, a designer may return any
 * JSON-shaped parameters (e.g. a program genome, whose structure the designer itself validates). Implementations are thread-safe (they may be shared between requests).
 */
public interface Designer {
  /**
   * Proposes {@code count >= 1} new trials. Pending trials in the snapshot (WAITING/RUNNING) are being evaluated by
   * other workers; designers that model the objective should avoid proposing them again.
   */
  Proposal suggest(StudySnapshot study, int count, RandomGenerator rng);

  /** What this designer reads from the study. */
  default SnapshotNeeds needs() {
    return SnapshotNeeds.COUNT_ONLY;
  }

  /**
   * The codec of the state this designer writes to {@link Proposal#nextState()} and reads from
   * {@link StudySnapshot#state()} (through {@link DesignerState}); empty for a designer without state.
   */
  default java.util.Optional<StateCodec<?>> stateCodec() {
    return java.util.Optional.empty();
  }

  /**
   * Whether the state is a pure cache or carries memory a rebuild from the trials does not restore (see
   * {@link DesignerState.Role}); {@code NONE} exactly when {@link #stateCodec()} is empty. The contract suite checks
   * the declaration.
   */
  default DesignerState.Role stateRole() {
    return DesignerState.Role.NONE;
  }
}
