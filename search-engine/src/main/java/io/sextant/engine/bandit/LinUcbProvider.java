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
  /** Largest regression (per block) and largest total number of parameters. */
  static final int MAX_BLOCK = 256;
  static final int MAX_PARAMETERS = 8192;

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
        OptionSpec.of("costTransform", "string", "log", "log: regress log(cost) (costs must be > 0; others are "
            + "not learned from); identity: regress the cost"));
  }

  @Override
  Designer create(String name, BanditSettings s) {
    ContextSettings c = ContextSettings.parse(s);
    int degree = s.options().getInt("degree", 6, 0, 20);
    int armDegree = s.options().getInt("armDegree", 6, 0, 20);
    String armFeatures = s.options().getString("armFeatures", "auto", Set.of("auto", "onehot"));
    boolean oneHot = armFeatures.equals("onehot") || LinUcbDesigner.numericArms(s.arms()).isEmpty();
    int block = oneHot ? degree + 1 : (Math.min(armDegree, s.arms().size() - 1) + 1) * (degree + 1);
    if (block > MAX_BLOCK) {
      throw new ConfigException("armDegree", "(armDegree + 1) x (degree + 1) = " + block + " features; at most "
          + MAX_BLOCK);
    }
    if (oneHot && (long) block * s.arms().size() > MAX_PARAMETERS) {
      throw new ConfigException("degree", "one-hot arms: " + s.arms().size() + " arms x (degree + 1) = "
          + (long) block * s.arms().size() + " parameters; at most " + MAX_PARAMETERS
          + " (lower 'degree' or use fewer arms)");
    }
    return new LinUcbDesigner(name, s, c, degree, armDegree, oneHot, s.positive("alpha", 1.0),
        s.positive("ridge", 1.0),
        s.options().getString("costTransform", "log", Set.of("identity", "log")).equals("log"));
  }
}
