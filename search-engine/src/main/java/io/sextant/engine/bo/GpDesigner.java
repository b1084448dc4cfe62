package io.sextant.engine.bo;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerState;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.StateCodec;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.sobol.SobolSequence;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * The skeleton the GP designers share ({@code gp-bo}, and {@code parego} through it; {@code ehvi}): the count check,
 * the space without modelled dimensions, the snapshot read into features ({@link Observations}), the scrambled-Sobol
 * initial design's sequence, and the designer state ({@link GpState}: memory, not a pure cache). A subclass
 * proposes from the observations: initial design, models, acquisition.
 *
 * <p>Immutable and thread-safe.
 */
public abstract class GpDesigner implements Designer {
  protected final StudyProblem problem;
  protected final SpaceCodec codec;
  protected final SobolSequence initialDesign;
  /** Each modelled objective's direction as a factor to minimization. */
  protected final double[] signs;
  private final GpState.Codec stateCodec;

  /**
   * @param objectives how many objectives are modelled (the first ones of the problem)
   * @param seed of the initial design's scramble
   * @param stateName the designer name stored with the state
   * @param legacyObjectiveKey how version-1 states stored the objective models (see {@link GpState.Codec})
   */
  protected GpDesigner(StudyProblem problem, int objectives, long seed, String stateName, String legacyObjectiveKey) {
    this.problem = problem;
    this.codec = new SpaceCodec(problem.space());
    this.initialDesign = SobolSequence.scrambled(problem.space().samplingDimensions(), seed);
    this.signs = problem.objectives().stream().limit(objectives)
        .mapToDouble(o -> o.direction().toMinimization()).toArray();
    this.stateCodec = new GpState.Codec(stateName, codec.dimensions(), objectives,
        problem.constraints().stream().map(c -> c.metric()).collect(Collectors.toSet()), legacyObjectiveKey);
  }

  @Override
  public final Optional<StateCodec<?>> stateCodec() {
    return Optional.of(stateCodec);
  }

  /** Memory, not a cache: see {@link GpState}. */
  @Override
  public final DesignerState.Role stateRole() {
    return DesignerState.Role.MEMORY;
  }

  @Override
  public final Proposal suggest(StudySnapshot study, int count, RandomGenerator rng) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1 (got " + count + ")");
    }
    if (codec.dimensions() == 0) {
      return GpModels.nothingToModel(codec, study, count);
    }
    return propose(study, Observations.read(study, problem, codec, signs), count, rng);
  }

  /** Proposes {@code count >= 1} points for a space with modelled dimensions. */
  protected abstract Proposal propose(StudySnapshot study, Observations obs, int count, RandomGenerator rng);

  /** The stored state; empty models when there is none or it cannot be read (then the models are refitted). */
  protected final GpState readState(StudySnapshot study) {
    return DesignerState.read(study.state(), stateCodec).orElse(GpState.EMPTY);
  }

  /** The state to store. */
  protected final Optional<Map<String, Object>> writeState(GpState state) {
    return Optional.of(DesignerState.write(stateCodec, state));
  }

  /**
   * What a GP designer reads from a snapshot.
   *
   * @param features every trial's features, in the snapshot's order
   * @param pending the WAITING and RUNNING trials' features (fantasies)
   * @param avoid the PRUNED and FAILED trials' features (never proposed again, nor next to them)
   * @param x the COMPLETED trials whose modelled objectives are all non-NaN
   * @param y their objectives turned to minimization (one array of the modelled objectives per row of x)
   * @param feasible whether each row of x satisfies the outcome constraints
   */
  public record Observations(List<double[]> features, List<double[]> pending, List<double[]> avoid,
      List<double[]> x, List<double[]> y, List<Boolean> feasible) {
    static Observations read(StudySnapshot study, StudyProblem problem, SpaceCodec codec, double[] signs) {
      int m = signs.length;
      Observations o = new Observations(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
          new ArrayList<>(), new ArrayList<>());
      for (TrialView t : study.trials()) {
        double[] f = codec.encode(t.params());
        o.features().add(f);
        if (t.state().isPending()) {
          o.pending().add(f);
          continue;
        }
        if (t.state() == TrialState.PRUNED || t.state() == TrialState.FAILED) {
          o.avoid().add(f);
        }
        if (t.state() == TrialState.COMPLETED && t.values().length >= m && noNaN(t.values(), m)) {
          double[] y = new double[m];
          for (int k = 0; k < m; k++) {
            y[k] = signs[k] * t.values()[k];
          }
          o.x().add(f);
          o.y().add(y);
          o.feasible().add(t.isFeasible(problem));
        }
      }
      return o;
    }

    private static boolean noNaN(double[] v, int m) {
      for (int k = 0; k < m; k++) {
        if (Double.isNaN(v[k])) {
          return false;
        }
      }
      return true;
    }
  }
}
