package io.sextant.evaluators.spi;

import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.study.StudyProblem;
import java.util.List;
import java.util.Map;

/**
 * Registers an evaluator under a name (the study's {@code evaluator.name}) through {@link java.util.ServiceLoader}:
 * one line in {@code META-INF/services/io.sextant.evaluators.spi.EvaluatorProvider}. Drop a jar with such a provider
 * on the executor's class path to plug in a custom objective.
 */
public interface EvaluatorProvider {
  String name();

  String description();

  List<OptionSpec> options();

  /**
   * Creates an evaluator for a study's problem with the given config, validating both eagerly (the API calls this
   * when a study is created, so a misconfigured study is refused with 400 instead of failing every trial).
   *
   * @throws io.sextant.engine.designer.ConfigException naming the config field or problem field it cannot accept
   */
  Evaluator create(StudyProblem problem, Map<String, Object> config);

  /**
   * The context (features) of the instance that trial {@code trialNumber} will evaluate, when the evaluator can tell
   * before running it (a generated instance sequence, as {@code sor}): the service then proposes that trial with this
   * context, so contextual designers see the instance they choose for. Empty (the default) when it cannot.
   *
   * @param config the study's evaluator config (already accepted by {@link #create})
   */
  default java.util.Optional<Map<String, Object>> contextFor(Map<String, Object> config, long trialNumber) {
    return java.util.Optional.empty();
  }

  /**
   * Whether this evaluator runs programs its study names (as {@code command} does): a capability an admin grants.
   * The server accepts such a study only from a user holding the command capability and leases its trials only
   * while the owner holds it; an executor node offers such an evaluator only when started with
   * {@code --allow-commands}. Built-in objectives (pure functions of the parameters) answer false, the default.
   */
  default boolean runsPrograms() {
    return false;
  }

  /**
   * The comparator metrics this evaluator reports (see {@link ReportedComparator}), e.g. {@code sor}'s
   * instance-optimal {@code optimal_iterations}. Default: none.
   */
  default List<ReportedComparator> comparators() {
    return List.of();
  }

  /** The metric of the first {@link ReportedComparator.Kind#INSTANCE_OPTIMAL instance-optimal} comparator, if any. */
  default java.util.Optional<String> instanceOptimalMetric() {
    return comparators().stream().filter(c -> c.kind() == ReportedComparator.Kind.INSTANCE_OPTIMAL)
        .map(ReportedComparator::metric).findFirst();
  }
}
