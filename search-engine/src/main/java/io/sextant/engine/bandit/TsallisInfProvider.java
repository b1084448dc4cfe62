package io.sextant.engine.bandit;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.OptionSpec;

/**
 * Registers the {@code tsallis-inf} bandit designer. 1/2-Tsallis-INF over a finite arm set (eta = 2 / sqrt(t), importance-weighted losses scaled by the running mean cost), as in Learning to Relax. Arms, costs, cached statistics and metadata: see
 * {@link Arms} and {@link BanditDesigner}; one objective, no outcome constraints (refused at create).
 */
public final class TsallisInfProvider extends BanditProvider {
  public static final String NAME = "tsallis-inf";

  public TsallisInfProvider() {
    super(NAME, "1/2-Tsallis-INF over a finite arm set (eta = 2 / sqrt(t), importance-weighted losses scaled by the running mean cost), as in Learning to Relax.",
        OptionSpec.of("learningRate", "number", 1.0, "multiplier on the learning rate"));
  }

  @Override
  Designer create(String name, BanditSettings s) {
    double rate = s.positive("learningRate", 1.0);
    return new LossSamplingDesigner(name, s, e -> e.tsallis(rate));
  }
}
