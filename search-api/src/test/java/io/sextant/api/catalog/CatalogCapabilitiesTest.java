package io.sextant.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.engine.designer.Designers;
import io.sextant.evaluators.spi.Evaluators;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/algorithms and /evaluators expose what designers and evaluators declare (capabilities, comparators),
 * so clients need not know names. A plain unit test of the controller: it needs no database and no context.
 */
class CatalogCapabilitiesTest {
  private final CatalogController catalog = new CatalogController(Designers.load(), Evaluators.load(),
      () -> Map.of("my-objective", List.of("node-1")));

  private Map<String, CatalogController.Entry> algorithms() {
    return catalog.algorithms().algorithms().stream()
        .collect(Collectors.toMap(CatalogController.Entry::name, e -> e));
  }

  @Test
  void algorithmsListTheirCapabilities() {
    Map<String, CatalogController.Entry> a = algorithms();
    for (String bandit : List.of("tsallis-inf", "exp3", "ucb1", "thompson", "gp-ucb")) {
      assertThat(a.get(bandit).capabilities()).as(bandit).contains("bandit", "needs-parameters")
          .doesNotContain("contextual", "multi-objective");
    }
    for (String contextual : List.of("binned-tsallis-inf", "contextual-cb", "linucb")) {
      assertThat(a.get(contextual).capabilities()).as(contextual).contains("bandit", "contextual");
    }
    for (String multi : List.of("random", "sobol", "nsga2", "ehvi", "parego")) {
      assertThat(a.get(multi).capabilities()).as(multi).contains("multi-objective").doesNotContain("bandit");
    }
    assertThat(a.get("gp-bo").capabilities()).containsExactly("needs-parameters");
    assertThat(a.get("program-evolution").capabilities()).containsExactly("renders-code");
    assertThat(a.get("program-evolution").needsParameters()).isFalse();
    a.values().forEach(e -> assertThat(e.capabilities().contains("needs-parameters")).as(e.name())
        .isEqualTo(e.needsParameters()));
  }

  @Test
  void evaluatorsListTheirCapabilitiesAndComparators() {
    Map<String, CatalogController.Entry> e = catalog.evaluators().evaluators().stream()
        .collect(Collectors.toMap(CatalogController.Entry::name, x -> x));
    assertThat(e.get("sor").capabilities()).containsExactly("instance-optimal");
    assertThat(e.get("sor").comparators()).singleElement().satisfies(c -> {
      assertThat(c.metric()).isEqualTo("optimal_iterations");
      assertThat(c.kind()).isEqualTo("instance-optimal");
    });
    assertThat(e.get("command").capabilities()).containsExactly("runs-programs");
    assertThat(e.get("branin").capabilities()).isEmpty();
    assertThat(e.get("branin").comparators()).isEmpty();
    CatalogController.Entry remote = e.get("my-objective");
    assertThat(remote.executors()).containsExactly("node-1");
    assertThat(remote.capabilities()).as("unknown on this server").isNull();
  }
}
