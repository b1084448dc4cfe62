package io.sextant.engine.bo;

import io.sextant.engine.bo.acq.Constrained;
import io.sextant.engine.bo.gp.GaussianProcess;
import io.sextant.engine.study.OutcomeConstraint;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One GP per outcome constraint, shared by the GP designers: each is fitted ({@link GpModels}, hyperparameters cached
 * per metric) on the COMPLETED and INFEASIBLE trials that report the metric with a non-NaN value, so violating trials
 * teach the model; {@code metric >= bound} is modelled as {@code -metric <= -bound}. A constraint with fewer than 2
 * finite values has no model yet (and is left out). Immutable; {@link #believe} returns a new instance.
 *
 * @param gps the constraint GPs in standardized units, one per modelled constraint
 * @param thresholds the standardized bound of each modelled constraint ({@code g <= threshold} is feasible)
 * @param state JSON-shaped cache by metric name, for the designer state
 */
public record ConstraintModels(List<GaussianProcess> gps, List<Double> thresholds, Map<String, Object> state) {
  public ConstraintModels {
    gps = List.copyOf(gps);
    thresholds = List.copyOf(thresholds);
  }

  /**
   * @param oldState the {@link #state()} of an earlier call, or null / anything else
   */
  public static ConstraintModels fit(List<OutcomeConstraint> constraints, List<TrialView> trials, SpaceCodec codec,
      Object oldState, RandomGenerator rng) {
    List<GaussianProcess> gps = new ArrayList<>();
    List<Double> thresholds = new ArrayList<>();
    Map<String, Object> states = new LinkedHashMap<>();
    for (OutcomeConstraint c : constraints) {
      List<double[]> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (TrialView t : trials) {
        if (t.state() == TrialState.COMPLETED || t.state() == TrialState.INFEASIBLE) {
          Double v = t.metrics().get(c.metric());
          if (v != null && !v.isNaN()) {
            x.add(codec.encode(t.params()));
            y.add(c.op() == OutcomeConstraint.Op.LE ? v : -v);
          }
        }
      }
      Optional<OutcomeTransform> tr = OutcomeTransform.of(y.stream().mapToDouble(Double::doubleValue).toArray());
      if (tr.isEmpty()) {
        continue;
      }
      Object old = oldState instanceof Map<?, ?> m ? m.get(c.metric()) : null;
      GpModels.Fitted fit = GpModels.fit(x.toArray(new double[0][]), tr.get().values(), old, codec.dimensions(), rng);
      states.put(c.metric(), fit.state());
      gps.add(fit.gp());
      thresholds.add(tr.get().standardize(c.op() == OutcomeConstraint.Op.LE ? c.bound() : -c.bound()));
    }
    return new ConstraintModels(gps, thresholds, Collections.unmodifiableMap(states));
  }

  public boolean isEmpty() {
    return gps.isEmpty();
  }

  /** The models for {@link Constrained}. */
  public List<Constrained.ConstraintModel> models() {
    List<Constrained.ConstraintModel> out = new ArrayList<>();
    for (int i = 0; i < gps.size(); i++) {
      out.add(new Constrained.ConstraintModel(gps.get(i), thresholds.get(i)));
    }
    return out;
  }

  /** True when every constraint's posterior mean at f is within its bound. */
  public boolean likelyFeasible(double[] f) {
    for (int i = 0; i < gps.size(); i++) {
      if (gps.get(i).predict(f).mean() > thresholds.get(i)) {
        return false;
      }
    }
    return true;
  }

  /** Every constraint GP with a kriging-believer fantasy at f ({@link GpModels#believe}). */
  public ConstraintModels believe(double[] f) {
    return new ConstraintModels(gps.stream().map(g -> GpModels.believe(g, f)).toList(), thresholds, state);
  }
}
