package io.sextant.engine.program;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.Options;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Options of the {@code program-evolution} designer, validated.
 *
 * @param population regularized-evolution population: the most recent evaluated trials of the current epoch (padded
 *     with copies of the epoch's seed program while fewer exist)
 * @param tournament members sampled per selection; the best becomes the parent
 * @param warmStarts the initial programs (option {@code warmStart}: a name, a program object, or a list of up to
 *     {@link #MAX_WARM_STARTS} of those); the initial population is copies of them in turn, and each is proposed
 *     first while its fitness is unknown
 * @param plateau restart when this many trials were issued since the epoch's best improved (0: never)
 * @param restartFrom where a restart starts from
 * @param cacheSize hash -> fitness entries kept in the designer state (oldest dropped first)
 * @param maxStatements programs never grow beyond this many statements
 * @param maxAttempts children generated per suggestion while they hit the cache before proposing a duplicate
 * @param mutations the kinds of mutation drawn from (option {@code mutations}, a list of their lower-case names;
 *     default all six; {@code ["insert", "delete", "modify"]} is the paper's set)
 * @param protectAge structural-novelty protection (0: off): a trial whose structure (program hash modulo constants)
 *     no earlier proposal had is protected for this many issued trials after its own: it stays in the population
 *     even when older than the population's window, and it can be drawn through the novelty tournament
 * @param noveltyShare with protection on, the share of parent draws made by a tournament of two among the protected
 *     members, each judged by the best fitness of its structure (its constant variants included), instead of the
 *     ordinary tournament
 * @param tune with protection on, the first this many children a protected structure gets through the novelty
 *     tournament are constant-only edits of its best variant (its constants are tuned before it is judged)
 */
public record EvolutionSettings(int population, int tournament, List<Program> warmStarts, int plateau,
    RestartFrom restartFrom, int cacheSize, int maxStatements, int maxAttempts, List<Mutation> mutations, int protectAge,
    double noveltyShare, int tune) {
  /** Most warm-start programs one study may name. */
  public static final int MAX_WARM_STARTS = 8;

  public EvolutionSettings {
    warmStarts = List.copyOf(warmStarts);
    if (warmStarts.isEmpty()) {
      throw new IllegalArgumentException("at least one warm start is needed");
    }
    if (protectAge < 0 || tune < 0 || !(noveltyShare >= 0 && noveltyShare <= 1)) {
      throw new IllegalArgumentException("protectAge and tune must be >= 0, noveltyShare in [0, 1]");
    }
  }

  /** The settings without structural-novelty protection (the defaults' selection). */
  public EvolutionSettings(int population, int tournament, List<Program> warmStarts, int plateau,
      RestartFrom restartFrom, int cacheSize, int maxStatements, int maxAttempts, List<Mutation> mutations) {
    this(population, tournament, warmStarts, plateau, restartFrom, cacheSize, maxStatements, maxAttempts, mutations,
        0, DEFAULT_NOVELTY_SHARE, DEFAULT_TUNE);
  }

  /** The first warm start. */
  public Program warmStart() {
    return warmStarts.getFirst();
  }

  /** Restart policy on plateau. */
  public enum RestartFrom {
    /** The initial (warm start) program. */
    INITIAL,
    /** The best program found so far. */
    BEST,
    /** Best, then initial, then best, ... */
    ALTERNATE
  }

  public static final Set<String> KNOWN = Set.of("population", "tournament", "seed", "warmStart", "plateau",
      "restartFrom", "cacheSize", "maxStatements", "maxAttempts", "mutations", "protectAge", "noveltyShare", "tune");

  public static final int DEFAULT_POPULATION = 100;
  public static final int DEFAULT_TOURNAMENT = 10;
  public static final int DEFAULT_PLATEAU = 1500;
  public static final int DEFAULT_CACHE = 50_000;
  public static final int DEFAULT_MAX_STATEMENTS = 20;
  public static final int DEFAULT_MAX_ATTEMPTS = 500;
  public static final double DEFAULT_NOVELTY_SHARE = 0.25;
  public static final int DEFAULT_TUNE = 2;

  public static EvolutionSettings parse(Map<String, Object> options) {
    Options o = new Options(options).allowOnly(KNOWN);
    o.getLong("seed", 0);
    int population = o.getInt("population", DEFAULT_POPULATION, 2, 100_000);
    int tournament = o.getInt("tournament", Math.min(DEFAULT_TOURNAMENT, population), 1, 100_000);
    if (tournament > population) {
      throw new ConfigException("tournament", "option 'tournament' must not exceed 'population' (" + population + ")");
    }
    List<Program> warms = warmStarts(options.get("warmStart"));
    int plateau = o.getInt("plateau", DEFAULT_PLATEAU, 0, Integer.MAX_VALUE);
    RestartFrom from = RestartFrom.valueOf(o.getString("restartFrom", "alternate",
        Set.of("initial", "best", "alternate")).toUpperCase(java.util.Locale.ROOT));
    int cache = o.getInt("cacheSize", DEFAULT_CACHE, 0, 10_000_000);
    int maxStatements = o.getInt("maxStatements", DEFAULT_MAX_STATEMENTS, 1, Program.MAX_STATEMENTS);
    int longest = warms.stream().mapToInt(w -> w.body().size()).max().orElseThrow();
    if (longest > maxStatements) {
      throw new ConfigException("maxStatements", "option 'maxStatements' is below the warm start's "
          + longest + " statements");
    }
    int attempts = o.getInt("maxAttempts", DEFAULT_MAX_ATTEMPTS, 1, 1_000_000);
    List<Mutation> kinds = mutations(options.get("mutations"));
    if (kinds.equals(List.of(Mutation.INSERT)) && longest >= maxStatements) {
      throw new ConfigException("maxStatements", "insert-only mutations need room: option 'maxStatements' ("
          + maxStatements + ") must exceed the warm start's " + longest + " statements");
    }
    int protectAge = o.getInt("protectAge", 0, 0, 1_000_000);
    double share = o.getDouble("noveltyShare", DEFAULT_NOVELTY_SHARE);
    if (!(share >= 0 && share <= 1)) {
      throw new ConfigException("noveltyShare", "option 'noveltyShare' must be in [0, 1] (got " + share + ")");
    }
    int tune = o.getInt("tune", DEFAULT_TUNE, 0, 1000);
    return new EvolutionSettings(population, tournament, warms, plateau, from, cache, maxStatements, attempts, kinds,
        protectAge, share, tune);
  }

  private static List<Mutation> mutations(Object value) {
    if (value == null) {
      return List.of(Mutation.values());
    }
    List<String> names = java.util.Arrays.stream(Mutation.values()).map(Mutation::key).toList();
    String expected = "option 'mutations' must be a non-empty list of distinct names from " + names;
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      throw new ConfigException("mutations", expected);
    }
    EnumSet<Mutation> kinds = EnumSet.noneOf(Mutation.class);
    for (Object o : list) {
      int i = o instanceof String n ? names.indexOf(n) : -1;
      if (i < 0 || !kinds.add(Mutation.values()[i])) {
        throw new ConfigException("mutations", expected + " (got " + value + ")");
      }
    }
    return new ArrayList<>(kinds);
  }

  private static List<Program> warmStarts(Object value) {
    if (!(value instanceof List<?> list)) {
      return List.of(warmStart(value));
    }
    if (list.isEmpty() || list.size() > MAX_WARM_STARTS) {
      throw new ConfigException("warmStart", "option 'warmStart' as a list holds 1 to " + MAX_WARM_STARTS
          + " programs (names or program objects), got " + list.size());
    }
    List<Program> out = new ArrayList<>();
    java.util.Set<Long> hashes = new java.util.HashSet<>();
    for (Object o : list) {
      if (o == null || o instanceof List<?>) {
        throw new ConfigException("warmStart", "option 'warmStart': each list element must be a name or a program "
            + "object");
      }
      Program p = warmStart(o);
      if (!hashes.add(ProgramGraph.of(p).hash())) {
        throw new ConfigException("warmStart", "option 'warmStart': the same program twice (" + o + ")");
      }
      out.add(p);
    }
    return out;
  }

  private static Program warmStart(Object value) {
    if (value == null) {
      return ReferencePrograms.adamw();
    }
    if (value instanceof String name) {
      return ReferencePrograms.byName(name).orElseThrow(() -> new ConfigException("warmStart",
          "option 'warmStart' must be a program object or one of " + ReferencePrograms.all().keySet().stream()
              .sorted().toList()));
    }
    try {
      return ProgramJson.fromJson(value);
    } catch (ProgramException e) {
      throw new ConfigException("warmStart", "option 'warmStart': " + e.getMessage());
    }
  }
}
