package io.sextant.engine.bandit;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.OptionSpec;
import java.util.Set;

/**
 * Registers the {@code gp-ucb} bandit designer ({@link GpUcbDesigner}): GP-UCB over the arm values on the arms' mean
 * costs, the recommended non-contextual bandit for ordered arms. Arms, costs, cached statistics and metadata: see
 * {@link Arms} and {@link BanditDesigner}; one objective, no outcome constraints (refused at create).
 */
public final class GpUcbProvider extends BanditProvider {
  public static final String NAME = "gp-ucb";

  public GpUcbProvider() {
    super(NAME, "GP-UCB over the arm values: a Gaussian process over (log) mean cost shares information between "
            + "neighbouring arms; the arm with the lowest optimistic bound.",
        OptionSpec.of("alpha", "number", 1.0, "width of the bound in posterior standard deviations"),
        OptionSpec.of("lengthScale", "number", 0.2, "Matern length scale over the arm values, as a fraction of "
            + "their range (arms that are not numbers are independent)"),
        OptionSpec.of("costTransform", "string", "log", "log (default for MINIMIZE): model the log of each arm's "
            + "mean cost (costs must be > 0; others are not learned from); identity (default for MAXIMIZE): the mean"));
  }

  static double lengthScale(BanditSettings s) {
    double l = s.positive("lengthScale", 0.2);
    if (l > 100) {
      throw new ConfigException("lengthScale", "option 'lengthScale' must be at most 100 (a fraction of the range)");
    }
    return l;
  }

  @Override
  Designer create(String name, BanditSettings s) {
    boolean maximize = s.sign() < 0;
    String transform = s.options().getString("costTransform", maximize ? "identity" : "log",
        Set.of("identity", "log"));
    if (maximize && transform.equals("log")) {
      throw new ConfigException("costTransform", "costTransform 'log' needs positive costs; the cost of a MAXIMIZE "
          + "study is minus its value: use 'identity' (the default for MAXIMIZE)");
    }
    boolean log = transform.equals("log");
    return new GpUcbDesigner(name, s, new GpRule(GpRule.positions(s.arms()), lengthScale(s), s.positive("alpha", 1.0),
        log), log);
  }
}
