package io.sextant.engine.bo;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.designer.random.RandomDesignerProvider;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.Parameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Benchmark runner for gp-bo (not a test): median simple regret over seeds 0..9 on Branin@50, Hartmann6@100,
 * Levy-4@80 and Rosenbrock-4@80 and issue 24's set (Hartmann3@40, Styblinski-Tang-4@80, Shekel-5@80, Ackley-5@100,
 * Rosenbrock-4@100, Levy-10@100, Michalewicz-5@100, Griewank-8@100; gp-bo with default options plus any
 * {@code opt=key:value,...} and uniform random search, same run), and suggest latency p50/p95 at
 * 50/200/500/1000/2000 completed trials (d = 6, batch 1 and 8). {@code stuck SEED} prints, every 10 trials of a
 * Hartmann6 run, the GP at the global minimizer against the chosen point (why a run stays in the local minimum).
 * System property {@code bench.diag=true} prints each run's best point and final designer state;
 * {@code bench.rng=rest} gives the designer the server's per-suggestion random seeds (TrialLifecycle's mix of the
 * seed option and the trial count), which reproduces a REST study with the same seed option.
 *
 * <p>Usage: {@code java ... io.sextant.engine.bo.BoBenchmark [regret] [latency] [acq=logei,kg,kg-mc]
 * [seeds=10] [fn=branin,hartmann6] [sizes=1000,2000] [window=N]}, or {@code cholesky [sizes=...]} for the
 * pure-Java against LAPACK factorization times (regret and latency when neither is named; {@code acq} lists gp-bo
 * acquisitions, default logei plus random search; {@code seeds} runs seeds 0..seeds-1; {@code fn} restricts the
 * functions; latency uses the first acquisition). The
 * benchmark formulas are reimplemented here because search-engine must not depend on the evaluators module.
 */
public final class BoBenchmark {
  private BoBenchmark() {}

  record Fn(String name, int dims, double low, double high, double min, int budget,
      ToDoubleFunction<double[]> f) {}

  static double branin(double[] x) {
    double b = 5.1 / (4 * Math.PI * Math.PI);
    double c = 5 / Math.PI;
    double t = 1 / (8 * Math.PI);
    double x1 = x[0] * 15 - 5;
    double x2 = x[1] * 15;
    return Math.pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.cos(x1) + 10;
  }

  static final double[][] A = {{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8},
      {17, 8, 0.05, 10, 0.1, 14}};
  static final double[][] P = {{1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
      {2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}};
  static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};

  static double hartmann6(double[] x) {
    double s = 0;
    for (int i = 0; i < 4; i++) {
      double e = 0;
      for (int j = 0; j < 6; j++) {
        e += A[i][j] * Math.pow(x[j] - P[i][j] * 1e-4, 2);
      }
      s -= ALPHA[i] * Math.exp(-e);
    }
    return s;
  }

  static double levy(double[] x) {
    int d = x.length;
    double[] w = new double[d];
    for (int i = 0; i < d; i++) {
      w[i] = 1 + (x[i] - 1) / 4;
    }
    double s = Math.pow(Math.sin(Math.PI * w[0]), 2);
    for (int i = 0; i < d - 1; i++) {
      s += Math.pow(w[i] - 1, 2) * (1 + 10 * Math.pow(Math.sin(Math.PI * w[i] + 1), 2));
    }
    return s + Math.pow(w[d - 1] - 1, 2) * (1 + Math.pow(Math.sin(2 * Math.PI * w[d - 1]), 2));
  }

