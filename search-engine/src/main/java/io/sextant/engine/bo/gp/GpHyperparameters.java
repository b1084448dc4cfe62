package io.sextant.engine.bo.gp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hyperparameters of the Matern-5/2 ARD GP on unit-cube inputs and standardized outputs.
 *
 * @param lengthscales one per input dimension, {@code > 0} (unit-cube units)
 * @param amplitude signal variance s2 {@code > 0}
 * @param noise observation-noise variance {@code > 0}
 */
public record GpHyperparameters(double[] lengthscales, double amplitude, double noise) {
  public GpHyperparameters {
    lengthscales = lengthscales.clone();
  }

  public int dimensions() {
    return lengthscales.length;
  }

  /** Unconstrained coordinates {@code (log l_1..log l_d, log s2, log noise)}. */
  public double[] toLog() {
    int d = lengthscales.length;
    double[] t = new double[d + 2];
    for (int j = 0; j < d; j++) {
      t[j] = Math.log(lengthscales[j]);
    }
    t[d] = Math.log(amplitude);
    t[d + 1] = Math.log(noise);
    return t;
  }

  public static GpHyperparameters fromLog(double[] t) {
    int d = t.length - 2;
    double[] l = new double[d];
    for (int j = 0; j < d; j++) {
      l[j] = Math.exp(t[j]);
    }
    return new GpHyperparameters(l, Math.exp(t[d]), Math.exp(t[d + 1]));
  }

  /** JSON-shaped form for designer state. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Object> l = new ArrayList<>();
    for (double v : lengthscales) {
      l.add(v);
    }
    m.put("lengthscales", l);
    m.put("amplitude", amplitude);
    m.put("noise", noise);
    return m;
  }

  /** Parses {@link #toJson()}; empty when the shape is not as expected or the dimension differs. */
  public static Optional<GpHyperparameters> fromJson(Object json, int dimensions) {
    if (!(json instanceof Map<?, ?> m)
        || !(m.get("lengthscales") instanceof List<?> l)
        || !(m.get("amplitude") instanceof Number a)
        || !(m.get("noise") instanceof Number n)
        || l.size() != dimensions) {
      return Optional.empty();
    }
    double[] ls = new double[dimensions];
    for (int j = 0; j < dimensions; j++) {
      if (!(l.get(j) instanceof Number v) || !(v.doubleValue() > 0) || !Double.isFinite(v.doubleValue())) {
        return Optional.empty();
      }
      ls[j] = v.doubleValue();
    }
    double av = a.doubleValue();
    double nv = n.doubleValue();
    if (!(av > 0 && nv > 0 && Double.isFinite(av) && Double.isFinite(nv))) {
      return Optional.empty();
    }
    return Optional.of(new GpHyperparameters(ls, av, nv));
  }
}
