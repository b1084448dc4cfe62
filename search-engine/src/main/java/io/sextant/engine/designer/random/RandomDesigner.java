package io.sextant.engine.designer.random;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.SnapshotNeeds;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Uniform random search: each suggestion is {@link SearchSpace#sample} with the generator passed to
 * {@link #suggest}, which is its only source of randomness (so the caller's seeding decides reproducibility). Reads
 * nothing from the study but its problem; immutable and thread-safe.
 */
public final class RandomDesigner implements Designer {
  private final SearchSpace space;

  public RandomDesigner(SearchSpace space) {
    this.space = space;
  }

  @Override
  public Proposal suggest(StudySnapshot study, int count, RandomGenerator rng) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1 (got " + count + ")");
    }
    List<Suggestion> out = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      out.add(Suggestion.of(space.sample(rng)));
    }
    return Proposal.of(out);
  }

  @Override
  public SnapshotNeeds needs() {
    return SnapshotNeeds.COUNT_ONLY;
  }
}
