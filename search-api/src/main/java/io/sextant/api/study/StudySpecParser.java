package io.sextant.api.study;

import io.sextant.api.common.ApiException;
import io.sextant.api.common.Fields;
import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.Designers;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.OutcomeConstraint;
import io.sextant.engine.study.StudyProblem;
import io.sextant.evaluators.executor.ExecutorInfo;
import io.sextant.evaluators.spi.EvaluatorProvider;
import io.sextant.evaluators.spi.Evaluators;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import io.sextant.engine.stopping.StoppingRule;
import io.sextant.engine.stopping.StoppingRules;
import org.springframework.stereotype.Component;

/** Turns a posted study body (JSON or YAML) into a {@link StudySpec}, or a 400 naming the offending field. */
@Component
public class StudySpecParser {
  public static final int MAX_OBJECTIVES = 16;
  /** Upper bounds of the limits: far beyond any real study, low enough that no counter or table can overflow. */
  public static final long MAX_TRIALS = 10_000_000;
  public static final long MAX_PARALLEL = 100_000;
  /** Upper bound of limits.heartbeatSeconds: one week. */
  public static final long MAX_HEARTBEAT_SECONDS = 7 * 24 * 3600;
  /** Upper bound of limits.maxFailedTrials. */
  public static final long MAX_FAILED_TRIALS = 1_000_000_000;
  private static final SecureRandom SEEDS = new SecureRandom();
  private final Designers designers;
  private final Evaluators evaluators;
  private final RemoteEvaluators remote;

  public StudySpecParser(Designers designers, Evaluators evaluators, RemoteEvaluators remote) {
    this.designers = designers;
    this.evaluators = evaluators;
    this.remote = remote;
  }

  /**
   * A new definition from a client. Its evaluator must be installed here (its config is then checked) or declared
   * by a registered executor node (the node checks the config when it runs a trial).
   */
  public StudySpec parse(Object body) {
    return parse(body, false);
  }

  /** A definition this service stored earlier: its evaluator was accepted then, even if no node offers it now. */
  public StudySpec parseStored(Object body) {
    return parse(body, true);
  }

