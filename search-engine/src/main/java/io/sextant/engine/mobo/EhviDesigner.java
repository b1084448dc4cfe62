package io.sextant.engine.mobo;

import io.sextant.engine.bo.AcquisitionOptimizer;
import io.sextant.engine.bo.ConstraintModels;
import io.sextant.engine.bo.GpModels;
import io.sextant.engine.bo.OutcomeTransform;
import io.sextant.engine.bo.SpaceCodec;
import io.sextant.engine.bo.acq.Acquisition;
import io.sextant.engine.bo.acq.Avoiding;
import io.sextant.engine.bo.acq.Constrained;
import io.sextant.engine.bo.acq.LogExpectedHypervolumeImprovement;
import io.sextant.engine.bo.acq.UpperConfidenceBound;
import io.sextant.engine.bo.gp.GaussianProcess;
import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.SnapshotNeeds;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.designer.sobol.SobolSequence;
import io.sextant.engine.pareto.BoxDecomposition;
import io.sextant.engine.pareto.Pareto;
import io.sextant.engine.pareto.ReferencePoint;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
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
 * each objective gets an independent Matern-5/2 ARD GP ({@link GpModels}; hyperparameters cached per objective in
 * the designer state). Outcome constraints get their own GPs, as in {@code gp-bo}, and the acquisition adds their
 * log probability of feasibility ({@link Constrained}).
 *
 * <p><b>Acquisition.</b> The Pareto front of the completed <em>feasible</em> trials (standardized units) and the
 * reference point (option {@code referencePoint} in user units and directions, else inferred by
 * {@link ReferencePoint#infer} as BoTorch does, and as {@code /pareto} reports it: the nadir of the current front of
 * completed feasible trials + 10% of the front's range, after the outlier clipping of {@link OutcomeTransform}, so
 * it follows the front in as the front improves and early far-off points do not hold it out) define the improvement
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
public final class EhviDesigner implements Designer {
  static final int STATE_VERSION = 1;
  static final int INCUMBENTS = 5;
  static final double UCB_BETA = 4.0;

  private final StudyProblem problem;
  private final MoBoSettings settings;
  private final SpaceCodec codec;
  private final SobolSequence initialDesign;
  private final double[] signs;

  public EhviDesigner(StudyProblem problem, MoBoSettings settings) {
    this.problem = problem;
    this.settings = settings;
    this.codec = new SpaceCodec(problem.space());
    this.initialDesign = SobolSequence.scrambled(problem.space().samplingDimensions(), settings.seed());
    this.signs = problem.objectives().stream().mapToDouble(o -> o.direction().toMinimization()).toArray();
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
    if (codec.dimensions() == 0) {
      return GpModels.nothingToModel(codec, study, count);
    }
    List<Suggestion> out = new ArrayList<>(count);
    int m = signs.length;
    // ---- read the snapshot
    List<double[]> seen = new ArrayList<>();
    List<double[]> pending = new ArrayList<>();
    List<double[]> xs = new ArrayList<>();
    List<double[]> ys = new ArrayList<>();
    List<Boolean> feasible = new ArrayList<>();
    List<double[]> avoid = new ArrayList<>(); // PRUNED and FAILED trials: never proposed again, nor next to them
    for (TrialView t : study.trials()) {
      double[] f = codec.encode(t.params());
      seen.add(f);
      if (t.state().isPending()) {
        pending.add(f);
        continue;
      }
      if (t.state() == TrialState.PRUNED || t.state() == TrialState.FAILED) {
        avoid.add(f);
      }
      if (t.state() == TrialState.COMPLETED && t.values().length == m && noNaN(t.values())) {
        double[] y = new double[m];
        for (int k = 0; k < m; k++) {
          y[k] = signs[k] * t.values()[k];
        }
        xs.add(f);
        ys.add(y);
        feasible.add(t.isFeasible(problem));
      }
    }
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
    Map<String, Object> oldState = study.state().orElse(Map.of());
    Map<String, Object> newState = new LinkedHashMap<>();
    newState.put("version", STATE_VERSION);
    double[][] x = xs.toArray(new double[0][]);
    List<GaussianProcess> gps = new ArrayList<>();
    List<Object> objStates = new ArrayList<>();
    List<?> oldObj = oldState.get("objectives") instanceof List<?> l && l.size() == m ? l : null;
    for (int k = 0; k < m; k++) {
      GpModels.Fitted fit = GpModels.fit(x, transforms.get(k).values(), oldObj == null ? null : oldObj.get(k),
          codec.dimensions(), rng);
      gps.add(fit.gp());
      objStates.add(fit.state());
    }
    newState.put("objectives", objStates);
    ConstraintModels cons = ConstraintModels.fit(problem.constraints(), study.trials(), codec,
        oldState.get("constraints"), rng);
    newState.put("constraints", cons.state());
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
    double[] ref = referencePoint(transforms, feasibleRows, std, gps, cons, incumbentsOf(frontX), rng);
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
      out.add(new Suggestion(codec.decode(f), Map.of("phase", phase, "boxes", (long) boxes.size())));
      exclude.add(f);
      if (out.size() < count) {
        cons = believe(f, gps, cons, front);
      }
    }
    return new Proposal(out, Optional.of(Collections.unmodifiableMap(newState)));
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

  /** The reference point in standardized minimization units. */
  private double[] referencePoint(List<OutcomeTransform> transforms, double[][] feasibleRows, double[][] all,
      List<GaussianProcess> gps, ConstraintModels cons, List<double[]> starts, RandomGenerator rng) {
    int m = signs.length;
    if (settings.referencePoint().isPresent()) {
      double[] ref = new double[m];
      for (int k = 0; k < m; k++) {
        ref[k] = transforms.get(k).standardize(signs[k] * settings.referencePoint().get().get(k));
      }
      return ref;
    }
    // the current front's nadir plus a margin (BoTorch's rule): a point inferred from all observations stays where
    // the early, far-off points put it, and EHVI then spends the budget on the front's ends (ZDT1, d = 30: 48% of
    // the hypervolume at 200 evaluations against 97% with the reference point given)
    return ReferencePoint.infer(feasibleRows.length == 0 ? all : feasibleRows, ReferencePoint.DEFAULT_MARGIN,
        payoffNadir(gps, cons, starts, rng)).orElseThrow();
  }

  /**
   * The nadir of the models' payoff table (the classic estimate of a front's nadir from its extreme points): for
   * each objective k the candidate (Sobol points of the space plus perturbations of front members) minimizing the
   * posterior mean of k, ties broken by the other objectives ({@code mean_k + 0.01 sum_j mean_j}, the lexicographic
   * extreme point), and for each objective j the largest mean of j at those m points. A front that has not reached
   * an end yet (ZDT1 in 30 variables: every good point at f1 near 0, so the observed front has no extent in f1) gets
   * its predicted extent from it; where the models predict no more than the front holds, the front's nadir stands.
   * Cost: m x (candidates / 4 + 20 x front members) predictions per model.
   */
  private double[] payoffNadir(List<GaussianProcess> gps, ConstraintModels cons, List<double[]> starts,
      RandomGenerator rng) {
    int m = gps.size();
    List<double[]> cands = new ArrayList<>();
    SobolSequence s = SobolSequence.scrambled(problem.space().samplingDimensions(), rng.nextLong());
    for (int i = 0; i < Math.max(64, settings.candidates() / 4); i++) {
      cands.add(codec.encode(problem.space().fromUnit(s.point(i))));
    }
    for (double[] c : starts) {
      for (int k = 0; k < 20; k++) {
        double[] p = new double[c.length];
        for (int j = 0; j < p.length; j++) {
          p[j] = Math.min(1, Math.max(0, c[j] + 0.1 * rng.nextGaussian()));
        }
        cands.add(codec.round(p));
      }
    }
    double[][] means = new double[cands.size()][m];
    boolean[] ok = new boolean[cands.size()];
    for (int i = 0; i < cands.size(); i++) {
      ok[i] = cons.isEmpty() || cons.likelyFeasible(cands.get(i));
      for (int j = 0; j < m; j++) {
        means[i][j] = gps.get(j).predict(cands.get(i)).mean();
      }
    }
    double[] nadir = new double[m];
    java.util.Arrays.fill(nadir, Double.NEGATIVE_INFINITY);
    for (int k = 0; k < m; k++) {
      int best = -1;
      double bestScore = Double.POSITIVE_INFINITY;
      for (int i = 0; i < cands.size(); i++) {
        if (!ok[i]) {
          continue;
        }
        double score = means[i][k];
        for (int j = 0; j < m; j++) {
          score += 0.01 * means[i][j];
        }
        if (score < bestScore) {
          bestScore = score;
          best = i;
        }
      }
      if (best >= 0) {
        for (int j = 0; j < m; j++) {
          nadir[j] = Math.max(nadir[j], means[best][j]);
        }
      }
    }
    return nadir;
  }

  private static List<double[]> incumbentsOf(List<double[]> frontX) {
    return frontX.size() <= INCUMBENTS ? frontX : frontX.subList(0, INCUMBENTS);
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

  private static boolean noNaN(double[] v) {
    for (double d : v) {
      if (Double.isNaN(d)) {
        return false;
      }
    }
    return true;
  }
}
