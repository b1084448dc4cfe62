package io.sextant.api.study;

import io.sextant.api.common.ApiException;
import io.sextant.engine.study.TrialState;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creating, reading and changing the state of studies. */
@Service
public class StudyService {
  private final StudyRepository studies;
  private final StudySpecParser parser;
  private final StudyDefinitions definitions;
  private final WorkSignal events;

  public StudyService(StudyRepository studies, StudySpecParser parser, StudyDefinitions definitions,
      WorkSignal events) {
    this.studies = studies;
    this.parser = parser;
    this.definitions = definitions;
    this.events = events;
  }

  @Transactional
  public StudyDto create(Object body, boolean paused) {
    StudySpec spec = parser.parse(body);
    if (studies.existsByName(spec.name())) {
      throw ApiException.conflict("name", "a study named '" + spec.name() + "' already exists");
    }
    StudyEntity e = new StudyEntity();
    definitions.store(spec, e);
    e.state = paused ? StudyState.PAUSED : StudyState.ACTIVE;
    e.nextNumber = 1;
    e.createdAt = e.updatedAt = io.sextant.api.common.Times.now();
    e.ownedByCaller();
    studies.saveAndFlush(e);
    events.workMayBeAvailable();
    return dto(e, Map.of());
  }

  /**
   * A study restored from an export: the definition is parsed and validated exactly as on create, the rest (state,
   * counter, designer state, times) is taken as given. The caller (the importer) adds the trials in the same
   * transaction.
   */
  public StudyEntity createImported(Map<String, Object> definition, StudyState state, String stateReason,
      long nextNumber, String designerState, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    StudySpec spec = parser.parse(definition);
    if (studies.existsByName(spec.name())) {
      throw ApiException.conflict("name", "a study named '" + spec.name() + "' already exists; import with ?name=");
    }
    StudyEntity e = new StudyEntity();
    definitions.store(spec, e);
    e.state = state;
    e.stateReason = stateReason;
    e.nextNumber = nextNumber;
    e.designerState = designerState;
    OffsetDateTime now = io.sextant.api.common.Times.now();
    e.createdAt = createdAt == null ? now : createdAt;
    e.updatedAt = updatedAt == null ? now : updatedAt;
    e.ownedByCaller();
    studies.saveAndFlush(e);
    events.workMayBeAvailable();
    return e;
  }

  /** Raises the trial counter of a study being imported (never lowers it). */
  public void advanceCounter(StudyEntity e, long nextNumber) {
    e.nextNumber = Math.max(e.nextNumber, nextNumber);
    studies.saveAndFlush(e);
  }

  public StudyEntity find(long id) {
    return studies.findById(id).orElseThrow(() -> ApiException.notFound("study " + id + " does not exist"));
  }

  @Transactional(readOnly = true)
  public StudyDto get(long id) {
    StudyEntity e = find(id);
    return dto(e, counts(List.of(id)).getOrDefault(id, Map.of()), bestValues(List.of(e)).get(id));
  }

  /** A page of studies ordered by id, after the cursor, optionally filtered by a name substring. */
  @Transactional(readOnly = true)
  public Page list(long after, int limit, String q) {
    List<StudyEntity> rows = q == null || q.isBlank()
        ? studies.findByIdGreaterThanOrderByIdAsc(after, Limit.of(limit + 1))
        : studies.findByIdGreaterThanAndNameContainingIgnoreCaseOrderByIdAsc(after, q, Limit.of(limit + 1));
    boolean more = rows.size() > limit;
    List<StudyEntity> page = more ? rows.subList(0, limit) : rows;
    Map<Long, Map<String, Long>> counts = counts(page.stream().map(StudyEntity::getId).toList());
    Map<Long, Double> best = bestValues(page);
    List<StudyDto> out = new ArrayList<>();
    for (StudyEntity e : page) {
      out.add(dto(e, counts.getOrDefault(e.id, Map.of()), best.get(e.id)));
    }
    return new Page(out, more ? page.getLast().id : null);
  }

