package io.sextant.api.catalog;

import io.sextant.engine.designer.Capability;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.Designers;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.evaluators.spi.EvaluatorProvider;
import io.sextant.evaluators.spi.Evaluators;
import io.sextant.evaluators.spi.ReportedComparator;
import java.util.List;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What is installed: GET /api/v1/algorithms and /api/v1/evaluators, with their options. */
@io.swagger.v3.oas.annotations.tags.Tag(name = "catalog")
@RestController
class CatalogController {
  private final Designers designers;
  private final Evaluators evaluators;
  private final io.sextant.api.study.RemoteEvaluators remote;

  CatalogController(Designers designers, Evaluators evaluators, io.sextant.api.study.RemoteEvaluators remote) {
    this.designers = designers;
    this.evaluators = evaluators;
    this.remote = remote;
  }

  /**
   * One installed component; {@code executors} (evaluators only) names the registered executor nodes that offer
   * an evaluator the server itself does not have; {@code needsParameters} (algorithms only) says whether a study
   * needs a space with at least one parameter (false for designers that propose programs, e.g. program-evolution).
   * {@code capabilities}: what the component declares it can do, so clients (the web UI) need not know names.
   * Algorithms: {@code bandit}, {@code contextual}, {@code multi-objective}, {@code renders-code} (from
   * {@link Capability}) and {@code needs-parameters}. Evaluators: {@code runs-programs}, {@code instance-optimal}
   * (reports an instance-optimal comparator); {@code comparators} (evaluators only) lists the comparator metrics.
   */
  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  @Schema(name = "CatalogEntry")
  record Entry(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "random") String name,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String description,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Option> options, List<String> executors,
      Boolean needsParameters, @Schema(example = "[\"needs-parameters\"]") List<String> capabilities,
      List<Comparator> comparators) {}

  /** One option of an algorithm ({@code algorithm.options}) or evaluator ({@code evaluator.config}). */
  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  @Schema(name = "CatalogOption")
  record Option(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "seed") String name,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "integer") String type,
      @com.fasterxml.jackson.annotation.JsonProperty("default") @Schema(name = "default") Object defaultValue,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String description) {}

  /** A comparator metric an evaluator reports. */
  @Schema(name = "CatalogComparator")
  record Comparator(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String metric,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "instance-optimal") String kind,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String description) {}

  @Schema(name = "Algorithms")
  record Algorithms(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Entry> algorithms) {}

  @Schema(name = "Evaluators")
  record EvaluatorList(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Entry> evaluators) {}

  @io.swagger.v3.oas.annotations.Operation(operationId = "listAlgorithms")
  @GetMapping("/api/v1/algorithms")
  Algorithms algorithms() {
    return new Algorithms(designers.all().values().stream()
        .map(p -> new Entry(p.name(), p.description(), options(p.options()), null, p.needsParameters(),
            capabilities(p), null)).toList());
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "listEvaluators")
  @GetMapping("/api/v1/evaluators")
  EvaluatorList evaluators() {
    List<Entry> out = new java.util.ArrayList<>(evaluators.all().values().stream()
        .map(p -> new Entry(p.name(), p.description(), options(p.options()), null, null, capabilities(p),
            comparators(p))).toList());
    remote.offeredByExecutors().forEach((name, nodes) -> {
      if (evaluators.find(name).isEmpty()) {
        out.add(new Entry(name, "offered by executor nodes (installed there, not on this server)", List.of(), nodes,
            null, null, null));
      }
    });
    return new EvaluatorList(out);
  }

  /** Declared capabilities in declaration order, then needs-parameters. */
  static List<String> capabilities(DesignerProvider p) {
    List<String> out = new java.util.ArrayList<>();
    for (Capability c : Capability.values()) {
      if (p.capabilities().contains(c)) {
        out.add(c.label());
      }
    }
    if (p.needsParameters()) {
      out.add("needs-parameters");
    }
    return out;
  }

  static List<String> capabilities(EvaluatorProvider p) {
    List<String> out = new java.util.ArrayList<>();
    if (p.runsPrograms()) {
      out.add("runs-programs");
    }
    if (p.instanceOptimalMetric().isPresent()) {
      out.add(ReportedComparator.Kind.INSTANCE_OPTIMAL.label());
    }
    return out;
  }

  private static List<Comparator> comparators(EvaluatorProvider p) {
    return p.comparators().stream().map(c -> new Comparator(c.metric(), c.kind().label(), c.description())).toList();
  }

  private static List<Option> options(List<OptionSpec> specs) {
    return specs.stream().map(o -> new Option(o.name(), o.type(), o.defaultValue().orElse(null), o.description()))
        .toList();
  }
}
