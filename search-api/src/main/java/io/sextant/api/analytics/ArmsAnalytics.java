package io.sextant.api.analytics;

import io.sextant.api.common.ApiException;
import io.sextant.api.common.Json;
import io.sextant.api.study.CompiledStudy;
import io.sextant.api.study.StudyDefinitions;
import io.sextant.api.study.StudyService;
import io.sextant.api.trial.TrialEntity;
import io.sextant.api.trial.TrialMapper;
import io.sextant.api.trial.TrialRepository;
import io.sextant.engine.bandit.ArmStatistics;
import io.sextant.engine.designer.Capability;
import io.sextant.engine.designer.Designers;
import io.sextant.engine.study.TrialView;
import io.sextant.evaluators.spi.EvaluatorProvider;
import io.sextant.evaluators.spi.Evaluators;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Per-arm statistics of a bandit study. What the API needs to know about the study's designer and evaluator comes
 * from their declarations, not their names: whether the designer is {@link Capability#CONTEXTUAL contextual}, and the
 * evaluator's {@link EvaluatorProvider#instanceOptimalMetric instance-optimal comparator}.
 */
@Service
public class ArmsAnalytics {
  private static final int PAGE = 5000;
  private final StudyService studies;
  private final StudyDefinitions definitions;
  private final TrialRepository trials;
  private final TrialMapper mapper;
  private final Designers designers;
  private final Evaluators evaluators;

  ArmsAnalytics(StudyService studies, StudyDefinitions definitions, TrialRepository trials, TrialMapper mapper,
      Designers designers, Evaluators evaluators) {
    this.studies = studies;
    this.definitions = definitions;
    this.trials = trials;
    this.mapper = mapper;
    this.designers = designers;
    this.evaluators = evaluators;
  }

  /**
   * Per-arm pulls, mean cost, cumulative cost and regret of a bandit study (see {@link ArmStatistics}: how the best
   * fixed arm is estimated ({@code comparator}) depends on whether a contextual designer chose the arms), plus the
   * history: per pull [t, cumulative cost, best fixed arm's estimated cumulative cost or null, instance-optimal
   * cumulative cost or null]. The instance-optimal metric is {@code optimalMetric}, else the one the study's
   * evaluator declares.
   */
  @Transactional(readOnly = true)
  public AnalyticsBodies.Arms arms(long studyId, String optimalMetric) {
    CompiledStudy c = definitions.compile(studies.find(studyId));
    if (c.spec().problem().isMultiObjective()) {
      throw ApiException.badRequest("objectives", "arm statistics need a single objective (the cost)");
    }
    int objectives = c.spec().problem().objectives().size();
    List<TrialView> views = new ArrayList<>();
    long after = 0;
    while (true) {
      List<TrialEntity> page = trials.all(studyId, after, PAGE);
      page.forEach(t -> views.add(mapper.toView(t, objectives)));
      if (page.size() < PAGE) {
        break;
      }
      after = page.getLast().getNumber();
    }
    Optional<String> metric = Optional.ofNullable(optimalMetric)
        .or(() -> c.spec().evaluator().flatMap(evaluators::find).flatMap(EvaluatorProvider::instanceOptimalMetric));
    boolean contextual = designers.find(c.spec().algorithm())
        .map(p -> p.capabilities().contains(Capability.CONTEXTUAL)).orElse(false);
    ArmStatistics s = ArmStatistics.of(c.spec().problem(), views, metric, contextual);
    List<AnalyticsBodies.Arm> arms = new ArrayList<>();
    for (var a : s.arms()) {
      arms.add(new AnalyticsBodies.Arm(a.params(), a.pulls(), a.pending(),
          a.meanValue().isPresent() ? Json.encode(a.meanValue().getAsDouble()) : null,
          a.meanCost().isPresent() ? Json.encode(a.meanCost().getAsDouble()) : null,
          a.meanRelativeCost().isPresent() ? Json.encode(a.meanRelativeCost().getAsDouble()) : null,
          Json.encode(a.cumulativeValue())));
    }
    String note = s.comparator().equals(ArmStatistics.NONE)
        ? "the arms were chosen by the context, so their mean costs describe different "
            + "instances and no best-fixed estimate is possible without a per-instance reference; pass "
            + "optimalMetric (a metric with each trial's instance-optimal cost)"
        : null;
    List<List<Object>> curve = new ArrayList<>();
    for (double[] r : s.history()) {
      curve.add(Arrays.asList(r[0], r[1], Double.isNaN(r[2]) ? null : r[2], Double.isNaN(r[3]) ? null : r[3]));
    }
    return new AnalyticsBodies.Arms(s.objective(), arms, s.pulls(), s.pending(), s.cumulativeCost(), s.comparator(),
        note, s.bestArm().isPresent() ? s.bestArm().getAsInt() : null, boxed(s.bestFixedCost()), boxed(s.regret()),
        boxed(s.instanceOptimalCost()), boxed(s.instanceOptimalRegret()), curve);
  }

  private static Double boxed(java.util.OptionalDouble v) {
    return v.isPresent() ? v.getAsDouble() : null;
  }
}