  /** A page of studies and the cursor of the next page (null at the end). */
  @io.swagger.v3.oas.annotations.media.Schema(name = "StudyPage")
  public record Page(List<StudyDto> studies,
      @io.swagger.v3.oas.annotations.media.Schema(types = {"integer", "null"}, format = "int64",
          description = "the cursor of the next page (?after=next); null: the last page") Long next) {}

  @Transactional
  public StudyDto pause(long id) {
    StudyEntity e = lock(id);
    if (e.isFinished()) {
      throw ApiException.conflict("state", "study " + id + " is " + e.state + " and cannot be paused");
    }
    e.state(StudyState.PAUSED, io.sextant.api.common.Times.now());
    return dto(e, Map.of());
  }

  @Transactional
  public StudyDto resume(long id) {
    StudyEntity e = lock(id);
    if (e.isFinished()) {
      throw ApiException.conflict("state", "study " + id + " is " + e.state + " and cannot be resumed");
    }
    e.state(StudyState.ACTIVE, io.sextant.api.common.Times.now());
    events.workMayBeAvailable();
    return dto(e, Map.of());
  }

  @Transactional
  public void delete(long id) {
    StudyEntity e = lock(id);
    studies.delete(e);
    definitions.evict(id);
  }

  private StudyEntity lock(long id) {
    StudyEntity e = studies.lockById(id).orElseThrow(() -> ApiException.notFound("study " + id + " does not exist"));
    e.requireWriteAccess();
    return e;
  }

  /** Best first-objective value of completed trials per study (null with outcome constraints: see /best). */
  private Map<Long, Double> bestValues(List<StudyEntity> rows) {
    Map<Long, Double> out = new HashMap<>();
    if (rows.isEmpty()) {
      return out;
    }
    Map<Long, StudyEntity> byId = new HashMap<>();
    rows.forEach(r -> byId.put(r.id, r));
    for (Object[] row : studies.firstObjectiveRange(byId.keySet())) {
      StudyEntity e = byId.get(((Number) row[0]).longValue());
      var problem = definitions.compile(e).spec().problem();
      if (!problem.constraints().isEmpty()) {
        continue;
      }
      boolean min = problem.objectives().getFirst().direction() == io.sextant.engine.study.Direction.MINIMIZE;
      Object v = min ? row[1] : row[2];
      if (v instanceof Number n) {
        out.put(e.id, n.doubleValue());
      }
    }
    return out;
  }

  private Map<Long, Map<String, Long>> counts(List<Long> ids) {
    Map<Long, Map<String, Long>> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    for (Object[] row : studies.trialCountsByState(ids)) {
      out.computeIfAbsent(((Number) row[0]).longValue(), k -> new LinkedHashMap<>())
          .put((String) row[1], ((Number) row[2]).longValue());
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  StudyDto dto(StudyEntity e, Map<String, Long> counts) {
    return dto(e, counts, null);
  }

  @SuppressWarnings("unchecked")
  StudyDto dto(StudyEntity e, Map<String, Long> counts, Double bestValue) {
    Map<String, Object> b = definitions.shownBody(e);
    Map<String, Long> all = new LinkedHashMap<>();
    for (TrialState s : TrialState.values()) {
      all.put(s.name(), counts.getOrDefault(s.name(), 0L));
    }
    return new StudyDto(e.id, e.name, e.state.name(), e.stateReason, (Map<String, Object>) b.get("space"), b.get("objectives"),
        b.get("constraints"), (Map<String, Object>) b.get("algorithm"), (Map<String, Object>) b.get("evaluator"),
        (Map<String, Object>) b.get("limits"), (Map<String, Object>) b.get("earlyStopping"),
        (Map<String, Object>) b.get("resources"), e.issuedCount(), all,
        bestValue == null ? null : io.sextant.api.common.Json.encode(bestValue), e.createdAt, e.updatedAt);
  }
}
