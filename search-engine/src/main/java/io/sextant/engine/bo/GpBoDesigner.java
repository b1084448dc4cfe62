package io.sextant.engine.bo;

import io.sextant.engine.bo.acq.Acquisition;
import io.sextant.engine.bo.acq.Avoiding;
import io.sextant.engine.bo.acq.Constrained;
import io.sextant.engine.bo.acq.KnowledgeGradient;
import io.sextant.engine.bo.acq.LogExpectedImprovement;
import io.sextant.engine.bo.acq.MonteCarloKnowledgeGradient;
import io.sextant.engine.bo.acq.UpperConfidenceBound;
import io.sextant.engine.bo.gp.GaussianProcess;
import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.SnapshotNeeds;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.designer.sobol.SobolSequence;
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
import java.util.stream.IntStream;

/**
 * Gaussian-process Bayesian optimization of one objective (registered as {@code gp-bo}).
 *
 * <p><b>Phases.</b> Suggestion k of a request is point {@code issuedCount + k} of a scrambled Sobol sequence (seed
 * option) while {@code issuedCount + k < initialTrials}, or whenever fewer than 2 observations are visible (completed
 * trials with a finite objective, plus PRUNED trials once a completed one gives their estimate a scale); afterwards
 * the GP phase.
 *
 * <p><b>GP phase.</b> Completed trials with a non-NaN objective (converted to minimization, prepared by
 * {@link OutcomeTransform}; of its {@link OutcomeTransform#candidates} the one with the best likelihood, chosen at
 * each refit, see {@link GpModels#fitChoosing}) condition an exact Matern-5/2 ARD GP on {@link SpaceCodec} features; its
 * hyperparameters (MAP, see {@link GpModels}) are cached in {@link Proposal#nextState()} and refitted, warm-started,
 * on every suggestion while fewer than 40 points are observed and afterwards each time the data grew by 10%
 * (at least 2 trials). Each outcome constraint gets its own GP on the trials that report its metric (COMPLETED and
 * INFEASIBLE ones, so violating trials teach the model), and the acquisition adds its log probability of
 * feasibility. Pending trials (WAITING/RUNNING) and the earlier points of the same batch enter as fantasies with
 * their posterior mean and a near-zero noise (kriging believer, no refit, O(n^2) each), so parallel workers get distinct points. The
 * acquisition is maximized by {@link AcquisitionOptimizer}; no proposal duplicates a trial of the snapshot or
 * another proposal of the batch while a non-duplicate legal point exists. No proposal lies within
 * {@link Avoiding#TOLERANCE} of a FAILED or PRUNED trial while another legal point exists. PRUNED trials join the
 * objective's model with the final value {@link PrunedTrials} estimates from their last intermediate value (minus
 * the improvement after that step that completed trials show, regressed on the parameters); they are never
 * incumbents (metadata {@code prunedWithValues}: how many PRUNED trials of the snapshot came with an intermediate
 * value). FAILED trials teach nothing else; NaN values are skipped, infinite ones clipped.
 *
 * <p><b>Cost per suggest</b> with n visible trials (at most {@code window}), D features, q = count: hyperparameter
 * refit (when due) O(starts x iterations x m^3) with m = min(n, 256) fitting points; factorization O(n^3 / 6);
 * fantasies O(n^2) each; per point O((candidates + 100) n^2 + restarts x 90 x 2 n^2). Candidates are reduced to
 * {@code max(64, 4e8 / n^2)} for large n to bound the scoring work. {@code kg-mc} scores the candidates with the
 * discrete KG (O(n^2 + m n) each, m reference points) and only the best {@value #KG_MC_SCREENED} with the continuous
 * one, whose value costs about {@code 1.5 kgSamples} inner L-BFGS runs of at most 5 iterations at O(n d) per
 * evaluation, and whose gradient adds 2 D envelopes: measured 0.6-1.5 s (p50) per suggestion at n = 50, D = 6 on the
 * loaded 2-core machine (docs/benchmarks-gp-bo.md), against a few ms for logei.
 *
 * <p>Immutable and thread-safe; randomness only from the passed generator and the seed option.
 */