  private StudySpec parse(Object body, boolean stored) {
    Fields f = Fields.of(body, "");
    f.allowOnly(Set.of("name", "space", "objectives", "constraints", "algorithm", "evaluator", "limits",
        "earlyStopping", "resources"));
    String name = f.string("name");
    SearchSpace space = f.has("space") ? SpaceJson.parse(f.raw("space"), "space") : SearchSpace.EMPTY;
    List<Objective> objectives = objectives(f);
    List<OutcomeConstraint> constraints = constraints(f, objectives);
    StudyProblem problem = new StudyProblem(space, objectives, constraints);

    Fields alg = f.optObject("algorithm").orElseGet(() -> Fields.of(Map.of("name", "random"), "algorithm"));
    alg.allowOnly(Set.of("name", "options"));
    String algorithm = alg.string("name");
    DesignerProvider dp = designers.find(algorithm).orElseThrow(() -> ApiException.badRequest(alg.at("name"),
        "unknown algorithm '" + algorithm + "' (installed: " + String.join(", ", designers.all().keySet()) + ")"));
    Map<String, Object> options = new LinkedHashMap<>(alg.optObject("options").map(Fields::map).orElse(Map.of()));
    if (!options.containsKey("seed") && dp.options().stream().anyMatch(o -> o.name().equals("seed"))) {
      options.put("seed", SEEDS.nextLong(1, 1L << 31));
    }
    try {
      dp.create(problem, options);
    } catch (ConfigException e) {
      throw ApiException.badRequest(prefix(alg.at("options"), e.field()), e.getMessage());
    }
    options = new LinkedHashMap<>(dp.declaredOptions(problem, options));

    Optional<String> evaluator = Optional.empty();
    Map<String, Object> config = Map.of();
    Optional<Fields> ev = f.optObject("evaluator");
    if (ev.isPresent()) {
      Fields e = ev.get();
      e.allowOnly(Set.of("name", "config"));
      String en = e.string("name");
      Optional<EvaluatorProvider> ep = evaluators.find(en);
      config = new LinkedHashMap<>(e.optObject("config").map(Fields::map).orElse(Map.of()));
      if (ep.isPresent() && ep.get().runsPrograms() && !stored) {
        requireCommandCapability(e.at("name"), en);
      }
      if (ep.isPresent()) {
        try {
          ep.get().create(problem, config);
        } catch (ConfigException ce) {
          throw ApiException.badRequest(prefix(e.at("config"), ce.field()), ce.getMessage());
        }
      } else if (!stored && !remote.offeredByExecutors().containsKey(en)) {
        throw ApiException.badRequest(e.at("name"), "unknown evaluator '" + en + "' (installed here: "
            + String.join(", ", evaluators.all().keySet()) + "; offered by executor nodes: "
            + String.join(", ", remote.offeredByExecutors().keySet()) + ")");
      }
      evaluator = Optional.of(en);
    }

    Fields limits = f.optObject("limits").orElseGet(() -> Fields.of(Map.of(), "limits"));
    limits.allowOnly(Set.of("maxTrials", "maxParallel", "maxAttempts", "heartbeatSeconds", "maxFailedTrials"));
    OptionalLong maxTrials = positive(limits, "maxTrials", MAX_TRIALS).map(OptionalLong::of).orElse(OptionalLong.empty());
    OptionalInt maxParallel = positive(limits, "maxParallel", MAX_PARALLEL).map(v -> OptionalInt.of(v.intValue()))
        .orElse(OptionalInt.empty());
    int maxAttempts = positive(limits, "maxAttempts", 100).orElse(3L).intValue();
    OptionalInt heartbeatSeconds = positive(limits, "heartbeatSeconds", MAX_HEARTBEAT_SECONDS)
        .map(v -> OptionalInt.of(v.intValue())).orElse(OptionalInt.empty());
    OptionalInt maxFailedTrials = positive(limits, "maxFailedTrials", MAX_FAILED_TRIALS)
        .map(v -> OptionalInt.of(v.intValue())).orElse(OptionalInt.empty());
    Map<String, Object> early = f.optObject("earlyStopping").map(Fields::map).orElse(Map.of());
    StoppingRule rule;
    try {
      rule = StoppingRules.of(early);
    } catch (ConfigException e) {
      throw ApiException.badRequest("earlyStopping." + e.field(), e.getMessage());
    }
    StudySpec.Resources resources = resources(f);
    if (!stored && dp.needsParameters() && space.parameters().isEmpty()) {
      // last, so other mistakes are named first; stored definitions are not re-judged (older studies keep working)
      throw ApiException.badRequest("space", "algorithm '" + algorithm + "' proposes parameter values: 'space' needs "
          + "at least one parameter (e.g. {\"parameters\": [{\"name\": \"x\", \"type\": \"float\", \"low\": 0, "
          + "\"high\": 1}]})");
    }
    return new StudySpec(name, problem, algorithm, options, evaluator, config, maxTrials, maxParallel, maxAttempts,
        early, rule, resources, heartbeatSeconds, maxFailedTrials);
  }

  /**
   * An evaluator that runs programs a study names may be chosen only by a user an admin granted the command
   * capability (internal callers, e.g. a restore at startup, have none and are not restricted).
   */
  private static void requireCommandCapability(String field, String evaluator) {
    var caller = io.sextant.api.auth.Caller.current();
    if (caller.isPresent() && !caller.get().mayRunCommands()) {
      throw new ApiException(org.springframework.http.HttpStatus.FORBIDDEN, field, "the '" + evaluator
          + "' evaluator runs programs on the server or its executors: an admin must grant you the command"
          + " capability first (PATCH /api/v1/users/{id} {\"commands\": true})");
    }
  }

