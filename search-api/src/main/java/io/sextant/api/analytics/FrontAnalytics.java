package io.sextant.api.analytics;

import io.sextant.api.common.ApiException;
import io.sextant.api.common.Json;
import io.sextant.api.study.CompiledStudy;
import io.sextant.api.study.StudyDefinitions;
import io.sextant.api.study.StudyService;
import io.sextant.api.trial.TrialDto;
import io.sextant.api.trial.TrialEntity;
import io.sextant.api.trial.TrialMapper;
import io.sextant.api.trial.TrialRepository;
import io.sextant.engine.pareto.HypervolumeHistory;
import io.sextant.engine.pareto.Pareto;
import io.sextant.engine.pareto.ReferencePoint;
import io.sextant.engine.study.Objective;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The best trial of a single-objective study and the Pareto front of any study (feasible completed trials). */
@Service
public class FrontAnalytics {
  private final StudyService studies;
  private final StudyDefinitions definitions;
  private final TrialRepository trials;
  private final TrialMapper mapper;
  private final FeasiblePoints feasible;

  FrontAnalytics(StudyService studies, StudyDefinitions definitions, TrialRepository trials, TrialMapper mapper,
      FeasiblePoints feasible) {
    this.studies = studies;
    this.definitions = definitions;
    this.trials = trials;
    this.mapper = mapper;
    this.feasible = feasible;
  }

  /** Best feasible completed trial of a single-objective study. */
  @Transactional(readOnly = true)
  public TrialDto best(long studyId) {
    CompiledStudy c = definitions.compile(studies.find(studyId));
    if (c.spec().problem().isMultiObjective()) {
      throw ApiException.badRequest("objectives", "the study has several objectives; use /pareto");
    }
    double sign = c.spec().problem().objectives().getFirst().direction().toMinimization();
    FeasiblePoints.Point best = null;
    for (FeasiblePoints.Point p : feasible.of(studyId, c)) {
      if (best == null || sign * p.values()[0] < sign * best.values()[0]) {
        best = p;
      }
    }
    if (best == null) {
      throw ApiException.notFound("study " + studyId + " has no feasible completed trial yet");
    }
    return mapper.toDto(trials.findById(best.id()).orElseThrow(), c.objectiveMetrics());
  }

  /**
   * The Pareto set of feasible completed trials (all objectives, mixed directions) with the reference point (the
   * study's {@code referencePoint} option, else inferred by {@link ReferencePoint#infer} from the feasible points in
   * trial-number order, as the designers read them: the current front's nadir plus 10% of the front's range, never closer to the front's ideal than
   * 1.1 x 40% of the widest extent an earlier front had; stated with {@code referencePointSource}), the hypervolume, and the
   * hypervolume after each completed trial in completion order. With {@code ranks}, every feasible completed trial
   * with its non-domination rank (0 = the front).
   */
  @Transactional(readOnly = true)
  public AnalyticsBodies.Pareto pareto(long studyId, boolean ranks) {
    CompiledStudy c = definitions.compile(studies.find(studyId));
    List<FeasiblePoints.Point> done = new ArrayList<>(feasible.of(studyId, c));
    done.sort(Comparator.comparing(FeasiblePoints.Point::finishedAt, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparingLong(FeasiblePoints.Point::number));
    double[][] pts = FeasiblePoints.minimizationPoints(c, done);
    List<Objective> objectives = c.spec().problem().objectives();
    List<Long> frontIds = new ArrayList<>();
    for (int i : Pareto.nonDominatedIndices(pts)) {
      frontIds.add(done.get(i).id());
    }
    List<TrialEntity> front = new ArrayList<>(frontIds.isEmpty() ? List.of() : trials.byIds(studyId, frontIds));
    front.sort(Comparator.comparingLong(TrialEntity::getNumber));
    List<TrialDto> frontDtos = mapper.toDtos(front, c.objectiveMetrics(), false);
    List<Object> shown = null;
    String source = null;
    Double hypervolume = null;
    double[] history = null;
    // inferred from the points in trial-number order, the order the designers read them in (the widest extent of the
    // prefix fronts depends on the order), so /pareto states the point ehvi and parego use while the study's trials
    // fit their window; the hypervolume history stays in completion order
    Integer[] byNumber = new Integer[done.size()];
    for (int i = 0; i < byNumber.length; i++) {
      byNumber[i] = i;
    }
    Arrays.sort(byNumber, Comparator.comparingLong(i -> done.get(i).number()));
    double[][] numbered = Arrays.stream(byNumber).map(i -> pts[i]).toArray(double[][]::new);
    Optional<double[]> ref = referencePoint(c, numbered);
    if (objectives.size() >= 2 && ref.isPresent()) {
      double[] r = ref.get();
      shown = new ArrayList<>();
      for (int j = 0; j < r.length; j++) {
        shown.add(Json.encode(objectives.get(j).direction().toMinimization() * r[j]));
      }
      source = c.spec().algorithmOptions().containsKey("referencePoint") ? "study" : "inferred";
      double[][] finite = Arrays.stream(pts).filter(p -> Arrays.stream(p).allMatch(Double::isFinite))
          .toArray(double[][]::new);
      history = HypervolumeHistory.of(finite, r);
      hypervolume = history.length == 0 ? 0.0 : history[history.length - 1];
    }
    List<AnalyticsBodies.RankedTrial> all = null;
    if (ranks) {
      int[] rank = Pareto.ranks(pts);
      all = new ArrayList<>();
      Map<Long, TrialDto> byId = new HashMap<>();
      for (TrialDto d : mapper.toDtos(trials.completed(studyId), c.objectiveMetrics(), false)) {
        byId.put(d.id(), d);
      }
      for (int i = 0; i < done.size(); i++) {
        all.add(new AnalyticsBodies.RankedTrial(rank[i], byId.get(done.get(i).id())));
      }
    }
    return new AnalyticsBodies.Pareto(frontDtos, shown, source, hypervolume, history, all);
  }

  /** The study's referencePoint option (in objective directions) in minimization form, else inferred. */
  private static Optional<double[]> referencePoint(CompiledStudy c, double[][] pts) {
    Object given = c.spec().algorithmOptions().get("referencePoint");
    List<Objective> objectives = c.spec().problem().objectives();
    if (given instanceof List<?> l && l.size() == objectives.size()) {
      double[] r = new double[l.size()];
      for (int j = 0; j < r.length; j++) {
        r[j] = objectives.get(j).direction().toMinimization() * ((Number) l.get(j)).doubleValue();
      }
      return Optional.of(r);
    }
    return ReferencePoint.infer(pts);
  }
}
