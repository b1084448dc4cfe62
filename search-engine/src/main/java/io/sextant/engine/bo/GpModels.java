package io.sextant.engine.bo;

import io.sextant.engine.bo.gp.GaussianProcess;
import io.sextant.engine.bo.gp.GpFitter;
import io.sextant.engine.bo.gp.GpHyperparameters;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * The "fit a GP on standardized outputs, with hyperparameters cached in designer state" step shared by the GP
 * designers ({@code gp-bo}, {@code ehvi}, {@code parego}), plus the kriging-believer fantasy and the random
 * non-duplicate fallback they share.
 *
 * <p><b>Refit policy.</b> Hyperparameters (MAP by {@link GpFitter}) are stored as JSON with {@code fittedAt} (the
 * number of points they were fitted on); they are refitted, warm-started, on every call while fewer than
 * {@value #ALWAYS_REFIT_BELOW} points are observed and afterwards each time the data grew by 10% (at least 2
 * points). At most {@value #FIT_POINTS} points enter the fit (the best half by y plus evenly spaced others). Pure
 * given the generator; thread-safe.
 */
public final class GpModels {
  static final int FIT_POINTS = 256;
  static final int ALWAYS_REFIT_BELOW = 40;

  private GpModels() {}

  /**
   * A GP conditioned on all points and the JSON-shaped state entry to cache (hyperparameters + fittedAt).
   *
   * @param gp the posterior, in the standardized units of the y passed to {@link #fit}
   * @param state JSON-shaped, for {@code Proposal.nextState}
   */
  public record Fitted(GaussianProcess gp, Map<String, Object> state) {}

  /**
   * @param x features n x D (not copied), n >= 1
   * @param y standardized outputs (to minimize), length n
   * @param oldState the state entry returned by an earlier call for the same output, or null / anything else
   * @param dimensions D
   */
  public static Fitted fit(double[][] x, double[] y, Object oldState, int dimensions, RandomGenerator rng) {
    int n = x.length;
    Optional<GpHyperparameters> cached = GpHyperparameters.fromJson(oldState, dimensions);
    int fittedAt = oldState instanceof Map<?, ?> m && m.get("fittedAt") instanceof Number k ? k.intValue() : -1;
    boolean refit = cached.isEmpty() || n < ALWAYS_REFIT_BELOW || fittedAt < 0 || n < fittedAt
        || n >= fittedAt + Math.max(2, fittedAt / 10);
    GpHyperparameters h;
    int at;
    if (refit) {
      int[] subset = fitSubset(y);
      double[][] fx = new double[subset.length][];
      double[] fy = new double[subset.length];
      for (int i = 0; i < subset.length; i++) {
        fx[i] = x[subset[i]];
        fy[i] = y[subset[i]];
      }
      h = GpFitter.fit(fx, fy, cached, cached.isPresent() ? 1 : 3, rng);
      at = n;
    } else {
      h = cached.orElseThrow();
      at = fittedAt;
    }
    Map<String, Object> st = new LinkedHashMap<>(h.toJson());
    st.put("fittedAt", at);
    return new Fitted(GaussianProcess.fit(x, y, h), Collections.unmodifiableMap(st));
  }

  /** A GP fitted on the transform chosen among several. */
  public record Chosen(Fitted fitted, OutcomeTransform transform) {}

  /**
   * Like {@link #fit}, on the output transform (of {@link OutcomeTransform#candidates}) whose data the GP explains
   * best: when a refit is due, each candidate gets its own MAP hyperparameters and the one with the largest log
   * marginal likelihood plus log-prior plus log-Jacobian of the transform (the density of the raw values, so that
   * differently warped data compare) wins; its {@link OutcomeTransform#label()} is cached in the state as
   * {@code "warp"} and reused until the next refit. One candidate: exactly {@link #fit}.
   *
   * @param candidates non-empty, each over the same n points
   */
  public static Chosen fitChoosing(
      double[][] x, List<OutcomeTransform> candidates, Object oldState, int dimensions, RandomGenerator rng) {
    if (candidates.size() == 1) {
      return new Chosen(fit(x, candidates.get(0).values(), oldState, dimensions, rng), candidates.get(0));
    }
    Object cachedLabel = oldState instanceof Map<?, ?> m ? m.get("warp") : null;
    if (cachedLabel != null && !refitDue(x.length, oldState, dimensions)) {
      for (OutcomeTransform t : candidates) {
        if (t.label().equals(cachedLabel)) {
          Fitted f = fit(x, t.values(), oldState, dimensions, rng);
          return new Chosen(withWarp(f, t), t);
        }
      }
    }
    Chosen best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (OutcomeTransform t : candidates) {
      // every candidate is fitted as if due (the old hyperparameters only as a warm start)
      Fitted f = fitNow(x, t.values(), oldState, dimensions, rng);
      int[] subset = fitSubset(t.values());
      double[][] fx = new double[subset.length][];
      double[] fy = new double[subset.length];
      double score = 0;
      for (int i = 0; i < subset.length; i++) {
        fx[i] = x[subset[i]];
        fy[i] = t.values()[subset[i]];
        score += t.logJacobian(subset[i]);
      }
      score += io.sextant.engine.bo.gp.MarginalLikelihood.valueAndGradient(fx, fy,
          f.gp().hyperparameters().toLog(), new double[dimensions + 2]);
      if (score > bestScore || best == null) {
        bestScore = score;
        best = new Chosen(withWarp(f, t), t);
      }
    }
    return best;
  }

  private static Fitted withWarp(Fitted f, OutcomeTransform t) {
    Map<String, Object> st = new LinkedHashMap<>(f.state());
    st.put("warp", t.label());
    return new Fitted(f.gp(), Collections.unmodifiableMap(st));
  }

  private static boolean refitDue(int n, Object oldState, int dimensions) {
    Optional<GpHyperparameters> cached = GpHyperparameters.fromJson(oldState, dimensions);
    int fittedAt = oldState instanceof Map<?, ?> m && m.get("fittedAt") instanceof Number k ? k.intValue() : -1;
    return cached.isEmpty() || n < ALWAYS_REFIT_BELOW || fittedAt < 0 || n < fittedAt
        || n >= fittedAt + Math.max(2, fittedAt / 10);
  }

  /** {@link #fit} with the refit forced (the old state, if any, is only a warm start). */
  private static Fitted fitNow(double[][] x, double[] y, Object oldState, int dimensions, RandomGenerator rng) {
    Object warm = oldState instanceof Map<?, ?> m ? withoutFittedAt(m) : null;
    return fit(x, y, warm, dimensions, rng);
  }

  private static Map<String, Object> withoutFittedAt(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    out.remove("fittedAt");
    return out;
  }

  /**
   * The GP with a fantasy observation at {@code f} equal to its posterior mean and a near-zero noise (kriging
   * believer, no refit, O(n^2)): a chosen point will be evaluated, so its neighbourhood stops looking uncertain.
   */
  public static GaussianProcess believe(GaussianProcess gp, double[] f) {
    return gp.withObservation(f, gp.predict(f).mean(), 1e-6 * gp.hyperparameters().amplitude());
  }

  /** A random legal point not within the duplicate tolerance of {@code exclude} (200 tries, then any). */
  public static double[] randomNonDuplicate(SpaceCodec codec, List<double[]> exclude, RandomGenerator rng) {
    double[] f = codec.encode(codec.space().sample(rng));
    for (int attempt = 0; attempt < 200; attempt++) {
      double[] g = f;
      if (exclude.stream().noneMatch(e -> AcquisitionOptimizer.near(e, g))) {
        return f;
      }
      f = codec.encode(codec.space().sample(rng));
    }
    return f; // the space is exhausted: a duplicate is unavoidable
  }

  /**
   * {@code f} itself unless it lies within {@link io.sextant.engine.bo.acq.Avoiding#TOLERANCE} of an avoided point
   * (a PRUNED or FAILED trial); then a random legal point away from them and from {@code exclude} (200 tries), else
   * {@code f} (the space is exhausted).
   */
  public static double[] awayFrom(SpaceCodec codec, double[] f, List<double[]> avoid, List<double[]> exclude,
      RandomGenerator rng) {
    if (!io.sextant.engine.bo.acq.Avoiding.near(f, avoid)) {
      return f;
    }
    for (int attempt = 0; attempt < 200; attempt++) {
      double[] g = codec.encode(codec.space().sample(rng));
      if (!io.sextant.engine.bo.acq.Avoiding.near(g, avoid)
          && exclude.stream().noneMatch(e -> AcquisitionOptimizer.near(e, g))) {
        return g;
      }
    }
    return f;
  }

  /** All indices when n <= FIT_POINTS; else the best half by y plus evenly spaced others. */
  static int[] fitSubset(double[] y) {
    int n = y.length;
    if (n <= FIT_POINTS) {
      return IntStream.range(0, n).toArray();
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    java.util.Arrays.sort(order, Comparator.comparingDouble(i -> y[i]));
    int best = FIT_POINTS / 2;
    int[] out = new int[FIT_POINTS];
    for (int i = 0; i < best; i++) {
      out[i] = order[i];
    }
    int rest = FIT_POINTS - best;
    for (int i = 0; i < rest; i++) {
      out[best + i] = order[best + (int) ((long) i * (n - best) / rest)];
    }
    return out;
  }

  /**
   * The scrambled-Sobol initial design of a batch: point {@code issued + k} for each slot {@code k} still in the
   * initial phase (every slot while no model can be fitted yet, else those below {@code initialTrials}), appended to
   * {@code out}; returns their features (the batch's first fantasies).
   */
  public static List<double[]> initialDesign(io.sextant.engine.space.SearchSpace space, SpaceCodec codec,
      io.sextant.engine.designer.sobol.SobolSequence design, long issued, int count, boolean modelled,
      int initialTrials, List<io.sextant.engine.designer.Suggestion> out) {
    List<double[]> chosen = new java.util.ArrayList<>();
    for (int k = 0; k < count; k++) {
      long index = issued + k;
      if (modelled && index >= initialTrials) {
        break;
      }
      Map<String, Object> params = space.fromUnit(design.point(index));
      out.add(new io.sextant.engine.designer.Suggestion(params, Map.of("phase", "initial", "sobolIndex", index)));
      chosen.add(codec.encode(params));
    }
    return chosen;
  }

  /** A space without modelled dimensions (fixed parameters only): {@code count} copies of its one point. */
  public static io.sextant.engine.designer.Proposal nothingToModel(SpaceCodec codec,
      io.sextant.engine.designer.StudySnapshot study, int count) {
    List<io.sextant.engine.designer.Suggestion> out = new java.util.ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      out.add(io.sextant.engine.designer.Suggestion.of(codec.decode(new double[0])));
    }
    return new io.sextant.engine.designer.Proposal(out, study.state());
  }
}
