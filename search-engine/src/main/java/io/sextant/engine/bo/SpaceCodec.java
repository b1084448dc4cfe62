package io.sextant.engine.bo;

import io.sextant.engine.space.CategoricalParameter;
import io.sextant.engine.space.FixedParameter;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.IntParameter;
import io.sextant.engine.space.Parameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.space.Values;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps assignments of a {@link SearchSpace} to feature vectors of the unit cube {@code [0,1]^D} and back, for the
 * GP surrogate. Immutable and thread-safe; all methods are pure.
 *
 * <p>Layout, in space order: a float or int parameter takes one coordinate, {@code (v - low) / (high - low)} or the
 * same in log space for log parameters; a categorical parameter with k choices takes k one-hot coordinates; fixed
 * parameters take none. Decoding snaps to the parameter's grid (step, integers: nearest legal value; categoricals:
 * largest coordinate), so {@link #round} projects any point of the cube onto a legal assignment.
 *
 * <p>Conditional parameters: an <b>inactive</b> parameter encodes as a neutral constant (0.5 for numeric
 * coordinates, all zeros for one-hot coordinates) and no extra "active" indicator is added: whether a child is
 * active is a deterministic function of its parents' coordinates, which the GP already sees. Decoding evaluates the
 * conditions in order and leaves inactive parameters out, so a decoded point always has exactly the active ones.
 * Values that are missing or outside the space (e.g. from an edited history) encode as inactive.
 */
public final class SpaceCodec {
  /** Encoded value of an inactive numeric parameter. */
  public static final double INACTIVE = 0.5;

  private final SearchSpace space;
  private final int[] offset;
  private final int dimensions;

  public SpaceCodec(SearchSpace space) {
    this.space = space;
    this.offset = new int[space.parameters().size()];
    int d = 0;
    for (int i = 0; i < offset.length; i++) {
      offset[i] = d;
      d += width(space.parameters().get(i));
    }
    this.dimensions = d;
  }

  private static int width(Parameter p) {
    return switch (p) {
      case FixedParameter f -> 0;
      case CategoricalParameter c -> c.choices().size();
      case FloatParameter f -> 1;
      case IntParameter n -> 1;
    };
  }

  public SearchSpace space() {
    return space;
  }

  /** D, the length of every feature vector. */
  public int dimensions() {
    return dimensions;
  }

  /** Feature vector (length D, every coordinate in [0, 1]) of an assignment; never fails. */
  public double[] encode(Map<String, ?> assignment) {
    double[] f = new double[dimensions];
    for (int i = 0; i < offset.length; i++) {
      Parameter p = space.parameters().get(i);
      Object raw = assignment.get(p.name());
      Object v = null;
      if (raw != null) {
        try {
          v = Values.normalize(raw);
        } catch (IllegalArgumentException e) {
          v = null;
        }
      }
      int o = offset[i];
      switch (p) {
        case FixedParameter fp -> { }
        case CategoricalParameter c -> {
          int idx = v == null ? -1 : c.indexOf(v);
          if (idx >= 0) {
            f[o + idx] = 1.0;
          }
        }
        case FloatParameter fp -> {
          double x = v instanceof Number n ? n.doubleValue() : Double.NaN;
          f[o] = x >= fp.low() && x <= fp.high() ? unit(x, fp.low(), fp.high(), fp.log()) : INACTIVE;
        }
        case IntParameter ip -> {
          double x = v instanceof Long n ? n : Double.NaN;
          f[o] = x >= ip.low() && x <= ip.high() ? unit(x, ip.low(), ip.high(), ip.log()) : INACTIVE;
        }
      }
    }
    return f;
  }

  private static double unit(double x, double low, double high, boolean log) {
    double u = log ? (Math.log(x) - Math.log(low)) / (Math.log(high) - Math.log(low)) : (x - low) / (high - low);
    return Math.min(1.0, Math.max(0.0, u));
  }

  private static double fromUnit(double u, double low, double high, boolean log) {
    u = Double.isNaN(u) ? 0.5 : Math.min(1.0, Math.max(0.0, u));
    double x = log ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low);
    return Math.min(high, Math.max(low, x));
  }

  /**
   * The legal assignment nearest to a feature vector (length D; coordinates are clamped to [0, 1]): exactly the
   * active parameters, values normalized as {@link SearchSpace#validate} returns them.
   */
  public Map<String, Object> decode(double[] f) {
    if (f.length != dimensions) {
      throw new IllegalArgumentException("expected " + dimensions + " features, got " + f.length);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < offset.length; i++) {
      Parameter p = space.parameters().get(i);
      if (!p.condition().map(c -> c.holds(out)).orElse(true)) {
        continue;
      }
      int o = offset[i];
      Object value = switch (p) {
        case FixedParameter fp -> fp.value();
        case CategoricalParameter c -> {
          int best = 0;
          for (int k = 1; k < c.choices().size(); k++) {
            if (f[o + k] > f[o + best]) {
              best = k;
            }
          }
          yield c.choices().get(best);
        }
        case FloatParameter fp -> {
          double x = fromUnit(f[o], fp.low(), fp.high(), fp.log());
          if (fp.step().isPresent()) {
            double s = fp.step().getAsDouble();
            long k = Math.max(0, Math.min(fp.gridSize() - 1, Math.round((x - fp.low()) / s)));
            x = Math.min(fp.high(), fp.low() + k * s);
          }
          yield x + 0.0;
        }
        case IntParameter ip -> {
          double x = fromUnit(f[o], ip.low(), ip.high(), ip.log());
          long k = Math.max(0, Math.min(ip.gridSize() - 1, Math.round((x - ip.low()) / ip.step())));
          yield ip.low() + k * ip.step();
        }
      };
      out.put(p.name(), value);
    }
    return out;
  }

  /** {@code encode(decode(f))}: the feature vector of the nearest legal assignment. */
  public double[] round(double[] f) {
    return encode(decode(f));
  }
}
