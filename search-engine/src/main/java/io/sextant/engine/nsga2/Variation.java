package io.sextant.engine.nsga2;

import io.sextant.engine.space.CategoricalParameter;
import io.sextant.engine.space.FixedParameter;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.IntParameter;
import io.sextant.engine.space.Parameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.space.Values;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.random.RandomGenerator;

/**
 * Crossover and mutation on assignments of a {@link SearchSpace}. Numeric parameters are encoded as a real gene on
 * an interval: linear floats on [low, high], log floats on [ln low, ln high], stepped floats and linear integers on
 * [low - step/2, high + step/2] (so every grid value owns an equal share), log integers on the log of
 * [low - 1/2, high + 1/2] as {@link IntParameter#fromUnit} samples them; genes are decoded by rounding to the nearest
 * legal value, so children are always in range and on the step grid. Numeric genes get SBX (each gene recombined
 * with probability 1/2, as in Deb's and jMetal's implementation) and polynomial mutation (Deb's bounded form);
 * categorical ones uniform crossover and random reset. Conditional parameters are decided in space order on the
 * child: an active parameter that both parents carry is recombined, one that only one parent carries is inherited,
 * one that neither carries is drawn from the prior. Immutable and thread-safe.
 */
final class Variation {
  private final SearchSpace space;
  private final double crossoverProb;
  private final double etaC;
  private final double etaM;
  private final double mutationProb;

  Variation(SearchSpace space, double crossoverProb, double etaC, double etaM, OptionalDouble mutationProb) {
    this.space = space;
    this.crossoverProb = crossoverProb;
    this.etaC = etaC;
    this.etaM = etaM;
    int searched = 0;
    for (Parameter p : space.parameters()) {
      searched += p instanceof FixedParameter ? 0 : 1;
    }
    this.mutationProb = mutationProb.orElse(1.0 / Math.max(1, searched));
  }

  /** One child of two parent assignments (either may hold illegal or missing values, which are ignored). */
  Map<String, Object> child(Map<String, Object> a, Map<String, Object> b, RandomGenerator rng) {
    boolean cross = rng.nextDouble() < crossoverProb;
    Map<String, Object> out = new LinkedHashMap<>();
    for (Parameter p : space.parameters()) {
      if (!p.condition().map(c -> c.holds(out)).orElse(true)) {
        continue;
      }
      if (p instanceof FixedParameter f) {
        out.put(p.name(), f.value());
        continue;
      }
      Object va = legal(p, a.get(p.name()));
      Object vb = legal(p, b.get(p.name()));
      Object v;
      if (va == null && vb == null) {
        v = p.fromUnit(rng.nextDouble());
      } else if (va == null || vb == null) {
        v = va == null ? vb : va;
      } else if (!cross) {
        v = va;
      } else if (p instanceof CategoricalParameter) {
        v = rng.nextBoolean() ? va : vb;
      } else {
        v = decode(p, sbx(encode(p, va), encode(p, vb), lower(p), upper(p), rng));
      }
      if (rng.nextDouble() < mutationProb) {
        v = p instanceof CategoricalParameter c
            ? c.choices().get(rng.nextInt(c.choices().size()))
            : decode(p, polynomialMutation(encode(p, v), lower(p), upper(p), rng));
      }
      out.put(p.name(), v);
    }
    return out;
  }