  static double rosenbrock(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length - 1; i++) {
      s += 100 * Math.pow(x[i + 1] - x[i] * x[i], 2) + Math.pow(1 - x[i], 2);
    }
    return s;
  }

  static final double[][] A3 = {{3, 10, 30}, {0.1, 10, 35}, {3, 10, 30}, {0.1, 10, 35}};
  static final double[][] P3 = {{3689, 1170, 2673}, {4699, 4387, 7470}, {1091, 8732, 5547}, {381, 5743, 8828}};

  static double hartmann3(double[] x) {
    double s = 0;
    for (int i = 0; i < 4; i++) {
      double e = 0;
      for (int j = 0; j < 3; j++) {
        e += A3[i][j] * Math.pow(x[j] - P3[i][j] * 1e-4, 2);
      }
      s -= ALPHA[i] * Math.exp(-e);
    }
    return s;
  }

  static double styblinskiTang(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v * v * v * v - 16 * v * v + 5 * v;
    }
    return s / 2;
  }

  static final double[] SHEKEL_C = {0.1, 0.2, 0.2, 0.4, 0.4};
  static final double[][] SHEKEL_A = {{4, 4, 4, 4}, {1, 1, 1, 1}, {8, 8, 8, 8}, {6, 6, 6, 6}, {3, 7, 3, 7}};

  static double shekel5(double[] x) {
    double s = 0;
    for (int i = 0; i < 5; i++) {
      double e = SHEKEL_C[i];
      for (int j = 0; j < 4; j++) {
        e += Math.pow(x[j] - SHEKEL_A[i][j], 2);
      }
      s -= 1 / e;
    }
    return s;
  }

  static double ackley(double[] x) {
    double sq = 0;
    double cs = 0;
    for (double v : x) {
      sq += v * v;
      cs += Math.cos(2 * Math.PI * v);
    }
    int d = x.length;
    return -20 * Math.exp(-0.2 * Math.sqrt(sq / d)) - Math.exp(cs / d) + 20 + Math.E;
  }

  static double michalewicz(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s -= Math.sin(x[i]) * Math.pow(Math.sin((i + 1) * x[i] * x[i] / Math.PI), 20);
    }
    return s;
  }

  static double griewank(double[] x) {
    double s = 0;
    double p = 1;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * x[i] / 4000;
      p *= Math.cos(x[i] / Math.sqrt(i + 1));
    }
    return 1 + s - p;
  }

  static final List<Fn> FUNCTIONS = List.of(
      // Branin gets the unit square, scaled inside the formula (same as [-5,10]x[0,15])
      new Fn("branin", 2, 0, 1, 0.397887, 50, BoBenchmark::branin),
      new Fn("hartmann6", 6, 0, 1, -3.32237, 100, BoBenchmark::hartmann6),
      new Fn("levy4", 4, -10, 10, 0.0, 80, BoBenchmark::levy),
      new Fn("rosenbrock4", 4, -5, 10, 0.0, 80, BoBenchmark::rosenbrock),
      // issue 24's side-by-side set (benchmarks/gp-bo/side_by_side.py has the same functions and budgets)
      new Fn("hartmann3", 3, 0, 1, -3.86278214782076, 40, BoBenchmark::hartmann3),
      new Fn("styblinski4", 4, -5, 5, -39.16616570377142 * 4, 80, BoBenchmark::styblinskiTang),
      new Fn("shekel5", 4, 0, 10, -10.1531996790582, 80, BoBenchmark::shekel5),
      new Fn("ackley5", 5, -32.768, 32.768, 0.0, 100, BoBenchmark::ackley),
      new Fn("rosenbrock4@100", 4, -5, 10, 0.0, 100, BoBenchmark::rosenbrock),
      new Fn("levy10", 10, -10, 10, 0.0, 100, BoBenchmark::levy),
      new Fn("michalewicz5", 5, 0, Math.PI, -4.687658179, 100, BoBenchmark::michalewicz),
      new Fn("griewank8", 8, -600, 600, 0.0, 100, BoBenchmark::griewank),
      // the speed figure of side_by_side.py (--speed 300) without REST: the designer's own time per suggestion
      new Fn("hartmann6@300", 6, 0, 1, -3.32237, 300, BoBenchmark::hartmann6));

  static StudyProblem problem(int dims, double low, double high) {
    List<Parameter> ps = new ArrayList<>();
    for (int i = 0; i < dims; i++) {
      ps.add(new FloatParameter("x" + i, low, high, false, OptionalDouble.empty(), Optional.empty()));
    }
    return new StudyProblem(new SearchSpace(ps), List.of(new Objective("y", Direction.MINIMIZE)), List.of());
  }

  static double[] point(Map<String, Object> params, int dims) {
    double[] x = new double[dims];
    for (int i = 0; i < dims; i++) {
      x[i] = (Double) params.get("x" + i);
    }
    return x;
  }

  static TrialView completed(long number, Map<String, Object> params, double v) {
    return new TrialView(number, TrialState.COMPLETED, params, new double[] {v}, Map.of("y", v), Map.of());
  }

  /** Best value after {@code fn.budget} sequential evaluations. */
  static double runOnce(Designer d, Fn fn, StudyProblem problem, long seed) {
    List<TrialView> history = new ArrayList<>();
    Optional<Map<String, Object>> state = Optional.empty();
    double best = Double.POSITIVE_INFINITY;
    double[] bestX = null;
    while (history.size() < fn.budget()) {
      int from = Math.max(0, history.size() - d.needs().window());
      StudySnapshot snap = new StudySnapshot(problem, history.size(),
          d.needs().reads() == io.sextant.engine.designer.SnapshotNeeds.Reads.ALL_TRIALS
              ? history.subList(from, history.size()) : List.of(), state, Map.of());
      Proposal p = d.suggest(snap, 1, new SplittableRandom("rest".equals(System.getProperty("bench.rng"))
          ? restMix(seed, history.size()) : seed * 1_000_003L + history.size()));
      if (p.nextState().isPresent()) {
        state = p.nextState();
      }
      for (Suggestion s : p.suggestions()) {
        double[] x = point(s.params(), fn.dims());
        double v = fn.f().applyAsDouble(x);
        if (v < best) {
          best = v;
          bestX = x;
        }
        history.add(completed(history.size() + 1, s.params(), v));
      }
    }
    if (Boolean.getBoolean("bench.diag")) {
      System.out.printf("  %s seed %d: best %.6g at %s state %s%n", fn.name(), seed, best - fn.min(),
          Arrays.stream(bestX).mapToObj(v -> String.format("%.3g", v)).toList(), state.orElse(Map.of()));
    }
    return best;
  }

  /** The server's per-suggestion random seed (TrialLifecycle.mix): {@code -Dbench.rng=rest} uses it. */
  static long restMix(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
  }

  static double percentile(double[] v, double q) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  }

  /** Extra gp-bo options from {@code opt=key:value,...} (numbers as integers where they parse). */
  static final Map<String, Object> EXTRA_OPTIONS = new HashMap<>();

  static void regret(List<String> algos, int seeds, List<String> functions) {
    GpBoDesignerProvider gp = new GpBoDesignerProvider();
    RandomDesignerProvider random = new RandomDesignerProvider();
    for (Fn fn : FUNCTIONS) {
      // hartmann6@300 (the speed figure) only when named: it would triple the default run
      if (functions.isEmpty() ? fn.name().equals("hartmann6@300") : !functions.contains(fn.name())) {
        continue;
      }
      StudyProblem problem = problem(fn.dims(), fn.low(), fn.high());
      for (String algo : algos) {
        double[] regrets = new double[seeds];
        long t0 = System.nanoTime();
        for (int seed = 0; seed < seeds; seed++) {
          Map<String, Object> opts = new HashMap<>();
          opts.put("seed", seed);
          opts.put("acquisition", algo.equals("gp-bo") ? "logei" : algo);
          opts.putAll(EXTRA_OPTIONS);
          if (opts.get("seed") instanceof Integer s0 && s0 != seed) {
            opts.put("seed", s0 + seed); // opt=seed:K shifts the designer seeds to K + seed
          }
          Designer d = algo.equals("random") ? random.create(problem, Map.of("seed", seed)) : gp.create(problem, opts);
          regrets[seed] = runOnce(d, fn, problem, seed) - fn.min();
        }
        double secs = (System.nanoTime() - t0) / 1e9 / seeds;
        System.out.printf("%s n=%d %s: median regret %.4g mean %.4g  %.2fs/run  all=%s%n", fn.name(), fn.budget(),
            algo, median(regrets), Arrays.stream(regrets).average().orElseThrow(), secs,
            Arrays.stream(regrets).mapToObj(r -> String.format("%.3g", r)).toList());
      }
    }
  }

  static void latency(String acquisition, int[] sizes, Integer window) {
    Fn fn = FUNCTIONS.get(1);
    StudyProblem problem = problem(6, 0, 1);
    Map<String, Object> options = new java.util.HashMap<>(Map.of("seed", 0, "acquisition", acquisition));
    if (window != null) {
      options.put("window", window);
    }
    Designer d = new GpBoDesignerProvider().create(problem, options);
    System.out.println("latency: acquisition " + acquisition);
    for (int n : sizes) {
      SplittableRandom r = new SplittableRandom(n);
      List<TrialView> history = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Map<String, Object> p = problem.space().sample(r);
        history.add(completed(i + 1, p, fn.f().applyAsDouble(point(p, 6))));
      }
      List<TrialView> visible = history.subList(Math.max(0, n - d.needs().window()), n);
      for (int batch : new int[] {1, 8}) {
        // the first call fits the hyperparameters (no cached state): reported separately as "refit"
        long t0 = System.nanoTime();
        Proposal first = d.suggest(new StudySnapshot(problem, n, visible, Optional.empty(), Map.of()), batch,
            new SplittableRandom(1));
        double refitMs = (System.nanoTime() - t0) / 1e6;
        int reps = n >= 1000 ? 5 : 15;
        double[] ms = new double[reps];
        for (int k = 0; k < reps; k++) {
          long t = System.nanoTime();
          d.suggest(new StudySnapshot(problem, n, visible, first.nextState(), Map.of()), batch,
              new SplittableRandom(100 + k));
          ms[k] = (System.nanoTime() - t) / 1e6;
        }
        System.out.printf("latency n=%d (window %d) batch=%d: p50 %.1f ms  p95 %.1f ms  (%d calls, cached "
            + "hyperparameters)  refit call %.1f ms%n", n, visible.size(), batch, percentile(ms, 0.5),
            percentile(ms, 0.95), reps, refitMs);
      }
    }
  }

  /**
   * Cholesky factorization time, pure Java against LAPACK dpotrf (Smile), on Matern-5/2 kernel matrices of random
   * points in the 6-D unit cube (lengthscale 0.3, noise 1e-4): median of repeated factorizations after warm-up, and
   * the largest difference between the two factors relative to the largest entry.
   */
  static void cholesky(int[] sizes) {
    System.out.println("cholesky: LAPACK available " + io.sextant.engine.bo.gp.Cholesky.lapackAvailable()
        + ", LAPACK_MIN_N " + io.sextant.engine.bo.gp.Cholesky.LAPACK_MIN_N);
    for (int n : sizes) {
      SplittableRandom r = new SplittableRandom(n);
      double[][] x = new double[n][6];
      for (double[] xi : x) {
        for (int j = 0; j < 6; j++) {
          xi[j] = r.nextDouble();
        }
      }
      double[][] k = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++) {
          double s = 0;
          for (int t = 0; t < 6; t++) {
            double dl = (x[i][t] - x[j][t]) / 0.3;
            s += dl * dl;
          }
          double rr = Math.sqrt(s);
          double v = (1 + Math.sqrt(5) * rr + 5 * rr * rr / 3) * Math.exp(-Math.sqrt(5) * rr);
          k[i][j] = v;
          k[j][i] = v;
        }
        k[i][i] += 1e-4;
      }
      int reps = n <= 200 ? 400 : n <= 500 ? 40 : n <= 1000 ? 10 : 5;
      double[] tj = new double[reps];
      double[] tl = new double[reps];
      double[][] lj = null;
      double[][] ll = null;
      for (int w = 0; w < Math.max(3, reps / 4); w++) {
        lj = io.sextant.engine.bo.gp.Cholesky.decompose(k, Integer.MAX_VALUE);
        ll = io.sextant.engine.bo.gp.Cholesky.decompose(k, 0);
      }
      for (int rep = 0; rep < reps; rep++) {
        long t0 = System.nanoTime();
        io.sextant.engine.bo.gp.Cholesky.decompose(k, Integer.MAX_VALUE);
        tj[rep] = (System.nanoTime() - t0) / 1e6;
        t0 = System.nanoTime();
        io.sextant.engine.bo.gp.Cholesky.decompose(k, 0);
        tl[rep] = (System.nanoTime() - t0) / 1e6;
      }
      double scale = 0;
      double diff = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++) {
          scale = Math.max(scale, Math.abs(lj[i][j]));
          diff = Math.max(diff, Math.abs(lj[i][j] - ll[i][j]));
        }
      }
      System.out.printf("cholesky n=%d: pure Java %.3f ms  LAPACK %.3f ms  (median of %d; speed-up %.2fx; max "
          + "|dL| / max |L| %.1e)%n", n, percentile(tj, 0.5), percentile(tl, 0.5), reps,
          percentile(tj, 0.5) / percentile(tl, 0.5), diff / scale);
    }
  }

  /**
   * Why a run stays in a local minimum: every 10 trials from 20 on, the GP (refitted from the designer's state) at
   * the known global minimizer against the incumbent: posterior mean and sd (standardized units), the LogEI there,
   * and the best LogEI the optimizer found (its chosen point).
   */
  static void stuck(Fn fn, double[] xstar, long seed) {
    StudyProblem problem = problem(fn.dims(), fn.low(), fn.high());
    Designer d = new GpBoDesignerProvider().create(problem, new HashMap<>(Map.of("seed", (int) seed)));
    SpaceCodec codec = new SpaceCodec(problem.space());
    List<TrialView> history = new ArrayList<>();
    Optional<Map<String, Object>> state = Optional.empty();
    while (history.size() < fn.budget()) {
      StudySnapshot snap = new StudySnapshot(problem, history.size(), history, state, Map.of());
      Proposal p = d.suggest(snap, 1, new SplittableRandom("rest".equals(System.getProperty("bench.rng"))
          ? restMix(seed, history.size()) : seed * 1_000_003L + history.size()));
      if (p.nextState().isPresent()) {
        state = p.nextState();
      }
      Suggestion s = p.suggestions().get(0);
      double[] xs = point(s.params(), fn.dims());
      if (history.size() >= 20 && history.size() % 10 == 0) {
        double[][] x = history.stream().map(t -> codec.encode(t.params())).toArray(double[][]::new);
        double[] raw = history.stream().mapToDouble(t -> t.values()[0]).toArray();
        OutcomeTransform tr = OutcomeTransform.warpedIfSkewed(raw).orElseThrow();
        Map<?, ?> st = (Map<?, ?>) state.orElseThrow().get("objective");
        var h = io.sextant.engine.bo.gp.GpHyperparameters.fromJson(st, fn.dims()).orElseThrow();
        var gp = io.sextant.engine.bo.gp.GaussianProcess.fit(x, tr.values(), h);
        double inc = Arrays.stream(tr.values()).min().orElseThrow();
        var ei = new io.sextant.engine.bo.acq.LogExpectedImprovement(gp, inc);
        Map<String, Object> star = new HashMap<>();
        for (int i = 0; i < fn.dims(); i++) {
          star.put("x" + i, fn.low() + xstar[i] * (fn.high() - fn.low()));
        }
        double[] fs = codec.encode(star);
        var pr = gp.predict(fs);
        double best = Arrays.stream(raw).min().orElseThrow();
        System.out.printf("  n=%d best regret %.4g | at x*: mean %.3f sd %.3f logEI %.2f | chosen logEI %.2f "
            + "(regret there %.3g) | inc %.3f warped %s ls %s amp %.3g noise %.2g%n", history.size(), best - fn.min(),
            pr.mean(), Math.sqrt(pr.variance()), ei.value(fs), ei.value(codec.encode(s.params())),
            fn.f().applyAsDouble(xs) - fn.min(), inc, tr.warped(),
            Arrays.toString(Arrays.stream(h.lengthscales()).map(v -> Math.round(v * 1000) / 1000.0).toArray()),
            h.amplitude(), h.noise());
      }
      double v = fn.f().applyAsDouble(xs);
      history.add(completed(history.size() + 1, s.params(), v));
    }
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("stuck")) {
      double[] xstar = {0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573};
      stuck(FUNCTIONS.get(1), xstar, Long.parseLong(args[1]));
      return;
    }
    List<String> what = new ArrayList<>(List.of(args));
    List<String> acqs = List.of("logei");
    int seeds = 10;
    List<String> functions = List.of();
    int[] sizes = {50, 200, 500, 1000, 2000};
    Integer window = null;
    for (String a : args) {
      if (a.startsWith("acq=")) {
        acqs = List.of(a.substring(4).split(","));
      } else if (a.startsWith("seeds=")) {
        seeds = Integer.parseInt(a.substring(6));
      } else if (a.startsWith("fn=")) {
        functions = List.of(a.substring(3).split(","));
      } else if (a.startsWith("sizes=")) {
        sizes = Arrays.stream(a.substring(6).split(",")).mapToInt(Integer::parseInt).toArray();
      } else if (a.startsWith("opt=")) {
        for (String kv : a.substring(4).split(",")) {
          String[] p = kv.split(":");
          Object v;
          try {
            v = Integer.parseInt(p[1]);
          } catch (NumberFormatException e) {
            v = p[1];
          }
          EXTRA_OPTIONS.put(p[0], v);
        }
      } else if (a.startsWith("window=")) {
        window = Integer.parseInt(a.substring(7));
      }
    }
    if (what.contains("cholesky")) {
      cholesky(Arrays.stream(args).anyMatch(a -> a.startsWith("sizes=")) ? sizes
          : new int[] {50, 100, 150, 200, 300, 500, 1000, 2000});
      return;
    }
    if (!what.contains("regret") && !what.contains("latency")) {
      what.addAll(List.of("regret", "latency"));
    }
    System.out.println("java " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
        + " cpus");
    if (what.contains("regret")) {
      // without acq=, the historical table: random search and gp-bo (logei)
      List<String> algos = args.length > 0 && Arrays.stream(args).anyMatch(a -> a.startsWith("acq="))
          ? acqs : List.of("random", "gp-bo");
      regret(algos, seeds, functions);
    }
    if (what.contains("latency")) {
      latency(acqs.get(0), sizes, window);
    }
  }
}
