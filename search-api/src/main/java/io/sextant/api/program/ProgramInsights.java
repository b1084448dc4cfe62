package io.sextant.api.program;

import io.sextant.api.common.ApiException;
import io.sextant.api.study.CompiledStudy;
import io.sextant.api.study.StudyDefinitions;
import io.sextant.api.study.StudyEntity;
import io.sextant.api.study.StudyService;
import io.sextant.api.trial.TrialEntity;
import io.sextant.api.trial.TrialMapper;
import io.sextant.api.trial.TrialRepository;
import io.sextant.engine.program.Program;
import io.sextant.engine.program.ProgramEvolutionDesigner;
import io.sextant.engine.program.ProgramEvolutionProvider;
import io.sextant.engine.program.ProgramFamily;
import io.sextant.engine.program.ProgramPrinter;
import io.sextant.engine.program.Simplifier;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What a program-evolution study found, for people: the family of each of its best programs
 * ({@link ProgramFamily}: lion-like, sign-based, adam-like, momentum, sgd-like, other) and the lineage of the best
 * one, from its warm start through every ancestor that was a trial, with the edits that made each from its parent.
 * The lineage follows the designer's trial metadata: {@code parentTrial}, or {@code parentHash} where the parent was a
 * copy of the warm start or a cached program (then the earliest trial with that hash).
 */
@Service
public class ProgramInsights {
  /** Most ancestors listed (a lineage is at most one step per trial, so long searches can have long ones). */
  static final int MAX_STEPS = 1000;
  static final int MAX_TOP = 50;

  private final StudyService studies;
  private final StudyDefinitions definitions;
  private final TrialRepository trials;
  private final TrialMapper mapper;

  ProgramInsights(StudyService studies, StudyDefinitions definitions, TrialRepository trials, TrialMapper mapper) {
    this.studies = studies;
    this.definitions = definitions;
    this.trials = trials;
    this.mapper = mapper;
  }

  @Transactional(readOnly = true)
  public ProgramBodies.Programs programs(long studyId, int top, Long trial) {
    if (top < 1 || top > MAX_TOP) {
      throw ApiException.badRequest("top", "top must be between 1 and " + MAX_TOP);
    }
    StudyEntity study = studies.find(studyId);
    CompiledStudy c = definitions.compile(study);
    if (!c.spec().algorithm().equals(ProgramEvolutionProvider.NAME)) {
      throw ApiException.badRequest("algorithm", "program families and lineage need a program-evolution study (this "
          + "one uses '" + c.spec().algorithm() + "')");
    }
    double sign = c.spec().problem().objectives().getFirst().direction().toMinimization();
    String metric = c.objectiveMetrics().getFirst();
    Map<Long, TrialView> byNumber = new LinkedHashMap<>();
    long after = 0;
    while (true) {
      List<TrialEntity> page = trials.all(studyId, after, 5000);
      page.forEach(t -> {
        TrialView v = mapper.toView(t, 1);
        byNumber.put(v.number(), v);
      });
      if (page.size() < 5000) {
        break;
      }
      after = page.getLast().getNumber();
    }
    List<TrialView> ranked = byNumber.values().stream()
        .filter(t -> t.state() == TrialState.COMPLETED && t.values().length > 0 && Double.isFinite(t.values()[0])
            && ProgramEvolutionDesigner.programOf(t.params()).isPresent())
        .sorted(Comparator.comparingDouble((TrialView t) -> sign * t.values()[0]).thenComparingLong(TrialView::number))
        .toList();
    List<ProgramBodies.BestProgram> best = new ArrayList<>();
    Map<String, Long> counts = new LinkedHashMap<>();
    for (TrialView t : ranked.subList(0, Math.min(top, ranked.size()))) {
      Program p = ProgramEvolutionDesigner.programOf(t.params()).orElseThrow();
      ProgramFamily f = ProgramFamily.of(p);
      best.add(new ProgramBodies.BestProgram(t.number(), t.values()[0], f.key(), f.description()));
      counts.merge(f.key(), 1L, Long::sum);
    }
    Long target = trial != null ? trial : ranked.isEmpty() ? null : ranked.getFirst().number();
    if (trial != null && !byNumber.containsKey(trial)) {
      throw ApiException.badRequest("trial", "trial " + trial + " does not exist in study " + studyId);
    }
    return new ProgramBodies.Programs(metric, best, counts,
        target == null ? null : lineage(byNumber, target, metric));
  }

  /** The ancestry of {@code number}, oldest (the warm start, or the first ancestor that is a trial) first. */
  private static ProgramBodies.Lineage lineage(Map<Long, TrialView> byNumber, long number, String metric) {
    Map<Object, Long> byHash = new HashMap<>();
    byNumber.forEach((n, t) -> {
      Object h = t.metadata().get("hash");
      if (h != null) {
        byHash.putIfAbsent(h, n);
      }
    });
    List<ProgramBodies.LineageStep> steps = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    Long n = number;
    boolean truncated = false;
    while (n != null && byNumber.containsKey(n) && seen.add(n)) {
      if (steps.size() == MAX_STEPS) {
        truncated = true;
        break;
      }
      TrialView t = byNumber.get(n);
      Map<String, Object> meta = t.metadata();
      Object value = t.state() == TrialState.COMPLETED && t.values().length > 0
          ? io.sextant.api.common.Json.encode(t.values()[0]) : null;
      Optional<Program> p = ProgramEvolutionDesigner.programOf(t.params());
      Object edits = meta.getOrDefault("edits", List.of());
      steps.add(new ProgramBodies.LineageStep(n, String.valueOf(meta.getOrDefault("origin", "added")),
          edits instanceof List<?> l ? List.copyOf(l) : List.of(edits), value,
          p.map(prog -> ProgramFamily.of(prog).key()).orElse(null),
          p.map(prog -> ProgramPrinter.print(Simplifier.simplify(prog))).orElse(null)));
      Long parent = meta.get("parentTrial") instanceof Number pt ? (Long) pt.longValue() : null;
      if (parent == null && meta.get("parentHash") != null) {
        parent = byHash.get(meta.get("parentHash"));
      }
      n = parent != null && parent < t.number() ? parent : null;
    }
    java.util.Collections.reverse(steps);
    return new ProgramBodies.Lineage(number, metric, steps.isEmpty() ? null : steps.getFirst().origin(), steps,
        truncated);
  }
}
