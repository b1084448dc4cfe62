package io.sextant.api.study;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.study.Objective;
import java.util.List;

/** A study's immutable definition, parsed once and cached: the spec and its designer instance. */
public record CompiledStudy(long id, StudySpec spec, Designer designer, long seed) {
  public List<String> objectiveMetrics() {
    return spec.problem().objectives().stream().map(Objective::metric).toList();
  }
}
