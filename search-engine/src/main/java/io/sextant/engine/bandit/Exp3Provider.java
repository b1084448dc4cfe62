package io.sextant.engine.bandit;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.OptionSpec;

/**
 * Registers the {@code exp3} bandit designer. Exp3 over a finite arm set with importance-weighted, mean-scaled losses and the anytime rate sqrt(2 ln K / (K t)). Arms, costs, cached statistics and metadata: see
 * {@link Arms} and {@link BanditDesigner}; one objective, no outcome constraints (refused at create).
 */
public final class Exp3Provider extends BanditProvider {
  public static final String NAME = "exp3";

  public Exp3Provider() {
    super(NAME, "Exp3 over a finite arm set with importance-weighted, mean-scaled losses and the anytime rate sqrt(2 ln K / (K t)).",
        OptionSpec.of("learningRate", "number", 1.0, "multiplier on the learning rate"),
        OptionSpec.of("gamma", "number", 0.0, "uniform exploration mixed in, in [0, 1)"));
  }

  @Override
  Designer create(String name, BanditSettings s) {
    double gamma = s.options().getDouble("gamma", 0.0);
    if (!(gamma >= 0 && gamma < 1)) {
      throw new io.sextant.engine.designer.ConfigException("gamma", "option 'gamma' must lie in [0, 1)");
    }
    double rate = s.positive("learningRate", 1.0);
    return new LossSamplingDesigner(name, s, rate, e -> e.exp3(rate, gamma));
  }
}