public final class GpBoDesigner implements Designer {
  static final int KG_CANDIDATES = 64;
  static final int KG_OBSERVED = 200;
  static final int INCUMBENTS = 5;
  /** Candidates of kg-mc scored by the continuous KG after screening by the discrete one. */
  static final int KG_MC_SCREENED = 64;
  static final int STATE_VERSION = 1;

  private final StudyProblem problem;
  private final GpBoSettings settings;
  private final SpaceCodec codec;
  private final SobolSequence initialDesign;

  public GpBoDesigner(StudyProblem problem, GpBoSettings settings) {
    this.problem = problem;
    this.settings = settings;
    this.codec = new SpaceCodec(problem.space());
    this.initialDesign = SobolSequence.scrambled(problem.space().samplingDimensions(), settings.seed());
  }

  public GpBoSettings settings() {
    return settings;
  }

  @Override
  public SnapshotNeeds needs() {
    return new SnapshotNeeds(SnapshotNeeds.Reads.ALL_TRIALS, settings.window(), true);
  }

  /** Training data of one model: features (n x D) and raw values to minimize. */
  private record Data(List<double[]> x, List<Double> y) {
    Data() {
      this(new ArrayList<>(), new ArrayList<>());
    }
  }

  /** A GP ready for acquisition, its output transform and its state entry. */
  private record Model(GaussianProcess gp, OutcomeTransform transform, Map<String, Object> state) {}

