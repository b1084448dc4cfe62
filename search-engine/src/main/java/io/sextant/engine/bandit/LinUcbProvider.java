package io.sextant.engine.bandit;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.OptionSpec;
import java.util.Set;

/**
 * Registers the {@code linucb} bandit designer: LinUCB over a joint ridge regression of (log) cost on Chebyshev
 * features of the arm value and the context ({@link LinUcbDesigner}). Arms, costs, cached statistics and metadata:
 * see {@link Arms} and {@link BanditDesigner}; one objective, no outcome constraints (refused at create).
 */
public final class LinUcbProvider extends BanditProvider {
  public static final String NAME = "linucb";
  /**
   * Largest number of Gram-matrix entries kept (blocks x D (D + 1) / 2): the statistics are the designer state
   * written with every suggestion, so this bounds it (~16k numbers; a joint model of up to 180 features).
   */
  static final int MAX_GRAM_ENTRIES = 16_384;

  public LinUcbProvider() {
    super(NAME, "LinUCB: one ridge regression of log cost on Chebyshev features of arm value x context, shared by "
            + "all arms; the arm with the lowest optimistic cost bound.",
        ContextSettings.KEY, ContextSettings.LOW, ContextSettings.HIGH,
        OptionSpec.of("degree", "integer", 6L, "largest Chebyshev degree of the context (T0..Td), 0..20; 0 ignores "
            + "the context"),
        OptionSpec.of("armDegree", "integer", 6L, "largest Chebyshev degree of the arm value (numeric arms), 0..20; "
            + "at most arms - 1 is used"),
        OptionSpec.of("armFeatures", "string", "auto", "auto: Chebyshev in the arm value when the arms are numbers "
            + "of one parameter, else one-hot; onehot: an independent regression per arm (disjoint LinUCB)"),
        OptionSpec.of("alpha", "number", 1.0, "width of the confidence bound in residual standard deviations"),
        OptionSpec.of("ridge", "number", 1.0, "ridge penalty of the regression"),
        OptionSpec.of("costTransform", "string", "log", "log (default for MINIMIZE): regress log(cost) (costs must "
            + "be > 0; others are not learned from); identity (default for MAXIMIZE, whose cost is minus the value): "
            + "regress the cost"));
  }

  @Override
  Designer create(String name, BanditSettings s) {
    ContextSettings c = ContextSettings.parse(s);
    int degree = s.options().getInt("degree", 6, 0, 20);
    int armDegree = s.options().getInt("armDegree", 6, 0, 20);
    String armFeatures = s.options().getString("armFeatures", "auto", Set.of("auto", "onehot"));
    boolean oneHot = armFeatures.equals("onehot") || LinUcbDesigner.numericArms(s.arms()).isEmpty();
    int block = oneHot ? degree + 1 : (Math.min(armDegree, s.arms().size() - 1) + 1) * (degree + 1);
    long blocks = oneHot ? s.arms().size() : 1;
    long entries = blocks * block * (block + 1L) / 2;
    if (entries > MAX_GRAM_ENTRIES) {
      throw new ConfigException(oneHot ? "degree" : "armDegree", oneHot
          ? "one-hot arms: " + blocks + " arms x (degree + 1) = " + block + " features each need " + entries
              + " statistics; at most " + MAX_GRAM_ENTRIES + " (lower 'degree' or use fewer arms)"
          : "(armDegree + 1) x (degree + 1) = " + block + " features need " + entries + " statistics; at most "
              + MAX_GRAM_ENTRIES + " (lower 'armDegree' or 'degree')");
    }
    boolean maximize = s.sign() < 0;
    String transform = s.options().getString("costTransform", maximize ? "identity" : "log",
        Set.of("identity", "log"));
    if (maximize && transform.equals("log")) {
      throw new ConfigException("costTransform", "costTransform 'log' needs positive costs; the cost of a MAXIMIZE "
          + "study is minus its value: use 'identity' (the default for MAXIMIZE)");
    }
    return new LinUcbDesigner(name, s, c, degree, armDegree, oneHot, s.positive("alpha", 1.0),
        s.positive("ridge", 1.0), transform.equals("log"));
  }
}
