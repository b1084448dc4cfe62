package io.sextant.evaluators.proxy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named proxy tasks and the fixed task sets of the funnel's larger stages.
 *
 * <ul>
 *   <li>cheap (selectable by option {@code tasks}): {@code mlp-spirals} (2-16-1), {@code mlp-blobs} (2-16-1 on XOR
 *       blobs), {@code logreg} (20-d), {@code quadratic} (30-d, condition 1e3, noisy), {@code mlp-rings} (2-16-1),
 *       {@code mlp-spirals-32} (2-32-1 on the same 600 spiral samples for 1.5x the steps, 300 by default: the
 *       spirals MLP of shared/reference/program-search.md, the one tiny proxy there on which sign-based updates beat
 *       AdamW);
 *   <li>full: 2-32-1 MLPs on 1200 spirals and 800 XOR-blob samples, twice the steps, seeds offset by 100;
 *   <li>meta (never used for selection): a 2-64-1 MLP on 2000 spiral samples and a 2-32-1 MLP on rings, three times
 *       the steps, seeds offset by 1000.
 * </ul>
 */
public final class ProxySuite {
  private ProxySuite() {}

  /** The cheap tasks by id. */
  public static final Map<String, ProxyTask> CHEAP;

  static {
    Map<String, ProxyTask> m = new LinkedHashMap<>();
    m.put("mlp-spirals", new MlpTask("spirals", 16, 600, 32));
    m.put("mlp-blobs", new MlpTask("blobs", 16, 400, 32));
    m.put("logreg", new LogisticTask(20, 1024, 32));
    m.put("quadratic", new QuadraticTask(30, 1e3, 0.1));
    m.put("mlp-rings", new MlpTask("rings", 16, 400, 32));
    m.put("mlp-spirals-32", new MlpTask("mlp-spirals-32", "spirals", 32, 600, 32));
    CHEAP = java.util.Collections.unmodifiableMap(m);
  }

  /** Run length of a cheap task relative to the stage's {@code steps} (1 unless listed). */
  private static final Map<String, Double> STEP_FACTOR = Map.of("mlp-spirals-32", 1.5);

  /** The minibatch steps of cheap task {@code id} when the cheap stage runs {@code steps}. */
  public static int cheapSteps(String id, int steps) {
    return (int) Math.round(steps * STEP_FACTOR.getOrDefault(id, 1.0));
  }

  public static final List<String> DEFAULT_TASKS = List.of("mlp-spirals", "mlp-blobs", "logreg");

  public static final List<ProxyTask> FULL = List.of(
      new MlpTask("spirals", 32, 1200, 32), new MlpTask("blobs", 32, 800, 32));

  public static final List<ProxyTask> META = List.of(
      new MlpTask("spirals", 64, 2000, 32), new MlpTask("rings", 32, 1000, 32));
}
