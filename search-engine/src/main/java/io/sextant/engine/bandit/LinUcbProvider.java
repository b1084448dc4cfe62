package io.sextant.engine.bandit;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.OptionSpec;
import java.util.Set;

/**
 * Registers the {@code linucb} bandit designer: LinUCB over a joint ridge regression of (log) cost on Chebyshev
 * features of the arm value and of every useful context field ({@link LinUcbDesigner}); {@code gp-ucb}'s rule while
 * no field is useful. Arms, costs, cached statistics and metadata: see {@link Arms} and {@link BanditDesigner}; one
 * objective, no outcome constraints (refused at create).
 */
public final class LinUcbProvider extends BanditProvider {
  public static final String NAME = "linucb";
  /** Largest number of regression features (arm basis x context features); bounds the cost of a suggestion. */
  static final int MAX_FEATURES = 180;

  public LinUcbProvider() {
    super(NAME, "LinUCB: one ridge regression of log cost on Chebyshev features of arm value x the useful context "
            + "fields, shared by all arms; the arm with the lowest optimistic cost bound. Without a useful context: "
            + "gp-ucb.",
        ContextFeatures.FIELDS,
        OptionSpec.of("degree", "integer", 6L, "largest Chebyshev degree of a numeric context field (lower with "
            + "several fields), 0..20; 0 leaves numeric fields out"),
        OptionSpec.of("armDegree", "integer", 6L, "largest Chebyshev degree of the arm value (numeric arms), 0..20; "
            + "at most arms - 1 is used"),
        OptionSpec.of("armFeatures", "string", "auto", "auto: Chebyshev in the arm value when the arms are numbers "
            + "of one parameter, else one-hot; onehot: an independent regression per arm (disjoint LinUCB)"),
        OptionSpec.of("alpha", "number", 1.0, "width of the confidence bound in residual standard deviations (also "
            + "gp-ucb's, without a useful context)"),
        OptionSpec.of("ridge", "number", 1.0, "ridge penalty of the regression"),
        OptionSpec.of("fieldPenalty", "number", null, "absent (default): Schwarz's ln n. A number >= 0: the price "
            + "per parameter when choosing the model, n ln(RSS) + penalty x parameters (2: Akaike; 0 uses every field "
            + "once there is enough data)"),
        OptionSpec.of("meanCorrection", "boolean", true, "with the log transform: target each arm's lognormal mean "
            + "cost, exp(prediction + its residual variance / 2), not the median exp(prediction), the variance taken "
            + "about the arm's own regression on the context; false: the median, which favours arms that are usually "
            + "cheap but sometimes very expensive"),
        OptionSpec.of("lengthScale", "number", 0.2, "gp-ucb's length scale over the arm values (fraction of their "
            + "range), used while no context field is useful"),
        OptionSpec.of("costTransform", "string", "log", "log (default for MINIMIZE): regress log(cost) (costs must "
            + "be > 0; others are not learned from); identity (default for MAXIMIZE, whose cost is minus the value): "
            + "regress the cost"));
  }

  @Override
  Designer create(String name, BanditSettings s) {
    int degree = s.options().getInt("degree", 6, 0, 20);
    int armDegree = s.options().getInt("armDegree", 6, 0, 20);
    String armFeatures = s.options().getString("armFeatures", "auto", Set.of("auto", "onehot"));
    boolean oneHot = armFeatures.equals("onehot") || LinUcbDesigner.numericArms(s.arms()).isEmpty();
    int basis = oneHot ? 1 : LinUcbDesigner.armBasis(armDegree, s.arms().size());
    int oneField = Math.min(degree, 12) + 2;
    if (basis * oneField > MAX_FEATURES) {
      throw new ConfigException("armDegree", "(armDegree + 1) x (degree + 2) = " + basis * oneField + " features for "
          + "one context field; at most " + MAX_FEATURES + " (lower 'armDegree' or 'degree')");
    }
    boolean maximize = s.sign() < 0;
    String transform = s.options().getString("costTransform", maximize ? "identity" : "log",
        Set.of("identity", "log"));
    if (maximize && transform.equals("log")) {
      throw new ConfigException("costTransform", "costTransform 'log' needs positive costs; the cost of a MAXIMIZE "
          + "study is minus its value: use 'identity' (the default for MAXIMIZE)");
    }
    double penalty = s.options().getDouble("fieldPenalty", Double.NaN);
    if (!Double.isNaN(penalty) && !(penalty >= 0)) {
      throw new ConfigException("fieldPenalty", "option 'fieldPenalty' must be >= 0");
    }
    ContextFeatures f = ContextFeatures.parse(s, 6, MAX_FEATURES / basis - 1);
    return new LinUcbDesigner(name, s, f, armDegree, oneHot, s.positive("alpha", 1.0), s.positive("ridge", 1.0),
        transform.equals("log"), penalty, GpUcbProvider.lengthScale(s), s.options().getBoolean("meanCorrection", true));
  }

  @Override
  public java.util.Set<io.sextant.engine.designer.Capability> capabilities() {
    return java.util.Set.of(io.sextant.engine.designer.Capability.BANDIT,
        io.sextant.engine.designer.Capability.CONTEXTUAL);
  }
}
