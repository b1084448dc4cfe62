package io.sextant.engine.mobo;

import io.sextant.engine.bo.AcquisitionOptimizer;
import io.sextant.engine.bo.ConstraintModels;
import io.sextant.engine.bo.GpDesigner;
import io.sextant.engine.bo.GpModels;
import io.sextant.engine.bo.GpState;
import io.sextant.engine.bo.OutcomeTransform;
import io.sextant.engine.bo.acq.Acquisition;
import io.sextant.engine.bo.acq.Avoiding;
import io.sextant.engine.bo.acq.Constrained;
import io.sextant.engine.bo.acq.LogExpectedHypervolumeImprovement;
import io.sextant.engine.bo.acq.UpperConfidenceBound;
import io.sextant.engine.bo.gp.GaussianProcess;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.SnapshotNeeds;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.pareto.BoxDecomposition;
import io.sextant.engine.pareto.Pareto;
import io.sextant.engine.pareto.ReferencePoint;
import io.sextant.engine.study.StudyProblem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Expected-hypervolume-improvement Bayesian optimization for 1 to 3 objectives (registered as {@code ehvi}).
 *
 * <p><b>Phases.</b> As {@code gp-bo}: suggestion k of a request is point {@code issuedCount + k} of a scrambled
 * Sobol sequence while {@code issuedCount + k < initialTrials}, or whenever some objective has fewer than 2 finite
 * values among the completed trials; afterwards the EHVI phase.
 *
 * <p><b>Models.</b> Completed trials whose objectives are all non-NaN are turned to minimization
 * ({@code Direction.toMinimization}), each objective prepared and standardized by {@link OutcomeTransform}, and
 * each objective gets an independent Matern-5/2 ARD GP ({@link GpModels}; hyperparameters kept per objective in
 * the designer state, {@link GpState}: memory, not a pure cache). Outcome constraints get their own GPs, as in {@code gp-bo}, and the acquisition adds their
 * log probability of feasibility ({@link Constrained}).
 *
 * <p><b>Acquisition.</b> The Pareto front of the completed <em>feasible</em> trials (standardized units) and the
 * reference point (option {@code referencePoint} in user units and directions, else inferred by
 * {@link ReferencePoint#infer} as {@code parego} and {@code /pareto} do: the nadir of the current front of completed
 * feasible trials + 10% of the front's range, never closer to the front's ideal than 1.1 x 40% of the widest extent
 * the front has had (trial order), after the outlier clipping of {@link OutcomeTransform}; so it follows the front in
 * as the front improves, early far-off dominated points do not hold it out, and a front that collapses onto one end
 * does not take it along; each suggestion states it in its metadata {@code referencePoint}) define the improvement
 * region, split into
 * disjoint boxes by {@link BoxDecomposition} (sorted staircase in 2-D, dimension sweep in 3-D); the exact analytic EHVI is
 * summed over the boxes in log space ({@link LogExpectedHypervolumeImprovement}) and maximized by
 * {@link AcquisitionOptimizer} (Sobol candidates, perturbations of front members, L-BFGS-B refinement). If the best
 * log EHVI is at the floor everywhere (the models are certain nothing improves), the point maximizes an upper
 * confidence bound of one objective instead (rotating with the suggestion index), so the designer never stalls.
 *
 * <p><b>Pending trials and batches</b> use the kriging believer: each pending (WAITING/RUNNING) trial and each
 * point already chosen in the batch is added to every GP with its posterior mean as a near-noiseless fantasy (no
 * refit) and, when its constraint means are satisfied, its mean vector joins the front; the boxes are then
 * recomputed, so a batch gets distinct points. No proposal lies within {@link Avoiding#TOLERANCE} of a FAILED or
 * PRUNED trial while another legal point exists (their objectives teach the models nothing: stopping rules judge
 * the first objective alone); NaN values skipped, infinite
 * ones clipped; INFEASIBLE and constraint-violating trials teach the constraint models but never join the front.
 *
 * <p><b>Cost per suggest</b> with n visible trials, D features, m objectives and f front points: m hyperparameter
 * refits when due (see {@link GpModels}); m factorizations O(n^3 / 6); per acquisition value O(m n^2 + B m) with
 * B = f + 1 boxes in 2-D and O(f^2) in 3-D. Immutable and thread-safe; randomness only from the passed generator
 * and the seed option.
 */
public final class EhviDesigner extends GpDesigner {
  static final int INCUMBENTS = 5;
  static final double UCB_BETA = 4.0;

  private final MoBoSettings settings;

  public EhviDesigner(StudyProblem problem, MoBoSettings settings) {
    super(problem, problem.objectives().size(), settings.seed(), EhviDesignerProvider.NAME, "objectives");
    this.settings = settings;
  }

  public MoBoSettings settings() {
    return settings;
  }

  @Override
  public SnapshotNeeds needs() {
    return new SnapshotNeeds(SnapshotNeeds.Reads.ALL_TRIALS, settings.window());
  }

  @Override
  protected Proposal propose(StudySnapshot study, Observations obs, int count, RandomGenerator rng) {
    List<Suggestion> out = new ArrayList<>(count);
    int m = signs.length;
    List<double[]> seen = obs.features();
    List<double[]> pending = obs.pending();
    List<double[]> xs = obs.x();
    List<double[]> ys = obs.y();
    List<Boolean> feasible = obs.feasible();
    List<double[]> avoid = obs.avoid(); // PRUNED and FAILED trials: never proposed again, nor next to them
    List<OutcomeTransform> transforms = new ArrayList<>();
    for (int k = 0; k < m; k++) {
      final int kk = k;
      OutcomeTransform.of(ys.stream().mapToDouble(y -> y[kk]).toArray()).ifPresent(transforms::add);
    }
    boolean modelled = transforms.size() == m;
    // ---- initial design
    List<double[]> chosen = GpModels.initialDesign(problem.space(), codec, initialDesign, study.issuedCount(), count,
        modelled, settings.initialTrials(), out);
    if (out.size() == count) {
      return new Proposal(out, study.state());
    }
    // ---- models
    GpState oldState = readState(study);
    double[][] x = xs.toArray(new double[0][]);
    List<GaussianProcess> gps = new ArrayList<>();
    List<Map<String, Object>> objStates = new ArrayList<>();
    for (int k = 0; k < m; k++) {
      GpModels.Fitted fit = GpModels.fit(x, transforms.get(k).values(), oldState.objective(k),
          codec.dimensions(), rng);
      gps.add(fit.gp());
      objStates.add(fit.state());
    }
    ConstraintModels cons = ConstraintModels.fit(problem.constraints(), study.trials(), codec,
        oldState.constraints(), rng);
    GpState newState = GpState.of(objStates, cons.state());
    // ---- front and reference point (standardized units)
    int n = x.length;
    double[][] std = new double[n][m];
    for (int k = 0; k < m; k++) {
      double[] v = transforms.get(k).values();
      for (int i = 0; i < n; i++) {
        std[i][k] = v[i];
      }
    }
    List<double[]> front = new ArrayList<>();
    List<double[]> frontX = new ArrayList<>();
    double[][] feasibleRows = java.util.stream.IntStream.range(0, n).filter(feasible::get).mapToObj(i -> std[i])
        .toArray(double[][]::new);
    List<Integer> feasibleIdx = java.util.stream.IntStream.range(0, n).filter(feasible::get).boxed().toList();
    for (int i : Pareto.nonDominatedIndices(feasibleRows)) {
      front.add(feasibleRows[i]);
      frontX.add(x[feasibleIdx.get(i)]);
    }
    double[] ref = referencePoint(transforms, feasible);
    List<double[]> incumbents = spread(front, frontX);
    // ---- fantasies for pending trials and initial-design points of this batch
    List<double[]> fantasies = new ArrayList<>(pending);
    fantasies.addAll(chosen);
    for (double[] f : fantasies) {
      cons = believe(f, gps, cons, front);
    }
    List<double[]> exclude = new ArrayList<>(seen);
    exclude.addAll(chosen);
    int size = gps.get(0).size();
    int candidates = (int) Math.min(settings.candidates(), Math.max(64, 4e8 / ((double) size * size * m)));
    while (out.size() < count) {
      BoxDecomposition boxes = BoxDecomposition.of(front.toArray(double[][]::new), ref);
      Acquisition acq = Avoiding.of(withConstraints(
          new LogExpectedHypervolumeImprovement(List.copyOf(gps), boxes.lower(), boxes.upper()), cons), avoid);
      Optional<AcquisitionOptimizer.Choice> choice = AcquisitionOptimizer.maximize(
          acq, codec, candidates, settings.restarts(), exclude, incumbents, rng);
      String phase = "ehvi";
      if (choice.isPresent() && choice.get().value() <= Acquisition.LOG_FLOOR + 1) {
        int k = (int) ((study.issuedCount() + out.size()) % m);
        phase = "fallback-ucb";
        choice = AcquisitionOptimizer.maximize(Avoiding.of(withConstraints(
            new UpperConfidenceBound(gps.get(k), UCB_BETA), cons), avoid),
            codec, candidates, settings.restarts(), exclude, incumbents, rng);
      }
      double[] f = choice.map(AcquisitionOptimizer.Choice::features)
          .orElseGet(() -> GpModels.randomNonDuplicate(codec, exclude, rng));
      f = GpModels.awayFrom(codec, f, avoid, exclude, rng);
      out.add(new Suggestion(codec.decode(f), Map.of("phase", phase, "boxes", (long) boxes.size(),
          "referencePoint", userUnits(ref, transforms))));
      exclude.add(f);
      if (out.size() < count) {
        cons = believe(f, gps, cons, front);
      }
    }
    return new Proposal(out, writeState(newState));
  }

  /** A standardized minimization-form point in the objectives' own units and directions. */
  private List<Double> userUnits(double[] ref, List<OutcomeTransform> transforms) {
    List<Double> out = new ArrayList<>(ref.length);
    for (int k = 0; k < ref.length; k++) {
      out.add(signs[k] * transforms.get(k).unstandardize(ref[k]));
    }
    return List.copyOf(out);
  }

  private static Acquisition withConstraints(Acquisition base, ConstraintModels cons) {
    return cons.isEmpty() ? base : new Constrained(Optional.of(base), cons.models());
  }

  /**
   * Kriging believer: fantasizes f in every model (the objective GPs in place); its mean vector joins the front
   * when the constraint means are satisfied. Returns the constraint models with the fantasy.
   */
  private static ConstraintModels believe(
      double[] f, List<GaussianProcess> gps, ConstraintModels cons, List<double[]> front) {
    double[] mean = new double[gps.size()];
    for (int k = 0; k < gps.size(); k++) {
      mean[k] = gps.get(k).predict(f).mean();
      gps.set(k, GpModels.believe(gps.get(k), f));
    }
    if (cons.likelyFeasible(f)) {
      front.add(mean);
    }
    return cons.believe(f);
  }

  /**
   * The reference point in standardized minimization units: the option, or {@link ReferencePoint#infer} on the
   * completed feasible trials (all completed ones while none is feasible) in trial order, as {@code parego} and
   * {@code /pareto} infer it.
   */
  private double[] referencePoint(List<OutcomeTransform> transforms, List<Boolean> feasible) {
    int m = signs.length;
    double[] raw = new double[m];
    if (settings.referencePoint().isPresent()) {
      for (int k = 0; k < m; k++) {
        raw[k] = signs[k] * settings.referencePoint().get().get(k);
      }
    } else {
      // the values as the models see them (outliers clipped, so always finite), back in raw units
      int n = feasible.size();
      double[][] all = new double[n][m];
      for (int k = 0; k < m; k++) {
        double[] v = transforms.get(k).values();
        for (int i = 0; i < n; i++) {
          all[i][k] = transforms.get(k).unstandardize(v[i]);
        }
      }
      double[][] rows = java.util.stream.IntStream.range(0, n).filter(feasible::get).mapToObj(i -> all[i])
          .toArray(double[][]::new);
      raw = ReferencePoint.infer(rows.length == 0 ? all : rows).orElseThrow();
    }
    double[] ref = new double[m];
    for (int k = 0; k < m; k++) {
      ref[k] = transforms.get(k).standardize(raw[k]);
    }
    return ref;
  }

  /** Up to INCUMBENTS front members spread along the first objective (centres of local candidates). */
  private static List<double[]> spread(List<double[]> front, List<double[]> frontX) {
    List<Integer> order = new ArrayList<>(java.util.stream.IntStream.range(0, front.size()).boxed().toList());
    order.sort(Comparator.comparingDouble(i -> front.get(i)[0]));
    List<double[]> out = new ArrayList<>();
    int f = order.size();
    for (int i = 0; i < Math.min(INCUMBENTS, f); i++) {
      int pick = INCUMBENTS >= f ? i : (int) Math.round(i * (f - 1) / (double) (INCUMBENTS - 1));
      out.add(frontX.get(order.get(pick)));
    }
    return out;
  }
}
