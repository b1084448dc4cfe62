package io.sextant.engine.bo;

/**
 * Validated options of {@code gp-bo} (see {@link GpBoDesignerProvider#options()}).
 *
 * @param acquisition which acquisition function
 * @param initialTrials trials issued from the scrambled Sobol initial design before the GP takes over
 * @param seed seed of the initial design's scramble
 * @param ucbBeta exploration weight of UCB
 * @param window most recent trials read per suggestion (bounds the cost per suggestion)
 * @param candidates Sobol candidates scored per suggested point
 * @param restarts local L-BFGS-B runs per suggested point
 * @param kgSamples fantasy outcomes (standard-normal nodes) of the continuous knowledge gradient {@code kg-mc}
 */
public record GpBoSettings(
    AcquisitionKind acquisition, int initialTrials, long seed, double ucbBeta, int window, int candidates,
    int restarts, int kgSamples) {

  /** The acquisition functions, by option value. */
  public enum AcquisitionKind {
    LOGEI("logei"),
    NEI("nei"),
    KG("kg"),
    KG_MC("kg-mc"),
    UCB("ucb");

    private final String option;

    AcquisitionKind(String option) {
      this.option = option;
    }

    public String option() {
      return option;
    }

    /** Knowledge gradients value outcomes in model units over a reference set: no output warp. */
    public boolean isKnowledgeGradient() {
      return this == KG || this == KG_MC;
    }

    /** The option values, in declaration order. */
    public static java.util.Set<String> options() {
      java.util.Set<String> s = new java.util.LinkedHashSet<>();
      for (AcquisitionKind k : values()) {
        s.add(k.option);
      }
      return java.util.Collections.unmodifiableSet(s);
    }

    public static AcquisitionKind of(String option) {
      for (AcquisitionKind k : values()) {
        if (k.option.equals(option)) {
          return k;
        }
      }
      throw new IllegalArgumentException(option);
    }
  }
}
