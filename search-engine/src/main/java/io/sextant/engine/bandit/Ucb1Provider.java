package io.sextant.engine.bandit;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.OptionSpec;

/**
 * Registers the {@code ucb1} bandit designer. UCB1 for costs over a finite arm set: each arm once, then the lowest mean minus exploration bonus. Arms, costs, cached statistics and metadata: see
 * {@link Arms} and {@link BanditDesigner}; one objective, no outcome constraints (refused at create).
 */
public final class Ucb1Provider extends BanditProvider {
  public static final String NAME = "ucb1";

  public Ucb1Provider() {
    super(NAME, "UCB1 for costs over a finite arm set: each arm once, then the lowest mean minus exploration bonus.",
        OptionSpec.of("exploration", "number", 1.0,
        "multiplier c on the bonus sqrt(2 ln N / n_i) (in units of the mean cost)"));
  }

  @Override
  Designer create(String name, BanditSettings s) {
    return new Ucb1Designer(name, s, s.positive("exploration", 1.0));
  }
}
