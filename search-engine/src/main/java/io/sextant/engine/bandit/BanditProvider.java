package io.sextant.engine.bandit;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerProvider;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.study.StudyProblem;
import java.util.List;
import java.util.Map;

/**
 * The shared shape of the bandit designers' providers: a name, a description, the common options
 * ({@link BanditSettings#with}) plus the designer's own, and a factory from the parsed settings. Arms, costs, cached
 * statistics and metadata: see {@link Arms} and {@link BanditDesigner}; one objective, no outcome constraints
 * (refused at create).
 */
abstract class BanditProvider implements DesignerProvider {
  private final String name;
  private final String description;
  private final List<OptionSpec> options;

  BanditProvider(String name, String description, OptionSpec... own) {
    this.name = name;
    this.description = description;
    this.options = BanditSettings.with(own);
  }

  /** Builds the designer from the validated common settings; reads its own options from {@code s.options()}. */
  abstract Designer create(String name, BanditSettings s);

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final List<OptionSpec> options() {
    return options;
  }

  /** Every bandit is one; the contextual ones add {@code CONTEXTUAL}. */
  @Override
  public java.util.Set<io.sextant.engine.designer.Capability> capabilities() {
    return java.util.Set.of(io.sextant.engine.designer.Capability.BANDIT);
  }

  @Override
  public final Designer create(StudyProblem problem, Map<String, Object> options) {
    return create(name, BanditSettings.parse(problem, options, this.options));
  }
}
