package io.sextant.api.catalog;

import io.sextant.engine.designer.Designers;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.evaluators.spi.Evaluators;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What is installed: GET /api/v1/algorithms and /api/v1/evaluators, with their options. */
@RestController
class CatalogController {
  private final Designers designers;
  private final Evaluators evaluators;

  CatalogController(Designers designers, Evaluators evaluators) {
    this.designers = designers;
    this.evaluators = evaluators;
  }

  /** One installed component. */
  record Entry(String name, String description, List<Map<String, Object>> options) {}

  @GetMapping("/api/v1/algorithms")
  Map<String, List<Entry>> algorithms() {
    return Map.of("algorithms", designers.all().values().stream()
        .map(p -> new Entry(p.name(), p.description(), options(p.options()))).toList());
  }

  @GetMapping("/api/v1/evaluators")
  Map<String, List<Entry>> evaluators() {
    return Map.of("evaluators", evaluators.all().values().stream()
        .map(p -> new Entry(p.name(), p.description(), options(p.options()))).toList());
  }

  private static List<Map<String, Object>> options(List<OptionSpec> specs) {
    return specs.stream().map(o -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", o.name());
      m.put("type", o.type());
      o.defaultValue().ifPresent(d -> m.put("default", d));
      m.put("description", o.description());
      return m;
    }).toList();
  }
}
