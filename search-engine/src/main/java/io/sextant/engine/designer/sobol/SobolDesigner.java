package io.sextant.engine.designer.sobol;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.SnapshotNeeds;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Quasi-random space filling: the k-th suggestion of a request is point {@code issuedCount + k} of a (by default
 * scrambled) Sobol sequence over the space's sampling dimensions, mapped with {@link SearchSpace#fromUnit}. The
 * sequence depends only on the designer's options, never on the per-request generator, so the trials of a study
 * are one Sobol sequence however they were batched. Reads only the issued count; immutable and thread-safe.
 *
 * <p>Each suggestion carries metadata {@value #INDEX_KEY} = the Sobol point index (a {@code Long}).
 */
public final class SobolDesigner implements Designer {
  /** Metadata key holding the Sobol point index of a suggestion. */
  public static final String INDEX_KEY = "sobolIndex";

  private final SearchSpace space;
  private final SobolSequence sequence;

  /**
   * @throws IllegalArgumentException when the sequence's dimension differs from {@code space.samplingDimensions()}
   */
  public SobolDesigner(SearchSpace space, SobolSequence sequence) {
    if (sequence.dimensions() != space.samplingDimensions()) {
      throw new IllegalArgumentException("sequence has " + sequence.dimensions() + " dimensions, space needs "
          + space.samplingDimensions());
    }
    this.space = space;
    this.sequence = sequence;
  }

  /** The underlying sequence. */
  public SobolSequence sequence() {
    return sequence;
  }

  @Override
  public Proposal suggest(StudySnapshot study, int count, RandomGenerator rng) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1 (got " + count + ")");
    }
    List<Suggestion> out = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      long index = study.issuedCount() + k;
      out.add(new Suggestion(space.fromUnit(sequence.point(index)), Map.of(INDEX_KEY, index)));
    }
    return Proposal.of(out);
  }

  @Override
  public SnapshotNeeds needs() {
    return SnapshotNeeds.COUNT_ONLY;
  }
}
