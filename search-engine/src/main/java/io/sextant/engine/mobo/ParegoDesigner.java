package io.sextant.engine.mobo;

import io.sextant.engine.bo.GpBoDesigner;
import io.sextant.engine.bo.GpBoDesignerProvider;
import io.sextant.engine.bo.GpBoSettings;
import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.SnapshotNeeds;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.pareto.ReferencePoint;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * ParEGO (Knowles 2006) for any number of objectives (registered as {@code parego}): each suggestion draws a weight
 * vector from the simplex ({@link ParegoScalarization#weights}, seeded by the seed option and the suggestion's
 * index {@code issuedCount + k}), normalizes the objectives of the completed trials (directions mirrored to
 * minimization) from their observed minimum (0) to the hypervolume reference point (1): the {@code referencePoint}
 * option, else inferred from the current front as {@code ehvi} and {@code /pareto} do ({@link ReferencePoint#infer}),
 * so the weights spread the search over the region the hypervolume measures rather than over the range of early,
 * far-off points; it scalarizes them with the augmented Chebyshev function
 * {@code max_i(w_i f_i) + 0.05 sum_i w_i f_i} and runs one step of {@code gp-bo} with LogEI on that scalar
 * objective: the same GP, initial design, acquisition optimizer, outcome-constraint models and caching
 * ({@link GpBoDesigner}), on a rewritten snapshot whose trials carry the scalarized value.
 *
 * <p>Batches: element k of a request gets its own weights, and the points chosen before it enter the next step as
 * RUNNING trials, i.e. kriging-believer fantasies in {@code gp-bo}. The hyperparameter cache in the designer
 * state is shared across weight vectors (a warm start; refitted on gp-bo's schedule). Completed trials with a NaN
 * objective are ignored; infinite values stay infinite in the scalarization (clipped by gp-bo's transform). PRUNED
 * and FAILED trials are points gp-bo never proposes again, nor within its tolerance of them.
 *
 * <p>Cost per suggestion: one {@code gp-bo} step (one GP) plus O(n m). Immutable and thread-safe.
 */
public final class ParegoDesigner implements Designer {
  private final StudyProblem problem;
  private final MoBoSettings settings;
  private final double[] signs;
  private final StudyProblem scalarProblem;
  private final GpBoDesigner delegate;

  public ParegoDesigner(StudyProblem problem, MoBoSettings settings) {
    this.problem = problem;
    this.settings = settings;
    this.signs = problem.objectives().stream().mapToDouble(o -> o.direction().toMinimization()).toArray();
    this.scalarProblem = new StudyProblem(problem.space(), List.of(new Objective("parego", Direction.MINIMIZE)),
        problem.constraints());
    this.delegate = new GpBoDesigner(scalarProblem, new GpBoSettings(GpBoSettings.AcquisitionKind.LOGEI,
        settings.initialTrials(), settings.seed(), 4.0, settings.window(), settings.candidates(),
        settings.restarts(), GpBoDesignerProvider.DEFAULT_KG_SAMPLES));
  }

  public MoBoSettings settings() {
    return settings;
  }

  @Override
  public SnapshotNeeds needs() {
    return new SnapshotNeeds(SnapshotNeeds.Reads.ALL_TRIALS, settings.window());
  }

  @Override
  public Proposal suggest(StudySnapshot study, int count, RandomGenerator rng) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1 (got " + count + ")");
    }
    int m = signs.length;
    // normalize the completed trials with all objectives reported
    List<Integer> rows = new ArrayList<>();
    List<double[]> raw = new ArrayList<>();
    List<double[]> feasibleRows = new ArrayList<>();
    for (int i = 0; i < study.trials().size(); i++) {
      TrialView t = study.trials().get(i);
      if (t.state() == TrialState.COMPLETED && t.values().length == m
          && Arrays.stream(t.values()).noneMatch(Double::isNaN)) {
        double[] y = new double[m];
        for (int k = 0; k < m; k++) {
          y[k] = signs[k] * t.values()[k];
        }
        rows.add(i);
        raw.add(y);
        if (t.isFeasible(problem)) {
          feasibleRows.add(y);
        }
      }
    }
    double[][] rawRows = raw.toArray(new double[0][]);
    double[][] normalized = ParegoScalarization.normalize(rawRows, referencePoint(rawRows, feasibleRows));
    List<Suggestion> out = new ArrayList<>(count);
    List<TrialView> chosen = new ArrayList<>();
    Optional<Map<String, Object>> state = study.state();
    for (int k = 0; k < count; k++) {
      long index = study.issuedCount() + k;
      double[] w = ParegoScalarization.weights(settings.seed(), index, m);
      List<TrialView> trials = new ArrayList<>(study.trials().size() + chosen.size());
      int next = 0;
      for (int i = 0; i < study.trials().size(); i++) {
        TrialView t = study.trials().get(i);
        double v = Double.NaN;
        if (next < rows.size() && rows.get(next) == i) {
          v = ParegoScalarization.scalarize(normalized[next++], w, ParegoScalarization.RHO);
        }
        // a PRUNED trial's intermediate values are the first objective's, not the scalarization's: it goes to gp-bo
        // as FAILED, i.e. a point never proposed again (nor next to it), without an estimated value
        TrialState asState = t.state() == TrialState.PRUNED ? TrialState.FAILED : t.state();
        trials.add(new TrialView(t.number(), asState, t.params(), new double[] {v}, t.metrics(), t.metadata()));
      }
      trials.addAll(chosen);
      Proposal p = delegate.suggest(new StudySnapshot(scalarProblem, index, trials, state, study.context()), 1, rng);
      Suggestion s = p.suggestions().get(0);
      Map<String, Object> meta = new LinkedHashMap<>(s.metadata());
      meta.put("weights", Arrays.stream(w).boxed().toList());
      out.add(new Suggestion(s.params(), meta));
      state = p.nextState();
      chosen.add(new TrialView(index + 1, TrialState.RUNNING, s.params(), new double[] {Double.NaN}, Map.of(),
          Map.of()));
    }
    return new Proposal(out, state);
  }

  /**
   * The reference point in minimization form: the {@code referencePoint} option, else inferred from the current front
   * of the feasible completed trials (all completed ones while none is feasible) by {@link ReferencePoint#infer};
   * NaN entries (nothing to infer from) leave the observed-range normalization in place.
   */
  private double[] referencePoint(double[][] all, List<double[]> feasible) {
    int m = signs.length;
    if (settings.referencePoint().isPresent()) {
      double[] ref = new double[m];
      for (int k = 0; k < m; k++) {
        ref[k] = signs[k] * settings.referencePoint().get().get(k);
      }
      return ref;
    }
    double[] none = new double[m];
    Arrays.fill(none, Double.NaN);
    return ReferencePoint.infer(feasible.isEmpty() ? all : feasible.toArray(new double[0][])).orElse(none);
  }
}