  private static StudySpec.Resources resources(Fields f) {
    Optional<Fields> r = f.optObject("resources");
    if (r.isEmpty()) {
      return StudySpec.Resources.NONE;
    }
    Fields x = r.get();
    x.allowOnly(Set.of("gpus", "labels", "pool"));
    long gpus = x.optLong("gpus").orElse(0L);
    if (gpus < 0 || gpus > 64) {
      throw ApiException.badRequest(x.at("gpus"), "'resources.gpus' must be between 0 and 64");
    }
    Map<String, String> labels = new java.util.TreeMap<>();
    x.optObject("labels").ifPresent(l -> l.map().forEach((k, v) -> {
      if (!(v instanceof String s) || k.isBlank() || k.length() > 100 || s.length() > 200) {
        throw ApiException.badRequest("resources.labels." + k, "labels are short strings");
      }
      labels.put(k, s);
    }));
    Optional<String> pool = Optional.empty();
    if (x.has("pool")) {
      if (!(x.raw("pool") instanceof String p) || !ExecutorInfo.isPoolName(p)) {
        throw ApiException.badRequest(x.at("pool"), "'" + x.at("pool") + "' " + ExecutorInfo.POOL_RULE
            + " (an executor pool: only executors registered with \"pool\": \"<name>\" run the study)");
      }
      pool = Optional.of(p);
    }
    return new StudySpec.Resources((int) gpus, labels, pool);
  }

  private static String prefix(String base, String field) {
    if (field == null || field.isEmpty()) {
      return base;
    }
    if (field.startsWith("space") || field.startsWith("objectives") || field.startsWith("constraints")) {
      return field;
    }
    return base + "." + field;
  }

  private static Optional<Long> positive(Fields f, String name, long max) {
    Optional<Long> v = f.optLong(name);
    if (v.isPresent() && (v.get() < 1 || v.get() > max)) {
      throw ApiException.badRequest(f.at(name), "'" + f.at(name) + "' must be between 1 and " + max);
    }
    return v;
  }

  private static List<Objective> objectives(Fields f) {
    List<Object> raw = f.list("objectives");
    if (raw.isEmpty() || raw.size() > MAX_OBJECTIVES) {
      throw ApiException.badRequest("objectives", "between 1 and " + MAX_OBJECTIVES + " objectives are required");
    }
    List<Objective> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < raw.size(); i++) {
      Fields o = Fields.of(raw.get(i), "objectives[" + i + "]");
      o.allowOnly(Set.of("metric", "direction"));
      String metric = o.string("metric");
      if (!seen.add(metric)) {
        throw ApiException.badRequest(o.at("metric"), "duplicate objective metric '" + metric + "'");
      }
      String dir = o.optString("direction").orElse("MINIMIZE");
      Direction d;
      try {
        d = Direction.valueOf(dir.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(o.at("direction"), "direction must be MINIMIZE or MAXIMIZE");
      }
      out.add(new Objective(metric, d));
    }
    return out;
  }

  private static List<OutcomeConstraint> constraints(Fields f, List<Objective> objectives) {
    if (!f.has("constraints")) {
      return List.of();
    }
    List<Object> raw = f.list("constraints");
    if (raw.size() > MAX_OBJECTIVES) {
      throw ApiException.badRequest("constraints", "at most " + MAX_OBJECTIVES + " constraints");
    }
    List<OutcomeConstraint> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < raw.size(); i++) {
      Fields c = Fields.of(raw.get(i), "constraints[" + i + "]");
      c.allowOnly(Set.of("metric", "op", "bound"));
      String metric = c.string("metric");
      if (objectives.stream().anyMatch(o -> o.metric().equals(metric))) {
        throw ApiException.badRequest(c.at("metric"), "'" + metric + "' is an objective; a constraint needs its own metric");
      }
      if (!seen.add(metric)) {
        throw ApiException.badRequest(c.at("metric"), "duplicate constraint metric '" + metric + "'");
      }
      OutcomeConstraint.Op op = OutcomeConstraint.Op.parse(c.string("op"))
          .orElseThrow(() -> ApiException.badRequest(c.at("op"), "op must be '<=' or '>='"));
      out.add(new OutcomeConstraint(metric, op, c.number("bound")));
    }
    return out;
  }
}
