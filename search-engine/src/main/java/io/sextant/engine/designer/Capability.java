package io.sextant.engine.designer;

/**
 * What a designer declares it can do ({@link DesignerProvider#capabilities}), so that the API and the web UI act on
 * capabilities instead of designer names. {@code GET /api/v1/algorithms} lists them by {@link #label()}, together with
 * {@code needs-parameters} (from {@link DesignerProvider#needsParameters}).
 */
public enum Capability {
  /** Chooses among a finite set of arms (a bandit): per-arm statistics and regret at {@code /arms} apply. */
  BANDIT("bandit"),
  /**
   * Reads each suggestion's context (POST /suggestions {@code context}, or the evaluator's instance context) and
   * chooses by it, so arms chosen in different contexts faced different instances.
   */
  CONTEXTUAL("contextual"),
  /** Accepts studies with several objectives (otherwise two objectives are refused at create). */
  MULTI_OBJECTIVE("multi-objective"),
  /** Renders a trial's params as code ({@link DesignerProvider#render}), e.g. a program genome. */
  RENDERS_CODE("renders-code");

  private final String label;

  Capability(String label) {
    this.label = label;
  }

  /** The name clients see (lower case, dash-separated). */
  public String label() {
    return label;
  }
}