  /** The normalized value when legal for p, else null (absent, wrong type, outside the space). */
  private static Object legal(Parameter p, Object raw) {
    if (raw == null) {
      return null;
    }
    try {
      Object v = Values.normalize(raw);
      if (p instanceof FloatParameter && v instanceof Long l) {
        v = (double) l;
      }
      return p.contains(v) ? v : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static double lower(Parameter p) {
    return switch (p) {
      case FloatParameter f when f.log() -> Math.log(f.low());
      case FloatParameter f when f.step().isPresent() -> f.low() - f.step().getAsDouble() / 2;
      case FloatParameter f -> f.low();
      case IntParameter i when i.log() -> Math.log(i.low() - 0.5 > 0 ? i.low() - 0.5 : i.low() * 0.5);
      case IntParameter i -> i.low() - i.step() / 2.0;
      default -> throw new IllegalStateException("not numeric: " + p.name());
    };
  }

  static double upper(Parameter p) {
    return switch (p) {
      case FloatParameter f when f.log() -> Math.log(f.high());
      case FloatParameter f when f.step().isPresent() -> f.low() + (f.gridSize() - 0.5) * f.step().getAsDouble();
      case FloatParameter f -> f.high();
      case IntParameter i when i.log() -> Math.log(i.high() + 0.5);
      case IntParameter i -> i.low() + (i.gridSize() - 0.5) * i.step();
      default -> throw new IllegalStateException("not numeric: " + p.name());
    };
  }

  static double encode(Parameter p, Object v) {
    double x = ((Number) v).doubleValue();
    boolean log = p instanceof FloatParameter f ? f.log() : ((IntParameter) p).log();
    return log ? Math.log(x) : x;
  }

  /** The legal value nearest to gene x (Double for floats, Long for integers). */
  static Object decode(Parameter p, double x) {
    if (p instanceof FloatParameter f) {
      if (f.step().isPresent()) {
        double s = f.step().getAsDouble();
        long k = Math.max(0, Math.min(f.gridSize() - 1, Math.round((x - f.low()) / s)));
        return Math.min(f.high(), f.low() + k * s) + 0.0;
      }
      double v = f.log() ? Math.exp(x) : x;
      return Math.max(f.low(), Math.min(f.high(), v)) + 0.0;
    }
    IntParameter i = (IntParameter) p;
    if (i.log()) {
      long v = Math.round(Math.exp(x));
      return Math.max(i.low(), Math.min(i.high(), v));
    }
    long k = Math.max(0, Math.min(i.gridSize() - 1, Math.round((x - i.low()) / i.step())));
    return i.low() + k * i.step();
  }

  /**
   * Simulated binary crossover with bounds (Deb and Agrawal 1995, in the bounded form of Deb's NSGA-II code): with
   * probability 1/2 the gene is recombined into two children spread around the parents according to etaC, and one
   * of the two (swapped with probability 1/2) is returned; otherwise the first parent's gene.
   */
  double sbx(double x1, double x2, double lb, double ub, RandomGenerator rng) {
    if (rng.nextDouble() >= 0.5 || Math.abs(x1 - x2) <= 1e-14 || !(ub > lb)) {
      return x1;
    }
    double y1 = Math.min(x1, x2);
    double y2 = Math.max(x1, x2);
    double u = rng.nextDouble();
    double beta = 1.0 + 2.0 * (y1 - lb) / (y2 - y1);
    double c1 = 0.5 * (y1 + y2 - betaQ(beta, u) * (y2 - y1));
    beta = 1.0 + 2.0 * (ub - y2) / (y2 - y1);
    double c2 = 0.5 * (y1 + y2 + betaQ(beta, u) * (y2 - y1));
    c1 = Math.max(lb, Math.min(ub, c1));
    c2 = Math.max(lb, Math.min(ub, c2));
    return rng.nextBoolean() ? c1 : c2;
  }

  private double betaQ(double beta, double u) {
    double alpha = 2.0 - Math.pow(beta, -(etaC + 1.0));
    return u <= 1.0 / alpha
        ? Math.pow(u * alpha, 1.0 / (etaC + 1.0))
        : Math.pow(1.0 / (2.0 - u * alpha), 1.0 / (etaC + 1.0));
  }

  /** Deb's bounded polynomial mutation of one gene. */
  double polynomialMutation(double x, double lb, double ub, RandomGenerator rng) {
    double range = ub - lb;
    if (!(range > 0)) {
      return x;
    }
    double d1 = (x - lb) / range;
    double d2 = (ub - x) / range;
    double u = rng.nextDouble();
    double pow = 1.0 / (etaM + 1.0);
    double dq;
    if (u < 0.5) {
      double val = 2.0 * u + (1.0 - 2.0 * u) * Math.pow(1.0 - d1, etaM + 1.0);
      dq = Math.pow(val, pow) - 1.0;
    } else {
      double val = 2.0 * (1.0 - u) + 2.0 * (u - 0.5) * Math.pow(1.0 - d2, etaM + 1.0);
      dq = 1.0 - Math.pow(val, pow);
    }
    return Math.max(lb, Math.min(ub, x + dq * range));
  }
}
