package io.sextant.api.trial;

import io.sextant.api.common.Json;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Entities to DTOs and to the designers' {@link TrialView}. */
@Component
public class TrialMapper {
  private final Json json;
  private final MeasurementRepository measurements;

  public TrialMapper(Json json, MeasurementRepository measurements) {
    this.json = json;
    this.measurements = measurements;
  }

  /** DTOs with their measurements, loaded in one query for the whole list. */
  public List<TrialDto> toDtos(List<TrialEntity> trials, List<String> objectiveMetrics, boolean withMeasurements) {
    Map<Long, List<TrialDto.MeasurementDto>> ms = new HashMap<>();
    if (withMeasurements && !trials.isEmpty()) {
      for (MeasurementEntity m : measurements.findForTrials(trials.stream().map(TrialEntity::getId).toList())) {
        ms.computeIfAbsent(m.trialId, k -> new ArrayList<>())
            .add(new TrialDto.MeasurementDto(m.step, json.readMap(m.metrics), m.createdAt));
      }
    }
    List<TrialDto> out = new ArrayList<>(trials.size());
    for (TrialEntity t : trials) {
      out.add(toDto(t, objectiveMetrics, withMeasurements ? ms.getOrDefault(t.id, List.of()) : null));
    }
    return out;
  }

  public TrialDto toDto(TrialEntity t, List<String> objectiveMetrics) {
    return toDtos(List.of(t), objectiveMetrics, true).getFirst();
  }

  TrialDto toDto(TrialEntity t, List<String> objectiveMetrics, List<TrialDto.MeasurementDto> ms) {
    Map<String, Object> values = null;
    if (t.objectiveValues != null) {
      values = new LinkedHashMap<>();
      for (int i = 0; i < objectiveMetrics.size() && i < t.objectiveValues.length; i++) {
        values.put(objectiveMetrics.get(i), Json.encode(t.objectiveValues[i]));
      }
    }
    boolean infeasible = t.state == TrialState.INFEASIBLE;
    return new TrialDto(t.id, t.studyId, t.number, t.state.name(), json.readMap(t.params), values,
        t.metrics == null ? null : json.readMap(t.metrics), t.attempt, t.workerId, t.executorId,
        t.gpus == null ? null : json.readList(t.gpus),
        infeasible ? null : t.failureReason, infeasible ? t.failureReason : null, ms, json.readMap(t.metadata),
        t.createdAt, t.startedAt, t.finishedAt, t.leaseExpiresAt, null);
  }

  public TrialView toView(TrialEntity t, int objectives) {
    double[] v = new double[objectives];
    java.util.Arrays.fill(v, Double.NaN);
    if (t.objectiveValues != null) {
      System.arraycopy(t.objectiveValues, 0, v, 0, Math.min(objectives, t.objectiveValues.length));
    }
    Map<String, Double> metrics = t.metrics == null ? Map.of() : Json.decodeMetrics(json.readMap(t.metrics));
    return new TrialView(t.number, t.state, json.readMap(t.params), v, metrics, json.readMap(t.metadata));
  }
}
