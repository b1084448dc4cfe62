package io.sextant.engine.designer;

import io.sextant.engine.study.StudyProblem;
import java.util.Map;

/**
 * A problem/options pair that a designer must refuse at {@link DesignerProvider#create} with a
 * {@link ConfigException} whose {@link ConfigException#field()} equals (or, for problem fields, starts with)
 * {@code field}. Used by {@link DesignerContractTest#invalidConfigs()}.
 *
 * @param description shown when the check fails
 * @param problem the problem passed to create
 * @param options the options passed to create, as-is
 * @param field the expected offending field, e.g. {@code seed} or {@code objectives}
 */
public record InvalidConfig(String description, StudyProblem problem, Map<String, Object> options, String field) {
  public InvalidConfig {
    options = Map.copyOf(options);
  }
}
