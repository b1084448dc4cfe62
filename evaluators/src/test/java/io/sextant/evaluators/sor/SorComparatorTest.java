package io.sextant.evaluators.sor;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.evaluators.spi.EvaluatorProvider;
import io.sextant.evaluators.spi.Evaluators;
import io.sextant.evaluators.spi.ReportedComparator;
import io.sextant.evaluators.testing.TestContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** sor declares the instance-optimal comparator it reports, and reports it; evaluators that declare none do not. */
class SorComparatorTest {
  @Test
  void theDeclaredInstanceOptimalMetricIsReportedWithEveryTrial() throws Exception {
    EvaluatorProvider p = Evaluators.load().find(SorEvaluatorProvider.NAME).orElseThrow();
    assertThat(p.comparators()).extracting(ReportedComparator::kind)
        .containsExactly(ReportedComparator.Kind.INSTANCE_OPTIMAL);
    String metric = p.instanceOptimalMetric().orElseThrow();
    var e = p.create(SorEvaluatorTest.omegaGrid(), Map.of("seed", 5));
    for (double omega : new double[] {1.0, 1.5, 1.9}) {
      Map<String, Double> m = e.evaluate(Map.of("omega", omega), new TestContext(List.of("iterations"), 3));
      assertThat(m).containsKey(metric);
      assertThat(m.get(metric)).as("iterations at omega* (trial at omega %s)", omega).isPositive();
    }
  }

  @Test
  void otherBuiltInEvaluatorsDeclareNoInstanceOptimalComparator() {
    Evaluators.load().all().values().stream().filter(p -> !p.name().equals(SorEvaluatorProvider.NAME))
        .forEach(p -> assertThat(p.instanceOptimalMetric()).as(p.name()).isEmpty());
  }
}
