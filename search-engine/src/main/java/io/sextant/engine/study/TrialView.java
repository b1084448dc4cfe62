package io.sextant.engine.study;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A trial as designers see it. {@code values} holds one entry per objective in the study's objective order (NaN
 * where not reported, e.g. pending trials; may be +/-infinity); {@code metrics} all final metrics by name,
 * including constraint metrics. {@code intermediate} holds intermediate values of the first objective by step, as
 * the trial reported them in measurements, for designers that ask for them ({@link
 * io.sextant.engine.designer.SnapshotNeeds#intermediateValues()}): the last one of each PRUNED trial and, at those
 * trials' last steps, the values of the other trials (empty otherwise).
 */
public record TrialView(
    long number, TrialState state, Map<String, Object> params, double[] values, Map<String, Double> metrics,
    Map<String, Object> metadata, SortedMap<Long, Double> intermediate) {

  public TrialView {
    intermediate = intermediate == null || intermediate.isEmpty() ? Collections.emptySortedMap()
        : Collections.unmodifiableSortedMap(new TreeMap<>(intermediate));
  }

  /** A trial without intermediate values. */
  public TrialView(long number, TrialState state, Map<String, Object> params, double[] values,
      Map<String, Double> metrics, Map<String, Object> metadata) {
    this(number, state, params, values, metrics, metadata, null);
  }

  /** The same trial with these intermediate values. */
  public TrialView withIntermediate(SortedMap<Long, Double> curve) {
    return new TrialView(number, state, params, values, metrics, metadata, curve);
  }

  /** True when completed and every constraint of the problem is satisfied ({@link StudyProblem#isFeasible}). */
  public boolean isFeasible(StudyProblem problem) {
    return state == TrialState.COMPLETED && problem.isFeasible(metrics);
  }
}
