package io.sextant.engine.bandit;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerState;
import io.sextant.engine.designer.StateCodec;
import io.sextant.engine.designer.TrialFold;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.SnapshotNeeds;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * <p><b>State.</b> The statistics are sums over trials, so they do not depend on the order of folding; they are kept
 * by {@link TrialFold} (watermark and folded trial numbers) in a {@link StateCodec} of version
 * {@value #STATE_VERSION} with the arm count. Each call folds only the finished, not yet folded trials of the
 * snapshot, so the cost per suggestion is independent of the study's length. The state is rebuilt from the
 * snapshot's trials when it is missing, corrupt, of another version, was written by another designer or arm set,
 * names a folded trial that the snapshot shows pending, or when the snapshot's window starts after W + 1 (trials
 * between were not loaded); with more than {@code window} trials such a rebuild sees only the last {@code window}
 * of them (a sliding-window estimate; with a valid state this never happens). So the state is a pure cache
 * ({@link DesignerState.Role#CACHE}) while a study has at most {@code window} trials.
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

  /** Up-to-date statistics and the state to store. */
  record Folded(Stats stats, Map<String, Object> state) {}

  @Override
  public final Optional<StateCodec<?>> stateCodec() {
    return Optional.of(codec());
  }

  /**
   * A pure cache while the study has at most {@code window} trials: sums over trials, rebuilt from them when lost.
   * Beyond the window a rebuild sees only the last {@code window} trials (see the class doc).
   */
  @Override
  public final DesignerState.Role stateRole() {
    return DesignerState.Role.CACHE;
  }

  /** The state: {@link TrialFold}'s bookkeeping plus {@code arms} (the arm count) and {@code stats}. */
  private StateCodec<TrialFold.Folded<Stats>> codec() {
    return TrialFold.codec(name, STATE_VERSION, stats -> {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("arms", (long) arms.size());
      out.put("stats", stats.toJson());
      return out;
    }, fields -> {
      if (DesignerState.longField(fields, "arms") != arms.size()) {
        throw new IllegalArgumentException("state written for another arm set");
      }
      return readStats(DesignerState.mapField(fields, "stats"));
    });
  }

  /** Brings the statistics up to date with the snapshot ({@link TrialFold}). Visible for tests. */
  final Folded fold(StudySnapshot study) {
    StateCodec<TrialFold.Folded<Stats>> codec = codec();
    TrialFold.Folded<Stats> f = TrialFold.fold(study, DesignerState.read(study.state(), codec),
        new TrialFold.Folder<>() {
          @Override
          public Stats empty(List<TrialView> finished) {
            return emptyStats(finished);
          }

          @Override
          public void add(Stats stats, TrialView t) {
            int arm = arms.indexOf(t.params());
            double cost = cost(t);
            if (arm >= 0 && !Double.isNaN(cost)) {
              stats.add(arm, cost, t);
            }
          }

          @Override
          public boolean outgrows(Stats stats, TrialView t) {
            return BanditDesigner.this.outgrows(stats, t);
          }
        });
    return new Folded(f.summary(), DesignerState.write(codec, f));
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
