package io.sextant.engine.bandit;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.space.CategoricalParameter;
import io.sextant.engine.space.FixedParameter;
import io.sextant.engine.space.FloatParameter;
import io.sextant.engine.space.IntParameter;
import io.sextant.engine.space.Parameter;
import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.space.SpaceException;
import io.sextant.engine.space.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The finite arm set of a bandit study, each arm a complete, normalized assignment of the space.
 *
 * <ul>
 *   <li><b>Grid space</b> (the intended use): exactly one non-fixed, unconditional parameter that is categorical, a
 *       stepped float or an int with at most {@link #MAX_GRID} values; fixed parameters ride along. The arms are its
 *       values in order (e.g. {@code omega} stepped 0.05 on [1, 1.95] gives 20 arms).
 *   <li><b>Single continuous float</b>: {@code count} evenly spaced values from low to high (log-spaced on a log
 *       scale).
 *   <li><b>Any other space</b> (several parameters, conditional ones): {@code count} distinct assignments sampled
 *       from the space with a generator seeded by {@code seed}, so the arm set is fixed by the designer options.
 * </ul>
 *
 * A trial is attributed to an arm by its parameters ({@link #indexOf}); trials whose parameters are not an arm
 * (e.g. created by hand) belong to no arm. Immutable and thread-safe.
 */
public final class Arms {
  /** Largest grid used as is. */
  public static final int MAX_GRID = 1024;

  private final List<Map<String, Object>> assignments;
  private final Optional<Parameter> gridParameter;
  private final Map<Map<String, Object>, Integer> index;
  private final SearchSpace space;

  private Arms(SearchSpace space, List<Map<String, Object>> assignments, Optional<Parameter> gridParameter) {
    this.space = space;
    this.assignments = List.copyOf(assignments);
    this.gridParameter = gridParameter;
    Map<Map<String, Object>, Integer> idx = new HashMap<>();
    for (int i = 0; i < assignments.size(); i++) {
      idx.put(assignments.get(i), i);
    }
    this.index = Map.copyOf(idx);
  }

  /** The arms of a grid space (see class doc), or empty when the space is not one. */
  public static Optional<Arms> grid(SearchSpace space) {
    List<Parameter> free = space.parameters().stream().filter(p -> !(p instanceof FixedParameter)).toList();
    if (free.size() != 1 || free.getFirst().condition().isPresent()) {
      return Optional.empty();
    }
    Parameter p = free.getFirst();
    List<Object> values = new ArrayList<>();
    switch (p) {
      case CategoricalParameter c -> values.addAll(c.choices());
      case FloatParameter f when f.step().isPresent() && f.gridSize() <= MAX_GRID -> {
        for (long k = 0; k < f.gridSize(); k++) {
          values.add(Math.min(f.high(), f.low() + k * f.step().getAsDouble()));
        }
      }
      case IntParameter i when !i.log() && i.gridSize() <= MAX_GRID -> {
        for (long k = 0; k < i.gridSize(); k++) {
          values.add(i.low() + k * i.step());
        }
      }
      default -> {
        return Optional.empty();
      }
    }
    if (values.size() < 2) {
      return Optional.empty();
    }
    return Optional.of(new Arms(space, assign(space, p.name(), values), Optional.of(p)));
  }

  /**
   * The arms a bandit designer plays on {@code space}: the grid when it is a grid space, else {@code count} arms
   * (evenly spaced for a single continuous float, sampled with {@code seed} otherwise).
   *
   * @throws ConfigException field {@code space} when the space has no parameter to choose (fixed values only)
   */
  public static Arms forDesigner(SearchSpace space, int count, long seed) {
    Optional<Arms> g = grid(space);
    if (g.isPresent()) {
      return g.get();
    }
    List<Parameter> free = space.parameters().stream().filter(p -> !(p instanceof FixedParameter)).toList();
    if (free.isEmpty()) {
      throw new ConfigException("space", "a bandit needs a parameter to choose (the arms); the space has only fixed "
          + "values");
    }
    if (free.size() == 1 && free.getFirst() instanceof FloatParameter f && f.condition().isEmpty()) {
      List<Object> values = new ArrayList<>();
      for (int k = 0; k < count; k++) {
        double u = count == 1 ? 0 : (double) k / (count - 1);
        double v = f.log() ? Math.exp(Math.log(f.low()) + u * (Math.log(f.high()) - Math.log(f.low())))
            : f.low() + u * (f.high() - f.low());
        values.add(Math.min(f.high(), Math.max(f.low(), v)));
      }
      return new Arms(space, assign(space, f.name(), values), Optional.of(f));
    }
    SplittableRandom rng = new SplittableRandom(seed);
    List<Map<String, Object>> out = new ArrayList<>();
    java.util.Set<Map<String, Object>> seen = new java.util.HashSet<>();
    for (int tries = 0; out.size() < count && tries < 100 * count; tries++) {
      Map<String, Object> a = space.validate(space.sample(rng));
      if (seen.add(a)) {
        out.add(a);
      }
    }
    if (out.size() < 2) {
      throw new ConfigException("space", "the space has fewer than 2 distinct assignments to use as arms");
    }
    return new Arms(space, out, Optional.empty());
  }

  private static List<Map<String, Object>> assign(SearchSpace space, String name, List<Object> values) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object v : values) {
      try {
        out.add(space.validate(Map.of(name, v)));
      } catch (SpaceException e) {
        throw new ConfigException("space", "arm " + v + " is not a legal value: " + e.getMessage());
      }
    }
    return out;
  }

  public int size() {
    return assignments.size();
  }

  /** Arm {@code i}'s complete assignment. */
  public Map<String, Object> assignment(int i) {
    return assignments.get(i);
  }

  public List<Map<String, Object>> assignments() {
    return assignments;
  }

  /** The parameter whose values are the arms, when the arms differ in one parameter only. */
  public Optional<Parameter> gridParameter() {
    return gridParameter;
  }

  /** The arm that {@code params} selects, or -1 (not an arm). Numbers compare by value (1 == 1L == 1.0). */
  public int indexOf(Map<String, Object> params) {
    if (gridParameter.isPresent()) {
      Parameter p = gridParameter.get();
      Object v = params.get(p.name());
      if (v == null) {
        return -1;
      }
      if (v instanceof Number n && p instanceof FloatParameter) {
        double x = n.doubleValue();
        int lo = 0;
        int hi = size() - 1;
        while (lo <= hi) {
          int mid = (lo + hi) >>> 1;
          double a = ((Number) assignments.get(mid).get(p.name())).doubleValue();
          if (Math.abs(a - x) <= 1e-9 * Math.max(1, Math.abs(x))) {
            return mid;
          }
          if (a < x) {
            lo = mid + 1;
          } else {
            hi = mid - 1;
          }
        }
        return -1;
      }
      Object nv;
      try {
        nv = Values.normalize(v);
      } catch (IllegalArgumentException e) {
        return -1;
      }
      for (int i = 0; i < size(); i++) {
        if (assignments.get(i).get(p.name()).equals(nv)) {
          return i;
        }
      }
      return -1;
    }
    try {
      return index.getOrDefault(space.validate(params), -1);
    } catch (SpaceException e) {
      return -1;
    }
  }
}
