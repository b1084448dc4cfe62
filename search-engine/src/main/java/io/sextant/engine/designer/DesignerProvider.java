package io.sextant.engine.designer;

import io.sextant.engine.study.StudyProblem;
import java.util.List;
import java.util.Map;

/**
 * Registers a designer under a name (the study's {@code algorithm.name}) through {@link java.util.ServiceLoader}:
 * one line in {@code META-INF/services/io.sextant.engine.designer.DesignerProvider}.
 */
public interface DesignerProvider {
  String name();

  String description();

  List<OptionSpec> options();

  /**
   * Creates a designer for a problem. Validates options and the problem eagerly.
   *
   * @throws ConfigException naming the option or problem field it cannot accept (unknown option, bad value,
   *     unsupported space or number of objectives)
   */
  Designer create(StudyProblem problem, Map<String, Object> options);

  /**
   * The options as the study stores them: the given ones plus defaults that depend on the problem and that a user
   * should see in the study's configuration (e.g. gp-bo's {@code initialTrials}, where the Sobol phase ends). Called
   * with options {@link #create} accepted; the default adds nothing.
   */
  default Map<String, Object> declaredOptions(StudyProblem problem, Map<String, Object> options) {
    return options;
  }

  /**
   * A human-readable rendering of a trial's parameters, shown by the API as the trial's {@code code} field (e.g. a
   * program genome pretty-printed as code). Empty for designers whose parameters speak for themselves.
   */
  default java.util.Optional<String> render(Map<String, Object> params) {
    return java.util.Optional.empty();
  }

  /**
   * For a designer whose studies have no parameter space because their params are a genome (e.g. a program): the
   * params of a trial a client adds by hand or imports, checked and normalized. Empty for designers without a
   * genome; the space's own check then applies (and an empty space refuses every parameter).
   *
   * @throws ConfigException naming the field under {@code params} that it cannot accept
   */
  default java.util.Optional<Map<String, Object>> genomeParams(Map<String, Object> params) {
    return java.util.Optional.empty();
  }

  /**
   * Whether the designer proposes values for the study's parameters, and so needs a space with at least one
   * parameter (true, the default: the API refuses a study without one with a 400 at {@code space}). A designer that
   * proposes whole genomes instead (e.g. program-evolution's programs, see {@link #genomeParams}) returns false and
   * is given studies without a space.
   */
  default boolean needsParameters() {
    return true;
  }

  /**
   * What the designer can do (see {@link Capability}); shown at {@code GET /api/v1/algorithms} and read by the API
   * (e.g. whether the arms of a bandit study were chosen by context) and the web UI (which panels a study gets).
   * The designer contract suite checks the declaration against behaviour (e.g. multi-objective against what create
   * accepts). Default: none.
   */
  default java.util.Set<Capability> capabilities() {
    return java.util.Set.of();
  }
}
