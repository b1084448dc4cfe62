package io.sextant.engine.bo;

import io.sextant.engine.bo.gp.GpHyperparameters;
import io.sextant.engine.designer.DesignerState;
import io.sextant.engine.designer.StateCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The state of the GP designers ({@code gp-bo}, {@code ehvi}, {@code parego}): one model entry per objective and one
 * per modelled outcome constraint (by metric). A model entry is {@link GpModels}' record of a fit: the MAP
 * hyperparameters ({@code lengthscales}, {@code amplitude}, {@code noise}), {@code fittedAt} (the number of points
 * they were fitted on) and, for gp-bo on right-skewed objectives, {@code warp} (the label of the output warp chosen
 * at the last refit, {@link GpModels#fitChoosing}).
 *
 * <p>Not a pure cache ({@link DesignerState.Role#MEMORY}): the entries decide when hyperparameters are refitted and
 * warm-start the refit, so a designer that loses its state refits at once from a cold start and proposes differently
 * from then on (equally valid points, not the same ones).
 *
 * @param objectives one entry per objective (empty before the first model was fitted)
 * @param constraints entry by constraint metric, for the constraints that have a model
 */
public record GpState(List<Map<String, Object>> objectives, Map<String, Map<String, Object>> constraints) {
  public static final GpState EMPTY = new GpState(List.of(), Map.of());

  public GpState {
    objectives = List.copyOf(objectives);
    constraints = Collections.unmodifiableMap(new LinkedHashMap<>(constraints));
  }

  /** From the fits of this call: objective entries and {@link ConstraintModels#state()} (entries by metric). */
  @SuppressWarnings("unchecked")
  public static GpState of(List<Map<String, Object>> objectives, Map<String, Object> constraints) {
    Map<String, Map<String, Object>> cons = new LinkedHashMap<>();
    constraints.forEach((k, v) -> cons.put(k, (Map<String, Object>) v));
    return new GpState(objectives, cons);
  }

  /** The entry of objective k, or null when there is none (then {@link GpModels#fit} fits from scratch). */
  public Map<String, Object> objective(int k) {
    return k < objectives.size() ? objectives.get(k) : null;
  }

  /**
   * The codec, version {@value Codec#VERSION}: fields {@code objectives} (list of entries) and {@code constraints}
   * (object by metric). Version 1 (no {@code designer} key; gp-bo and parego: {@code objective}, ehvi:
   * {@code objectives}) is upgraded.
   */
  public static final class Codec implements StateCodec<GpState> {
    static final int VERSION = 2;
    private final String name;
    private final int dimensions;
    private final int objectives;
    private final Set<String> constraintMetrics;
    private final String legacyObjectiveKey;

    /**
     * @param name the designer writing the state
     * @param dimensions feature dimensions of the space (entries of another space are refused)
     * @param objectives number of modelled objectives
     * @param constraintMetrics the metrics of the outcome constraints
     * @param legacyObjectiveKey how version 1 stored the objectives: {@code objective} (one entry) or
     *     {@code objectives} (a list)
     */
    public Codec(String name, int dimensions, int objectives, Set<String> constraintMetrics,
        String legacyObjectiveKey) {
      this.name = name;
      this.dimensions = dimensions;
      this.objectives = objectives;
      this.constraintMetrics = Set.copyOf(constraintMetrics);
      this.legacyObjectiveKey = legacyObjectiveKey;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int version() {
      return VERSION;
    }

    @Override
    public Map<String, Object> encode(GpState state) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("objectives", state.objectives());
      out.put("constraints", state.constraints());
      return out;
    }

    @Override
    public GpState decode(Map<String, Object> fields) {
      return read(DesignerState.listField(fields, "objectives"), DesignerState.mapField(fields, "constraints"));
    }

    @Override
    public Optional<GpState> upgrade(Map<String, Object> stored) {
      if (stored.containsKey(DesignerState.DESIGNER)
          || !(stored.get(DesignerState.VERSION) instanceof Number v) || v.intValue() != 1) {
        return Optional.empty();
      }
      Object objective = DesignerState.field(stored, legacyObjectiveKey);
      List<?> list = objective instanceof List<?> l ? l : List.of(objective);
      return Optional.of(read(list, DesignerState.mapField(stored, "constraints")));
    }

    private GpState read(List<?> objectiveEntries, Map<String, Object> constraintEntries) {
      if (!objectiveEntries.isEmpty() && objectiveEntries.size() != objectives) {
        throw new IllegalArgumentException("state has " + objectiveEntries.size() + " objective models, not "
            + objectives);
      }
      List<Map<String, Object>> objs = new ArrayList<>();
      for (Object e : objectiveEntries) {
        objs.add(entry(e));
      }
      Map<String, Map<String, Object>> cons = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : constraintEntries.entrySet()) {
        if (!constraintMetrics.contains(e.getKey())) {
          throw new IllegalArgumentException("state models an unknown constraint '" + e.getKey() + "'");
        }
        cons.put(e.getKey(), entry(e.getValue()));
      }
      return new GpState(objs, cons);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> entry(Object e) {
      if (!(e instanceof Map<?, ?> m) || GpHyperparameters.fromJson(m, dimensions).isEmpty()) {
        throw new IllegalArgumentException("malformed model entry");
      }
      Map<String, Object> fields = (Map<String, Object>) m;
      if (DesignerState.longField(fields, "fittedAt") < 1) {
        throw new IllegalArgumentException("model entry fitted on no points");
      }
      if (fields.containsKey("warp") && !(fields.get("warp") instanceof String)) {
        throw new IllegalArgumentException("model entry's warp is not a label");
      }
      return Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
  }
}
