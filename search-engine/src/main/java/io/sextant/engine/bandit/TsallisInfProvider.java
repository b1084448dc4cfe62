package io.sextant.engine.bandit;

import io.sextant.engine.designer.ConfigException;
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
        OptionSpec.of("learningRate", "number", 1.0, "multiplier on the learning rate"),
        OptionSpec.of("baseline", "number", null, "absent (default): the reference's loss estimate (cost - 1) / p. "
            + "A number in [0, 1]: Zimmert and Seldin's reduced-variance estimate (cost - b) / p with b = baseline x "
            + "the running mean cost, for pulls drawn with p >= eta_t^2 (1 centres the estimates on the mean cost)"));
  }

  @Override
  Designer create(String name, BanditSettings s) {
    double rate = s.positive("learningRate", 1.0);
    double baseline = s.options().getDouble("baseline", Double.NaN);
    if (!Double.isNaN(baseline) && !(baseline >= 0 && baseline <= 1)) {
      throw new ConfigException("baseline", "option 'baseline' must lie in [0, 1] (a multiple of the mean cost)");
    }
    return new LossSamplingDesigner(name, s, rate, e -> e.tsallis(rate, baseline));
  }
}
