package io.sextant.engine.bandit;

import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Contextual Tsallis-INF by discretization (the reference's TsallisINFCB), on every field of the context: each numeric
 * field's range seen so far is split into {@code bins} equal bins, each categorical field's categories are bins of
 * their own, a missing field is a bin of its own; a cell is one bin per field, and an independent Tsallis-INF
 * ({@link LossEstimates#tsallis}: own loss estimates, own running-mean scale) runs in every cell.
 *
 * <p>Besides the cells, a pooled Tsallis-INF learns from every pull. A request without any known field (no usable
 * context), or whose cell has no pulls yet, is played by the pooled one, so the designer is a sound non-contextual
 * learner until the cells have data (never uniformly random once anything was learned).
 *
 * <p>The bins are fixed by the contexts of the first {@value #WARMUP} trials (by trial number, so any finishing order
 * gives the same bins): their fields, each numeric field's range, the categories ({@link ContextFeatures}). While
 * those trials finish the bins can move, and the estimates are rebuilt from the snapshot's trials (all of them at
 * that point with the default window). Later a value outside the range falls in the end bin, an unseen category in a
 * bin "?" of its own, and a field first seen after the first {@value #WARMUP} trials is not binned. (Rebuilding
 * whenever a later record value moved the range would forget the trials before the window, which costs far more
 * than the end bins.)
 */
final class BinnedTsallisInfDesigner extends BanditDesigner {
  /** Trials (by number) whose contexts fix the bins. */
  static final int WARMUP = 50;

  private final ContextFeatures features;
  private final int bins;
  private final double rate;

  BinnedTsallisInfDesigner(String name, BanditSettings settings, ContextFeatures features, int bins, double rate) {
    super(name, settings);
    this.features = features;
    this.bins = bins;
    this.rate = rate;
  }

  /** The cell of a context under the given fields: one bin per field, e.g. {@code shift=2|kind=cg|size=-}. */
  String cell(ContextFeatures.Fields fields, Map<?, ?> ctx) {
    StringBuilder b = new StringBuilder();
    for (ContextFeatures.Field f : fields.byName().values()) {
      if (f.kind() == ContextFeatures.Kind.DROPPED) {
        continue;
      }
      Object v = ctx.get(f.name());
      String bin;
      if (f.kind() == ContextFeatures.Kind.NUMBER) {
        Double x = ContextFeatures.number(v);
        if (x == null) {
          bin = "-";
        } else {
          double u = (f.unit(x) + 1) / 2 * bins;
          bin = Integer.toString((int) Math.max(0, Math.min(bins - 1, Math.floor(u))));
        }
      } else {
        bin = v == null ? "-" : v instanceof String s && f.categories().contains(s) ? s : "?";
      }
      if (!b.isEmpty()) {
        b.append('|');
      }
      b.append(f.name()).append('=').append(bin);
    }
    return b.toString();
  }

  /** Whether a request context has any known field. */
  private static boolean usable(ContextFeatures.Fields fields, Map<?, ?> ctx) {
    for (ContextFeatures.Field f : fields.byName().values()) {
      if (f.kind() != ContextFeatures.Kind.DROPPED && ctx.containsKey(f.name())) {
        return true;
      }
    }
    return false;
  }

  final class Cells implements Stats {
    final ContextFeatures.Fields fields;
    final LossEstimates pooled;
    final TreeMap<String, LossEstimates> cells = new TreeMap<>();

    Cells(ContextFeatures.Fields fields) {
      this.fields = fields;
      this.pooled = new LossEstimates(arms.size(), rate);
    }

    @Override
    public void add(int arm, double cost, TrialView trial) {
      pooled.add(arm, cost, trial);
      Map<?, ?> ctx = features.enabled() ? ContextStats.context(trial) : Map.of();
      cells.computeIfAbsent(cell(fields, ctx), k -> new LossEstimates(arms.size(), rate)).add(arm, cost, trial);
    }

    @Override
    public Map<String, Object> toJson() {
      Map<String, Object> c = new LinkedHashMap<>();
      cells.forEach((k, v) -> c.put(k, v.toJson()));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("fields", fields.toJson());
      m.put("pooled", pooled.toJson());
      m.put("cells", c);
      return m;
    }
  }

  @Override
  Stats emptyStats() {
    return new Cells(ContextFeatures.Fields.NONE);
  }

  /** The bins of a rebuild: the fields of the trials to fold that are among the first {@value #WARMUP}. */
  @Override
  Stats emptyStats(List<TrialView> trials) {
    ContextFeatures.Fields f = ContextFeatures.Fields.NONE;
    if (features.enabled()) {
      for (TrialView t : trials) {
        if (t.number() <= WARMUP) {
          f = features.observe(f, ContextStats.context(t));
        }
      }
    }
    return new Cells(f);
  }

  @Override
  boolean outgrows(Stats cached, TrialView trial) {
    Cells c = (Cells) cached;
    return features.enabled() && trial.number() <= WARMUP
        && features.observe(c.fields, ContextStats.context(trial)) != c.fields;
  }

  @Override
  Stats readStats(Map<?, ?> json) {
    ContextFeatures.Fields f = ContextFeatures.Fields.read(json.get("fields"));
    for (String name : f.byName().keySet()) {
      if (!features.uses(name)) {
        throw new IllegalArgumentException("field " + name + " is not used");
      }
    }
    Cells c = new Cells(f);
    LossEstimates p = LossEstimates.read((Map<?, ?>) json.get("pooled"), arms.size(), rate);
    System.arraycopy(p.lhat, 0, c.pooled.lhat, 0, arms.size());
    System.arraycopy(p.invp, 0, c.pooled.invp, 0, arms.size());
    c.pooled.pulls = p.pulls;
    c.pooled.costSum = p.costSum;
    for (Map.Entry<?, ?> e : ((Map<?, ?>) json.get("cells")).entrySet()) {
      c.cells.put((String) e.getKey(), LossEstimates.read((Map<?, ?>) e.getValue(), arms.size(), rate));
    }
    return c;
  }

  @Override
  List<Choice> choose(Stats stats, Map<String, Object> ctx, int count, RandomGenerator rng) {
    Cells c = (Cells) stats;
    LossEstimates e = c.pooled;
    if (features.enabled() && usable(c.fields, ctx)) {
      LossEstimates cell = c.cells.get(cell(c.fields, ctx));
      if (cell != null && cell.pulls > 0) {
        e = cell;
      }
    }
    return draw(e.tsallis(rate), count, rng);
  }

  /** Number of cells with pulls (for tests). */
  static int cellCount(Stats stats) {
    return ((Cells) stats).cells.size();
  }

  static List<String> cellNames(Stats stats) {
    return new ArrayList<>(((Cells) stats).cells.keySet());
  }
}
