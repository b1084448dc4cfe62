package io.sextant.api.study;

import io.sextant.api.common.ApiException;
import io.sextant.api.common.Json;
import io.sextant.engine.designer.Designers;
import io.sextant.engine.study.Objective;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Stored form of study definitions and a cache of their compiled form. A definition never changes after creation
 * (only the state does), so the cache is keyed by id and dropped on delete.
 */
@Component
public class StudyDefinitions {
  private final Json json;
  private final StudySpecParser parser;
  private final Designers designers;
  private final Map<Long, CompiledStudy> cache = new ConcurrentHashMap<>();

  private final StudyRows rows;

  public StudyDefinitions(Json json, StudySpecParser parser, Designers designers, StudyRows rows) {
    this.rows = rows;
    this.json = json;
    this.parser = parser;
    this.designers = designers;
  }

  /** Fills the definition columns of a new entity from a spec. */
  void store(StudySpec spec, StudyEntity e) {
    e.name = spec.name();
    e.space = json.write(SpaceJson.render(spec.problem().space()));
    e.objectives = json.write(spec.problem().objectives().stream()
        .map(o -> Map.of("metric", o.metric(), "direction", o.direction().name())).toList());
    e.constraints = json.write(spec.problem().constraints().stream()
        .map(c -> Map.of("metric", c.metric(), "op", c.op().symbol(),
            "bound", c.bound())).toList());
    e.algorithm = spec.algorithm();
    e.algorithmOptions = json.write(spec.algorithmOptions());
    e.evaluator = spec.evaluator().orElse(null);
    e.evaluatorConfig = spec.evaluator().isPresent() ? json.write(spec.evaluatorConfig()) : null;
    e.maxTrials = spec.maxTrials().isPresent() ? spec.maxTrials().getAsLong() : null;
    e.maxParallel = spec.maxParallel().isPresent() ? spec.maxParallel().getAsInt() : null;
    e.maxAttempts = spec.maxAttempts();
    e.heartbeatSeconds = spec.heartbeatSeconds().isPresent() ? spec.heartbeatSeconds().getAsInt() : null;
    e.maxFailedTrials = spec.maxFailedTrials().isPresent() ? spec.maxFailedTrials().getAsInt() : null;
    e.earlyStopping = json.write(spec.earlyStopping());
    e.resources = json.write(spec.resources().toMap());
  }

  /** What a masked secret reads as. */
  public static final String MASKED = "********";

  /**
   * The definition as the current caller may see it: {@link #body} with the values of the evaluator's {@code env}
   * (API keys and the like) masked unless the caller owns the study ({@link StudyEntity#secretsVisible}); the
   * executor running a trial gets them with its lease.
   */
  public Map<String, Object> shownBody(StudyEntity e) {
    Map<String, Object> b = body(e);
    if (e.evaluator == null || e.secretsVisible()) {
      return b;
    }
    Map<String, Object> config = new LinkedHashMap<>(json.readMap(e.evaluatorConfig));
    if (config.get("env") instanceof Map<?, ?> env) {
      Map<String, Object> masked = new LinkedHashMap<>();
      env.keySet().forEach(k -> masked.put(String.valueOf(k), MASKED));
      config.put("env", masked);
    }
    b.put("evaluator", Map.of("name", e.evaluator, "config", config));
    return b;
  }

  /** The definition as a client would post it (canonical form). */
  public Map<String, Object> body(StudyEntity e) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("name", e.name);
    b.put("space", json.readMap(e.space));
    b.put("objectives", json.readList(e.objectives));
    b.put("constraints", json.readList(e.constraints));
    b.put("algorithm", Map.of("name", e.algorithm, "options", json.readMap(e.algorithmOptions)));
    if (e.evaluator != null) {
      b.put("evaluator", Map.of("name", e.evaluator, "config", json.readMap(e.evaluatorConfig)));
    }
    Map<String, Object> limits = new LinkedHashMap<>();
    if (e.maxTrials != null) {
      limits.put("maxTrials", e.maxTrials);
    }
    if (e.maxParallel != null) {
      limits.put("maxParallel", e.maxParallel);
    }
    limits.put("maxAttempts", e.maxAttempts);
    if (e.heartbeatSeconds != null) {
      limits.put("heartbeatSeconds", e.heartbeatSeconds);
    }
    if (e.maxFailedTrials != null) {
      limits.put("maxFailedTrials", e.maxFailedTrials);
    }
    b.put("limits", limits);
    b.put("earlyStopping", json.readMap(e.earlyStopping));
    b.put("resources", json.readMap(e.resources));
    return b;
  }

  /**
   * The params of a trial a client adds to study {@code c} (by hand or by import), checked and normalized: by the
   * space, or, for a study without one, by its designer's genome check (e.g. a program-evolution study takes
   * {@code {"program": ...}}). A refusal is a 400 naming the field as {@code at} places it in the request.
   */
  public Map<String, Object> validParams(CompiledStudy c, Map<String, Object> params,
      java.util.function.UnaryOperator<String> at) {
    try {
      var space = c.spec().problem().space();
      if (space.parameters().isEmpty()) {
        var genome = designers.find(c.spec().algorithm()).flatMap(p -> p.genomeParams(params));
        if (genome.isPresent()) {
          return genome.get();
        }
      }
      return space.validate(params);
    } catch (io.sextant.engine.space.SpaceException e) {
      throw ApiException.badRequest(at.apply(e.field()), e.getMessage());
    } catch (io.sextant.engine.designer.ConfigException e) {
      throw ApiException.badRequest(at.apply(e.field()), e.getMessage());
    }
  }

  public CompiledStudy compile(StudyEntity e) {
    return cache.computeIfAbsent(e.id, id -> {
      StudySpec spec = parser.parseStored(body(e));
      var designer = designers.find(spec.algorithm()).orElseThrow().create(spec.problem(), spec.algorithmOptions());
      Object seed = spec.algorithmOptions().get("seed");
      return new CompiledStudy(id, spec, designer, seed instanceof Number n ? n.longValue() : id);
    });
  }

  /**
   * The compiled definition of study {@code id} (known to exist): from the cache, else compiled from the stored
   * definition (read with plain JDBC, {@link StudyRows#definition}, once per study and process, so that the hot
   * path's JDBC transactions can call it). The ask/tell hot path reads study rows with plain JDBC
   * ({@link StudyRows}) and takes the definition from here.
   */
  public CompiledStudy compile(long id) {
    CompiledStudy c = cache.get(id);
    return c != null ? c : compile(rows.definition(id).orElseThrow());
  }

  public void evict(long id) {
    cache.remove(id);
  }

  public List<String> metrics(StudyEntity e) {
    return compile(e).spec().problem().objectives().stream().map(Objective::metric).toList();
  }
}
