package io.sextant.engine.bandit;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.SnapshotNeeds;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * Common machinery of the bandit designers: arms from the space, costs from trials, and sufficient statistics kept
 * as cached state that is checked against the trials.
 *
 * <p><b>Feedback.</b> A trial is a pull of the arm its parameters select ({@link Arms#indexOf}). Only COMPLETED trials
 * with a finite objective value count; its cost is the value (MINIMIZE) or minus the value (MAXIMIZE). Pending
 * (WAITING/RUNNING) trials are ignored until they finish; FAILED, PRUNED and INFEASIBLE ones never count.
 * Suggestions carry metadata {@code bandit.designer}, {@code bandit.arm} (index), {@code bandit.probability} (the
 * probability with which the arm was drawn, for importance weighting) and, when the request had one,
 * {@code bandit.context} (the request's context map), so the trials alone determine the statistics.
 *
 * <p><b>State.</b> The statistics are sums over trials, so they do not depend on the order of folding. The cached
 * state holds them with a watermark W (every trial numbered up to W is finished and folded) and the numbers above W
 * already folded (trials finish out of order). Each call folds only the finished, not yet folded trials of the
 * snapshot, so the cost per suggestion is independent of the study's length. The state is rebuilt from the
 * snapshot's trials when it is missing, was written by another designer or arm set, names a folded trial that the
 * snapshot shows pending, or when the snapshot's window starts after W + 1 (trials between were not loaded); with
 * more than {@code window} trials such a rebuild sees only the last {@code window} of them (a sliding-window
 * estimate; with a valid state this never happens).
 *
 * <p>Immutable and thread-safe: everything mutable lives in the call.
 */
abstract class BanditDesigner implements Designer {
  static final String META_DESIGNER = "bandit.designer";
  static final String META_ARM = "bandit.arm";
  static final String META_PROBABILITY = "bandit.probability";
  static final String META_CONTEXT = "bandit.context";
  private static final int STATE_VERSION = 1;

  protected final String name;
  protected final Arms arms;
  protected final double sign;
  private final int window;

  BanditDesigner(String name, BanditSettings settings) {
    this.name = name;
    this.arms = settings.arms();
    this.sign = settings.sign();
    this.window = settings.window();
  }

  /** Mutable sufficient statistics, confined to one call. */
  interface Stats {
    /** Folds one usable pull. */
    void add(int arm, double cost, TrialView trial);

    /** JSON-shaped copy (maps, lists, numbers). */
    Map<String, Object> toJson();
  }

  abstract Stats emptyStats();

  /**
   * Empty statistics for folding {@code trials} (the snapshot's finished trials) from scratch; by default
   * {@link #emptyStats()}. A designer whose statistics depend on a summary of all the trials (binned contexts: the
   * bins) computes it here.
   */
  Stats emptyStats(List<TrialView> trials) {
    return emptyStats();
  }

  /**
   * Whether cached statistics cannot take {@code trial} incrementally (then they are rebuilt from the snapshot's
   * trials); by default they always can.
   */
  boolean outgrows(Stats cached, TrialView trial) {
    return false;
  }

  /** Reads statistics written by {@link Stats#toJson()}; throws IllegalArgumentException when malformed. */
  abstract Stats readStats(Map<?, ?> json);

  /** Chooses {@code count} arms; returns (arm, probability) pairs. */
  abstract List<Choice> choose(Stats stats, Map<String, Object> context, int count, RandomGenerator rng);

  /**
   * Chooses with the whole snapshot at hand; by default from the statistics and the request's context only (pending
   * trials of other workers are not considered). A designer that can account for pending pulls overrides this.
   */
  List<Choice> choose(Stats stats, StudySnapshot study, int count, RandomGenerator rng) {
    return choose(stats, study.context(), count, rng);
  }

  /** An arm drawn with a probability (NaN when the rule is deterministic). */
  record Choice(int arm, double probability) {}

  @Override
  public final SnapshotNeeds needs() {
    return new SnapshotNeeds(SnapshotNeeds.Reads.ALL_TRIALS, window);
  }

  @Override
  public final Proposal suggest(StudySnapshot study, int count, RandomGenerator rng) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1 (got " + count + ")");
    }
    Folded f = fold(study);
    List<Suggestion> out = new ArrayList<>(count);
    for (Choice c : choose(f.stats(), study, count, rng)) {
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put(META_DESIGNER, name);
      meta.put(META_ARM, (long) c.arm());
      if (!Double.isNaN(c.probability())) {
        meta.put(META_PROBABILITY, c.probability());
      }
      if (!study.context().isEmpty()) {
        meta.put(META_CONTEXT, study.context());
      }
      out.add(new Suggestion(arms.assignment(c.arm()), meta));
    }
    return new Proposal(out, Optional.of(f.state()));
  }

  /** Up-to-date statistics and the state to cache. */
  record Folded(Stats stats, Map<String, Object> state) {}

  /** Brings the statistics up to date with the snapshot (see the class doc). Visible for tests. */
  final Folded fold(StudySnapshot study) {
    List<TrialView> trials = study.trials();
    long first = trials.isEmpty() ? study.issuedCount() + 1 : trials.getFirst().number();
    Map<Long, TrialView> byNumber = new HashMap<>();
    for (TrialView t : trials) {
      byNumber.put(t.number(), t);
    }
    Stats stats = null;
    long watermark = 0;
    TreeSet<Long> folded = new TreeSet<>();
    if (study.state().isPresent()) {
      try {
        Map<String, Object> s = study.state().get();
        if (name.equals(s.get("designer")) && num(s.get("version")) == STATE_VERSION
            && num(s.get("arms")) == arms.size()) {
          long w = (long) num(s.get("watermark"));
          TreeSet<Long> f = new TreeSet<>();
          for (Object o : (List<?>) s.get("folded")) {
            f.add((long) num(o));
          }
          boolean consistent = w >= 0 && w <= study.issuedCount() && first <= w + 1;
          for (long k : f) {
            TrialView t = byNumber.get(k);
            consistent &= k > w && t != null && t.state().isFinished();
          }
          if (consistent) {
            stats = readStats((Map<?, ?>) s.get("stats"));
            watermark = w;
            folded = f;
          }
        }
      } catch (RuntimeException e) {
        stats = null;
      }
    }
    if (stats != null) {
      for (TrialView t : trials) {
        if (t.number() > watermark && t.state().isFinished() && !folded.contains(t.number())
            && outgrows(stats, t)) {
          stats = null;
          break;
        }
      }
    }
    if (stats == null) {
      stats = emptyStats(trials.stream().filter(t -> t.state().isFinished()).toList());
      watermark = Math.max(0, first - 1);
      folded = new TreeSet<>();
    }
    for (TrialView t : trials) {
      if (t.number() > watermark && t.state().isFinished() && !folded.contains(t.number())) {
        folded.add(t.number());
        int arm = arms.indexOf(t.params());
        double cost = cost(t);
        if (arm >= 0 && !Double.isNaN(cost)) {
          stats.add(arm, cost, t);
        }
      }
    }
    while (folded.contains(watermark + 1)) {
      folded.remove(++watermark);
    }
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("designer", name);
    state.put("version", (long) STATE_VERSION);
    state.put("arms", (long) arms.size());
    state.put("watermark", watermark);
    state.put("folded", List.copyOf(folded));
    state.put("stats", stats.toJson());
    return new Folded(stats, Map.copyOf(state));
  }

  /** The cost of a trial (lower is better), or NaN when it is not a usable pull. */
  final double cost(TrialView t) {
    if (t.state() != TrialState.COMPLETED || t.values().length == 0 || !Double.isFinite(t.values()[0])) {
      return Double.NaN;
    }
    return sign * t.values()[0];
  }

  static double num(Object o) {
    if (o instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("not a number: " + o);
  }

  /** The probability the trial's arm was drawn with, from its metadata; NaN when absent or not in (0, 1]. */
  static double probability(TrialView t) {
    Object p = t.metadata().get(META_PROBABILITY);
    if (p instanceof Number n && n.doubleValue() > 0 && n.doubleValue() <= 1) {
      return n.doubleValue();
    }
    return Double.NaN;
  }

  static double[] doubles(Object list, int expected) {
    List<?> l = (List<?>) list;
    if (l.size() != expected) {
      throw new IllegalArgumentException("expected " + expected + " numbers, got " + l.size());
    }
    double[] out = new double[expected];
    for (int i = 0; i < expected; i++) {
      out[i] = num(l.get(i));
    }
    return out;
  }

  static List<Double> list(double[] a) {
    List<Double> out = new ArrayList<>(a.length);
    for (double x : a) {
      out.add(x);
    }
    return List.copyOf(out);
  }

  /** Index drawn from probabilities {@code p} (summing to 1 up to rounding) with one uniform draw. */
  static int sample(double[] p, RandomGenerator rng) {
    double u = rng.nextDouble();
    double acc = 0;
    int last = 0;
    for (int i = 0; i < p.length; i++) {
      if (p[i] > 0) {
        acc += p[i];
        last = i;
        if (u < acc) {
          return i;
        }
      }
    }
    return last;
  }

  /** {@code count} i.i.d. draws from the arm probabilities {@code p}, each with its probability. */
  static List<Choice> draw(double[] p, int count, RandomGenerator rng) {
    List<Choice> out = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      int a = sample(p, rng);
      out.add(new Choice(a, p[a]));
    }
    return out;
  }
}