  @Override
  public Proposal suggest(StudySnapshot study, int count, RandomGenerator rng) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1 (got " + count + ")");
    }
    if (codec.dimensions() == 0) {
      return GpModels.nothingToModel(codec, study, count);
    }
    List<Suggestion> out = new ArrayList<>(count);
    // ---- read the snapshot
    double sign = problem.objectives().get(0).direction().toMinimization();
    List<double[]> seen = new ArrayList<>();
    List<double[]> pending = new ArrayList<>();
    Data objective = new Data();
    List<Boolean> feasible = new ArrayList<>();
    List<double[]> avoid = new ArrayList<>(); // PRUNED and FAILED trials: never proposed again, nor next to them
    List<double[]> prunedX = new ArrayList<>();
    List<Double> prunedY = new ArrayList<>();
    double[] estimates = PrunedTrials.estimates(study.trials(), sign, codec::encode);
    int index = -1;
    int prunedWithValues = 0; // shown in the metadata: PRUNED trials whose last intermediate value reached the model
    for (TrialView t : study.trials()) {
      index++;
      double[] f = codec.encode(t.params());
      seen.add(f);
      if (t.state().isPending()) {
        pending.add(f);
        continue;
      }
      if (t.state() == TrialState.PRUNED || t.state() == TrialState.FAILED) {
        avoid.add(f);
      }
      if (t.state() == TrialState.PRUNED && !t.intermediate().isEmpty()) {
        prunedWithValues++;
      }
      if (t.state() == TrialState.PRUNED && !Double.isNaN(estimates[index])) {
        prunedX.add(f);
        prunedY.add(estimates[index]);
      }
      if (t.state() == TrialState.COMPLETED && t.values().length > 0 && !Double.isNaN(t.values()[0])) {
        objective.x().add(f);
        objective.y().add(sign * t.values()[0]);
        feasible.add(t.isFeasible(problem));
      }
    }
    // pruned trials enter the model with their estimated final values (PrunedTrials), never as incumbents
    objective.x().addAll(prunedX);
    objective.y().addAll(prunedY);
    prunedX.forEach(f -> feasible.add(false));
    // improvement-based and UCB acquisitions only need the order of outcomes: a monotone log warp of heavy right
    // tails (Rosenbrock-like) helps the GP there; KG values outcomes over a reference set in model units: no warp
    List<OutcomeTransform> objTransforms = settings.acquisition().isKnowledgeGradient()
        ? OutcomeTransform.of(toArray(objective.y())).stream().toList()
        : OutcomeTransform.candidates(toArray(objective.y()));
    // ---- initial design
    List<double[]> chosen = GpModels.initialDesign(problem.space(), codec, initialDesign, study.issuedCount(), count,
        !objTransforms.isEmpty(), settings.initialTrials(), out);
    if (out.size() == count) {
      return new Proposal(out, study.state());
    }
    // ---- models
    Map<String, Object> oldState = study.state().orElse(Map.of());
    Map<String, Object> newState = new LinkedHashMap<>();
    newState.put("version", STATE_VERSION);
    Model obj = model(objective, objTransforms, oldState.get("objective"), rng);
    newState.put("objective", obj.state());
    ConstraintModels cons = ConstraintModels.fit(problem.constraints(), study.trials(), codec,
        oldState.get("constraints"), rng);
    newState.put("constraints", cons.state());
    // ---- incumbents
    double[] ys = obj.transform().values();
    List<Integer> feasibleIdx = IntStream.range(0, ys.length).filter(feasible::get).boxed().toList();
    List<Integer> ranked = new ArrayList<>(feasibleIdx.isEmpty() ? IntStream.range(0, ys.length).boxed().toList()
        : feasibleIdx);
    ranked.sort(Comparator.comparingDouble(i -> ys[i]));
    List<double[]> incumbents = ranked.stream().limit(INCUMBENTS).map(objective.x()::get).toList();
    OptionalIncumbent inc = incumbent(obj.gp(), objective, ys, feasibleIdx);
    // KG: observed points plus Sobol candidates; noisy EI: the observed points (and this batch's believed points),
    // the reference's "improvement of the best posterior mean after sampling x", computed by the same exact KG;
    // continuous KG: the observed and believed points, to which it adds the minimizers of the posterior mean
    List<double[]> refSet = switch (settings.acquisition()) {
      case KG -> new ArrayList<>(List.of(kgSet(objective, ranked, rng)));
      case NEI, KG_MC -> new ArrayList<>(ranked.stream().limit(KG_OBSERVED).map(objective.x()::get).toList());
      default -> new ArrayList<>();
    };
    // ---- fantasies for pending trials and initial-design points of this batch
    GaussianProcess gp = obj.gp();
    List<double[]> fantasies = new ArrayList<>(pending);
    fantasies.addAll(chosen);
    for (double[] f : fantasies) {
      inc = inc.believe(gp.predict(f).mean(), cons.likelyFeasible(f));
      gp = believe(gp, f);
      cons = cons.believe(f);
      if (settings.acquisition() == GpBoSettings.AcquisitionKind.NEI
          || settings.acquisition() == GpBoSettings.AcquisitionKind.KG_MC) {
        refSet.add(f);
      }
    }
    List<double[]> exclude = new ArrayList<>(seen);
    exclude.addAll(chosen);
    int n = gp.size();
    int candidates = (int) Math.min(settings.candidates(), Math.max(64, 4e8 / ((double) n * n)));
    while (out.size() < count) {
      Acquisition base = acquisition(gp, cons.models(), inc, refSet.toArray(new double[0][]));
      Acquisition acq = Avoiding.of(base, avoid);
      Acquisition screened = screen(base) == base ? acq : Avoiding.of(screen(base), avoid);
      double[] f = AcquisitionOptimizer.maximize(acq, screened, KG_MC_SCREENED, codec, candidates,
              settings.restarts(), exclude, incumbents, rng)
          .map(AcquisitionOptimizer.Choice::features)
          .orElseGet(() -> randomNonDuplicate(exclude, rng));
      f = GpModels.awayFrom(codec, f, avoid, exclude, rng);
      out.add(new Suggestion(codec.decode(f), prunedWithValues == 0
          ? Map.of("phase", "gp", "acquisition", settings.acquisition().option())
          : Map.of("phase", "gp", "acquisition", settings.acquisition().option(), "prunedWithValues",
              (long) prunedWithValues)));
      exclude.add(f);
      if (out.size() < count) {
        inc = inc.believe(gp.predict(f).mean(), cons.likelyFeasible(f));
        gp = believe(gp, f);
        cons = cons.believe(f);
        if (settings.acquisition() == GpBoSettings.AcquisitionKind.NEI
            || settings.acquisition() == GpBoSettings.AcquisitionKind.KG_MC) {
          refSet.add(f);
        }
      }
    }
    return new Proposal(out, Optional.of(Collections.unmodifiableMap(newState)));
  }

  /**
   * The value LogEI improves on: the best feasible observation (nei and kg do not use it). Fantasies
   * that are likely feasible lower it to their believed value; otherwise EI would stay high next to a believed
   * point whose mean beats the incumbent, and a batch would collapse onto one spot.
   */
  private record OptionalIncumbent(boolean present, double value) {
    OptionalIncumbent believe(double mean, boolean feasible) {
      if (!feasible) {
        return this;
      }
      return new OptionalIncumbent(true, present ? Math.min(value, mean) : mean);
    }
  }

  private OptionalIncumbent incumbent(GaussianProcess gp, Data data, double[] ys, List<Integer> feasibleIdx) {
    if (feasibleIdx.isEmpty()) {
      return new OptionalIncumbent(false, Double.NaN);
    }
    double best = Double.POSITIVE_INFINITY;
    for (int i : feasibleIdx) {
      best = Math.min(best, ys[i]);
    }
    return new OptionalIncumbent(true, best);
  }

  private Acquisition acquisition(
      GaussianProcess gp, List<Constrained.ConstraintModel> constraints, OptionalIncumbent inc, double[][] refSet) {
    Optional<Acquisition> base = switch (settings.acquisition()) {
      case LOGEI -> inc.present() ? Optional.of(new LogExpectedImprovement(gp, inc.value())) : Optional.empty();
      case UCB -> Optional.of(new UpperConfidenceBound(gp, settings.ucbBeta()));
      case KG, NEI -> Optional.of(KnowledgeGradient.over(gp, refSet));
      case KG_MC -> Optional.of(MonteCarloKnowledgeGradient.over(gp, refSet, settings.kgSamples()));
    };
    if (!constraints.isEmpty()) {
      return new Constrained(base, constraints);
    }
    // Without constraints every completed trial is feasible, so an incumbent exists.
    return base.orElseGet(() -> new UpperConfidenceBound(gp, settings.ucbBeta()));
  }

  /**
   * The cheap stand-in that screens candidates for kg-mc: the exact discrete KG over the same reference set (its
   * observed and believed points and mean minimizers) plus x, with the same constraints; any other acquisition
   * screens itself (no screening).
   */
  private static Acquisition screen(Acquisition acq) {
    if (acq instanceof MonteCarloKnowledgeGradient mc) {
      return KnowledgeGradient.over(mc.posterior(), mc.set());
    }
    if (acq instanceof Constrained c && c.base().orElse(null) instanceof MonteCarloKnowledgeGradient mc) {
      return new Constrained(Optional.of(KnowledgeGradient.over(mc.posterior(), mc.set())), c.constraints());
    }
    return acq;
  }

  /** Observed points (the best KG_OBSERVED) plus KG_CANDIDATES legal Sobol points. */
  private double[][] kgSet(Data data, List<Integer> ranked, RandomGenerator rng) {
    List<double[]> set = new ArrayList<>();
    ranked.stream().limit(KG_OBSERVED).forEach(i -> set.add(data.x().get(i)));
    SobolSequence s = SobolSequence.scrambled(problem.space().samplingDimensions(), rng.nextLong());
    for (int i = 0; i < KG_CANDIDATES; i++) {
      set.add(codec.encode(problem.space().fromUnit(s.point(i))));
    }
    return set.toArray(new double[0][]);
  }

  private static GaussianProcess believe(GaussianProcess gp, double[] f) {
    return GpModels.believe(gp, f);
  }

  private Model model(Data data, List<OutcomeTransform> transforms, Object oldState, RandomGenerator rng) {
    GpModels.Chosen c = GpModels.fitChoosing(
        data.x().toArray(new double[0][]), transforms, oldState, codec.dimensions(), rng);
    return new Model(c.fitted().gp(), c.transform(), c.fitted().state());
  }

  private double[] randomNonDuplicate(List<double[]> exclude, RandomGenerator rng) {
    return GpModels.randomNonDuplicate(codec, exclude, rng);
  }

  private static double[] toArray(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
