package io.sextant.engine.bo;

import io.sextant.engine.bo.acq.Acquisition;
import io.sextant.engine.designer.sobol.SobolSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Maximizes an acquisition over the legal points of a space: (1) scores {@code candidates} scrambled-Sobol points
 * of the space (scramble seed drawn from the generator) plus Gaussian perturbations (sd 0.1 in the cube) of the
 * given incumbents, all rounded through the {@link SpaceCodec}; (2) runs L-BFGS-B in the unit cube (continuous
 * relaxation of integer and one-hot coordinates) from the best {@code restarts} of them; (3) rounds the optima
 * through the codec and returns the best rounded point that is not within {@link #DUPLICATE_TOLERANCE} (max-norm,
 * feature space) of an excluded point. An expensive acquisition can be given a cheap screen for step (1): then only
 * the best {@code screened} candidates are scored by the acquisition itself. Pure given the generator; thread-safe.
 *
 * <p>Cost: {@code (candidates + 20 * incumbents) * C_acq + restarts * 90 * C_grad (30 iterations, at most 90 evaluations)}, where for a GP with n
 * points C_acq = O(n^2) and C_grad = O(2 n^2 + n d).
 */
public final class AcquisitionOptimizer {
  /** Points closer than this (max-norm, feature space) count as duplicates. */
  public static final double DUPLICATE_TOLERANCE = 1e-9;

  private static final int PERTURBATIONS = 20;
  private static final int LOCAL_ITERATIONS = 30;

  private AcquisitionOptimizer() {}

  /** A legal feature vector and its acquisition value. */
  public record Choice(double[] features, double value) {}

  /**
   * @param exclude feature vectors that must not be proposed again (observed, pending and already chosen points)
   * @param incumbents feature vectors of the best observed points, centres of local candidates
   * @return the best non-duplicate legal point, empty when every candidate duplicates an excluded point
   */
  public static Optional<Choice> maximize(
      Acquisition acquisition, SpaceCodec codec, int candidates, int restarts, List<double[]> exclude,
      List<double[]> incumbents, RandomGenerator rng) {
    return maximize(acquisition, acquisition, 0, codec, candidates, restarts, exclude, incumbents, rng);
  }

  /**
   * As {@link #maximize(Acquisition, SpaceCodec, int, int, List, List, RandomGenerator)} for an expensive
   * acquisition: the candidates (Sobol points and perturbed incumbents) are first scored by the cheap
   * {@code screen}, and only the best {@code screened} of them are scored by {@code acquisition} and compete for the
   * restarts; the others stay as a last resort (in screen order) when every better point is excluded. With
   * {@code screen == acquisition} nothing is screened (the same result as the plain overload).
   */
  public static Optional<Choice> maximize(
      Acquisition acquisition, Acquisition screen, int screened, SpaceCodec codec, int candidates, int restarts,
      List<double[]> exclude, List<double[]> incumbents, RandomGenerator rng) {
    int dims = codec.dimensions();
    int sdims = codec.space().samplingDimensions();
    SobolSequence sobol = SobolSequence.scrambled(sdims, rng.nextLong());
    List<Choice> pool = new ArrayList<>();
    for (int i = 0; i < candidates; i++) {
      double[] f = codec.encode(codec.space().fromUnit(sobol.point(i)));
      pool.add(new Choice(f, screen.value(f)));
    }
    for (double[] c : incumbents) {
      for (int k = 0; k < PERTURBATIONS; k++) {
        double[] p = new double[dims];
        for (int j = 0; j < dims; j++) {
          p[j] = Math.min(1, Math.max(0, c[j] + 0.1 * rng.nextGaussian()));
        }
        double[] f = codec.round(p);
        pool.add(new Choice(f, screen.value(f)));
      }
    }
    pool.sort(Comparator.comparingDouble(Choice::value).reversed());
    List<Choice> lastResort = new ArrayList<>();
    if (screen != acquisition) {
      lastResort.addAll(pool.subList(Math.min(screened, pool.size()), pool.size()));
      List<Choice> rescored = new ArrayList<>();
      for (Choice c : pool.subList(0, Math.min(screened, pool.size()))) {
        rescored.add(new Choice(c.features(), acquisition.value(c.features())));
      }
      rescored.sort(Comparator.comparingDouble(Choice::value).reversed());
      pool = rescored;
    }
    double[] lower = new double[dims];
    double[] upper = new double[dims];
    Arrays.fill(upper, 1.0);
    List<Choice> starts = new ArrayList<>();
    for (Choice c : pool) {
      if (starts.size() >= restarts) {
        break;
      }
      if (starts.stream().noneMatch(s -> near(s.features(), c.features()))) {
        starts.add(c);
      }
    }
    List<Choice> finals = new ArrayList<>();
    for (Choice s : starts) {
      BoxMinimizer.Result r = BoxMinimizer.minimize(
          (x, g) -> {
            double v = acquisition.valueAndGradient(x, g);
            for (int j = 0; j < g.length; j++) {
              g[j] = -g[j];
            }
            return -v;
          },
          s.features(), lower, upper, LOCAL_ITERATIONS);
      double[] f = codec.round(r.point());
      finals.add(new Choice(f, acquisition.value(f)));
    }
    finals.addAll(pool);
    finals.sort(Comparator.comparingDouble(Choice::value).reversed());
    finals.addAll(lastResort);
    for (Choice c : finals) {
      if (exclude.stream().noneMatch(e -> near(e, c.features()))) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** True when a and b are within {@link #DUPLICATE_TOLERANCE} in every coordinate. */
  public static boolean near(double[] a, double[] b) {
    for (int j = 0; j < a.length; j++) {
      if (Math.abs(a[j] - b[j]) > DUPLICATE_TOLERANCE) {
        return false;
      }
    }
    return true;
  }
}
