package io.sextant.engine.program;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.DesignerState;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.SnapshotNeeds;
import io.sextant.engine.designer.StateCodec;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Regularized evolution over optimizer programs (Real et al. 2019; Chen et al. 2023), pure over the study's trials.
 *
 * <p>Each suggestion: the population is the most recent {@code population} evaluated trials of the current epoch
 * (fewer at first: padded with copies of the epoch's seed programs in turn, so the initial population is all warm
 * starts);
 * {@code tournament} members are sampled uniformly, the fittest (lowest fitness) is mutated until the child's graph
 * hash differs from the parent's. A child whose hash was already evaluated is not proposed: its cached fitness is
 * reused (the child joins the population, the oldest member leaves, for the rest of this call) and another child is
 * drawn; a child equal to a pending or just-proposed one is skipped. The epoch's seed programs themselves are proposed
 * first while its fitness is unknown. When {@code plateau} trials were issued since the epoch's best improved, a
 * new epoch starts from the best program or the initial one.
 *
 * <p>Fitness = the objective value turned into a value to minimize; FAILED, PRUNED, INFEASIBLE and non-finite
 * results count as the worst fitness. Trials whose params hold no valid program are ignored.
 *
 * <p>State (a {@link StateCodec} of version {@value #STATE_VERSION}; memory, not a pure cache): {@code cache}
 * (hash -> fitness, oldest first), {@code hits} and {@code misses} of the dedup cache, {@code epoch},
 * {@code epochStart} (first trial number of the epoch), {@code epochSeeds} (programs), {@code epochBestFitness},
 * {@code epochBestTrial}, {@code best} (program, fitness, trial). Without the state (absent, corrupt, foreign) a
 * study restarts its bookkeeping at epoch 0 but keeps every trial's knowledge in the window, so its proposals
 * differ from those it would have made with the state. Immutable and thread-safe; randomness only from the generator passed to {@link #suggest}.
 */
public final class ProgramEvolutionDesigner implements Designer {
  /** The params key holding the program JSON. */
  public static final String PARAM = "program";
  /** Fitness of failed, pruned, infeasible and non-finite trials (finite, so the state stays plain JSON). */
  public static final double WORST = Double.MAX_VALUE;

  /** Parents in a row that no allowed mutation changed before a suggestion call gives up (fewer suggestions). */
  static final int MAX_STUCK = 32;

  private final StudyProblem problem;
  private final EvolutionSettings settings;
  private final Mutator mutator;
  private final double sign;

  public ProgramEvolutionDesigner(StudyProblem problem, EvolutionSettings settings) {
    this.problem = problem;
    this.settings = settings;
    this.mutator = new Mutator(settings.maxStatements(), settings.mutations());
    this.sign = problem.objectives().get(0).direction().toMinimization();
  }

  public EvolutionSettings settings() {
    return settings;
  }

  /** Reads the population's trials plus slack for pending ones interleaved with them. */
  @Override
  public SnapshotNeeds needs() {
    long w = 2L * settings.population() + 100;
    return new SnapshotNeeds(SnapshotNeeds.Reads.ALL_TRIALS, (int) Math.min(Integer.MAX_VALUE, w));
  }

  /**
   * A population member; {@code structure} (graph hash modulo constants) is set only with protection on,
   * {@code novel} when its proposal was the first of its structure.
   */
  private record Member(Program program, String hash, double fitness, long trial, String structure, boolean novel) {
    Member(Program program, String hash, double fitness, long trial) {
      this(program, hash, fitness, trial, null, false);
    }
  }

  /** Mutable bookkeeping of one call, initialized from the previous state. */
  private static final class Book {
    final LinkedHashMap<String, Double> cache = new LinkedHashMap<>();
    long hits;
    long misses;
    long epoch;
    long epochStart = 1;
    List<Program> epochSeeds;
    double epochBestFitness = Double.POSITIVE_INFINITY;
    long epochBestTrial;
    Program best;
    double bestFitness = Double.POSITIVE_INFINITY;
    long bestTrial;
    /** Structures (graph hash modulo constants) proposed or evaluated so far, oldest first (protection only). */
    final java.util.LinkedHashSet<String> structures = new java.util.LinkedHashSet<>();
  }

  @Override
  public Proposal suggest(StudySnapshot study, int count, RandomGenerator rng) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1 (got " + count + ")");
    }
    Book book = readState(study.state());
    boolean protecting = settings.protectAge() > 0;
    Set<String> pending = new HashSet<>();
    List<Member> epochMembers = new ArrayList<>();
    // protection: how many tuning children each structure has had (evaluated or pending)
    Map<String, Integer> tuned = new java.util.HashMap<>();
    for (TrialView t : study.trials()) {
      Optional<Program> p = programOf(t.params());
      if (p.isEmpty()) {
        continue;
      }
      ProgramGraph graph = ProgramGraph.of(p.get());
      String hash = graph.hashHex();
      String structure = null;
      if (protecting) {
        structure = graph.structureHex();
        addStructure(book, structure);
        if (t.metadata().get("tuneOf") instanceof String of) {
          tuned.merge(of, 1, Integer::sum);
        }
      }
      if (t.state().isPending()) {
        pending.add(hash);
        continue;
      }
      double fit = fitness(t);
      put(book, hash, fit);
      if (fit < book.bestFitness) {
        book.bestFitness = fit;
        book.best = p.get();
        book.bestTrial = t.number();
      }
      if (t.number() >= book.epochStart) {
        epochMembers.add(new Member(p.get(), hash, fit, t.number(), structure,
            protecting && Boolean.TRUE.equals(t.metadata().get("novel"))));
        if (fit < book.epochBestFitness) {
          book.epochBestFitness = fit;
          book.epochBestTrial = t.number();
        }
      }
    }
    // plateau: restart with a new epoch
    long sinceImprovement = study.issuedCount() - Math.max(book.epochBestTrial, book.epochStart - 1);
    String restartOrigin = "";
    if (settings.plateau() > 0 && sinceImprovement >= settings.plateau() && book.best != null) {
      book.epoch++;
      boolean fromBest = switch (settings.restartFrom()) {
        case BEST -> true;
        case INITIAL -> false;
        case ALTERNATE -> book.epoch % 2 == 1;
      };
      book.epochSeeds = fromBest ? List.of(book.best) : settings.warmStarts();
      restartOrigin = fromBest ? "restart-best" : "restart-initial";
      book.epochStart = study.issuedCount() + 1;
      book.epochBestTrial = study.issuedCount();
      book.epochBestFitness = book.epochSeeds.stream()
          .mapToDouble(p -> book.cache.getOrDefault(ProgramGraph.of(p).hashHex(), Double.POSITIVE_INFINITY))
          .min().orElse(Double.POSITIVE_INFINITY);
      epochMembers.clear();
    }
    List<Program> seeds = book.epochSeeds;
    List<String> seedHashes = seeds.stream().map(p -> ProgramGraph.of(p).hashHex()).toList();
    ArrayDeque<Member> population = new ArrayDeque<>();
    int from = Math.max(0, epochMembers.size() - settings.population());
    // padding: copies of the epoch's seed programs in turn
    for (int i = epochMembers.size() - from, k = 0; i < settings.population(); i++, k++) {
      int j = k % seeds.size();
      population.add(new Member(seeds.get(j), seedHashes.get(j), book.cache.getOrDefault(seedHashes.get(j), WORST),
          -1));
    }
    population.addAll(epochMembers.subList(from, epochMembers.size()));
    // protection: novel members younger than protectAge, also those older than the window; their structure's best
    List<Member> kept = new ArrayList<>();
    Map<String, Member> structureBest = new java.util.HashMap<>();
    if (protecting) {
      for (Member m : epochMembers) {
        structureBest.merge(m.structure(), m, (a, b) -> b.fitness() < a.fitness() ? b : a);
      }
      for (int i = 0; i < from; i++) {
        if (isProtected(epochMembers.get(i), study.issuedCount())) {
          kept.add(epochMembers.get(i));
        }
      }
    }

    List<Suggestion> out = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      Map<String, Object> meta = new LinkedHashMap<>();
      Program child;
      String childHash;
      int unscored = -1;
      for (int j = 0; j < seeds.size() && unscored < 0; j++) {
        if (!book.cache.containsKey(seedHashes.get(j)) && !pending.contains(seedHashes.get(j))) {
          unscored = j;
        }
      }
      if (unscored >= 0) {
        child = seeds.get(unscored);
        childHash = seedHashes.get(unscored);
        meta.put("origin", restartOrigin.isEmpty() ? (book.epoch == 0 ? "warm-start" : "restart") : restartOrigin);
        book.misses++;
      } else {
        Member parent = null;
        Mutator.Result r = null;
        childHash = null;
        int stuck = 0;
        String tuneOf = null;
        for (int attempt = 0; attempt < settings.maxAttempts(); attempt++) {
          // a parent that no allowed mutation can change (insert-only at the statement limit, delete-only on an
          // empty program) is passed over for uniformly drawn members, MAX_STUCK times at most
          Member candidate;
          tuneOf = null;
          Optional<Mutator.Result> mutated = Optional.empty();
          List<Member> guarded = protecting && stuck == 0
              ? protectedMembers(population, kept, study.issuedCount()) : List.of();
          if (!guarded.isEmpty() && rng.nextDouble() < settings.noveltyShare()) {
            // the novelty tournament: two protected members, each judged by its structure's best variant
            Member a = guarded.get(rng.nextInt(guarded.size()));
            Member b = guarded.get(rng.nextInt(guarded.size()));
            Member winner = structureBest.getOrDefault(b.structure(), b).fitness()
                < structureBest.getOrDefault(a.structure(), a).fitness() ? b : a;
            // the structure breeds from its best variant; its first children tune that variant's constants
            candidate = structureBest.getOrDefault(winner.structure(), winner);
            if (tuned.getOrDefault(candidate.structure(), 0) < settings.tune()) {
              mutated = mutator.tuneConstant(candidate.program(), rng);
              if (mutated.isPresent()) {
                tuneOf = candidate.structure();
              }
            }
          } else {
            candidate = stuck == 0 ? tournament(population, kept, rng) : uniform(population, rng);
          }
          if (tuneOf == null) {
            mutated = mutator.tryMutate(candidate.program(), rng);
          }
          if (mutated.isEmpty()) {
            if (++stuck >= MAX_STUCK) {
              break;
            }
            continue;
          }
          stuck = 0;
          parent = candidate;
          r = mutated.get();
          childHash = ProgramGraph.of(r.child()).hashHex();
          Double cached = book.cache.get(childHash);
          if (cached != null) {
            book.hits++;
            if (tuneOf != null) {
              tuned.merge(tuneOf, 1, Integer::sum); // a known variant counts as a tuning step
            }
            population.addLast(new Member(r.child(), childHash, cached, -1,
                protecting ? ProgramGraph.of(r.child()).structureHex() : null, false));
            population.removeFirst();
            continue;
          }
          if (pending.contains(childHash)) {
            book.hits++;
            continue;
          }
          break;
        }
        if (r == null) {
          break; // exhausted: the allowed mutations change none of the programs tried; fewer suggestions
        }
        if (book.cache.containsKey(childHash) || pending.contains(childHash)) {
          meta.put("duplicate", true);
        } else {
          book.misses++;
        }
        child = r.child();
        meta.put("origin", "mutation");
        meta.put("parentHash", parent.hash());
        if (parent.trial() > 0) {
          meta.put("parentTrial", parent.trial());
        }
        meta.put("edits", r.edits().stream().map(Mutation::key).toList());
        if (tuneOf != null) {
          meta.put("tuneOf", tuneOf);
          tuned.merge(tuneOf, 1, Integer::sum);
        }
      }
      if (protecting) {
        String structure = ProgramGraph.of(child).structureHex();
        meta.put("structure", structure);
        if (!book.structures.contains(structure)) {
          meta.put("novel", true);
        }
        addStructure(book, structure);
      }
      pending.add(childHash);
      meta.put("hash", childHash);
      meta.put("epoch", book.epoch);
      meta.put("liveStatements", (long) child.liveSize());
      meta.put("cacheHitRate", hitRate(book));
      out.add(new Suggestion(Map.of(PARAM, ProgramJson.toJson(child)), meta));
    }
    return new Proposal(out, Optional.of(DesignerState.write(stateCodec, book)));
  }

  /** With protection: a member is protected while it is novel and fewer than protectAge trials were issued since. */
  private boolean isProtected(Member m, long issued) {
    return m.novel() && m.trial() > 0 && issued - m.trial() < settings.protectAge();
  }

  private List<Member> protectedMembers(ArrayDeque<Member> population, List<Member> kept, long issued) {
    List<Member> out = new ArrayList<>(kept);
    for (Member m : population) {
      if (isProtected(m, issued)) {
        out.add(m);
      }
    }
    return out;
  }

  private void addStructure(Book book, String structure) {
    if (settings.cacheSize() == 0 || !book.structures.add(structure)) {
      return;
    }
    while (book.structures.size() > settings.cacheSize()) {
      book.structures.remove(book.structures.iterator().next());
    }
  }

  private Member tournament(ArrayDeque<Member> population, List<Member> kept, RandomGenerator rng) {
    List<Member> list = new ArrayList<>(population);
    list.addAll(kept);
    Member best = null;
    for (int i = 0; i < settings.tournament(); i++) {
      Member m = list.get(rng.nextInt(list.size()));
      if (best == null || m.fitness() < best.fitness()) {
        best = m;
      }
    }
    return best;
  }

  private static Member uniform(ArrayDeque<Member> population, RandomGenerator rng) {
    int skip = rng.nextInt(population.size());
    java.util.Iterator<Member> it = population.iterator();
    for (int i = 0; i < skip; i++) {
      it.next();
    }
    return it.next();
  }

  private static double hitRate(Book b) {
    long total = b.hits + b.misses;
    return total == 0 ? 0.0 : (double) b.hits / total;
  }

  private double fitness(TrialView t) {
    if (t.state() != TrialState.COMPLETED || t.values().length == 0) {
      return WORST;
    }
    double v = t.values()[0] * sign;
    return Double.isFinite(v) ? Math.min(v, WORST) : WORST;
  }

  private void put(Book book, String hash, double fit) {
    if (settings.cacheSize() == 0) {
      return;
    }
    book.cache.remove(hash);
    book.cache.put(hash, fit);
    while (book.cache.size() > settings.cacheSize()) {
      book.cache.remove(book.cache.keySet().iterator().next());
    }
  }

  /** The program of a trial's params, when present and valid. */
  public static Optional<Program> programOf(Map<String, Object> params) {
    Object json = params.get(PARAM);
    if (json == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ProgramJson.fromJson(json));
    } catch (ProgramException e) {
      return Optional.empty();
    }
  }

  // ------------------------------------------------------------------------------------------------- state I/O

  /** Stored state version; version 1 keeps the cache as an ordered list (jsonb does not keep object key order). */
  static final int STATE_VERSION = 1;

  @Override
  public Optional<StateCodec<?>> stateCodec() {
    return Optional.of(stateCodec);
  }

  /**
   * Memory, not a cache: epochs, the epoch's seed and best, and the fitness of programs evaluated before the window
   * are not in the snapshot's trials; without the state a study restarts its bookkeeping at epoch 0.
   */
  @Override
  public DesignerState.Role stateRole() {
    return DesignerState.Role.MEMORY;
  }

  private Book readState(Optional<Map<String, Object>> state) {
    return DesignerState.read(state, stateCodec).orElseGet(this::freshBook);
  }

  private Book freshBook() {
    Book b = new Book();
    b.epochSeeds = settings.warmStarts();
    return b;
  }

  /**
   * The state's codec: {@code cache} (list of [hash, fitness] pairs, oldest first), {@code hits}, {@code misses},
   * {@code cacheHitRate} (shown, not read back), {@code epoch}, {@code epochStart}, {@code epochSeeds} (programs),
   * optional {@code epochBestFitness} with {@code epochBestTrial}, optional {@code best} (program, fitness, trial).
   * The state written before versioned states (no {@code designer}, the cache as an object) is upgraded.
   */
  private final StateCodec<Book> stateCodec = new StateCodec<>() {
    @Override
    public String name() {
      return ProgramEvolutionProvider.NAME;
    }

    @Override
    public int version() {
      return STATE_VERSION;
    }

    @Override
    public Map<String, Object> encode(Book b) {
      return writeState(b);
    }

    @Override
    public Book decode(Map<String, Object> fields) {
      Book b = decodeBook(fields);
      for (Object o : DesignerState.listField(fields, "cache")) {
        if (!(o instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof String h)
            || !(pair.get(1) instanceof Number n) || Double.isNaN(n.doubleValue())) {
          throw new IllegalArgumentException("malformed cache entry");
        }
        b.cache.put(h, n.doubleValue());
      }
      return b;
    }

    @Override
    public Optional<Book> upgrade(Map<String, Object> stored) {
      if (stored.containsKey(DesignerState.DESIGNER) || stored.containsKey(DesignerState.VERSION)) {
        return Optional.empty();
      }
      Book b = decodeBook(stored);
      for (var e : DesignerState.mapField(stored, "cache").entrySet()) {
        if (!(e.getValue() instanceof Number n) || Double.isNaN(n.doubleValue())) {
          throw new IllegalArgumentException("malformed cache entry");
        }
        b.cache.put(e.getKey(), n.doubleValue());
      }
      return Optional.of(b);
    }
  };

  /** Every field but the cache, strictly (a missing or ill-typed field makes the state unreadable). */
  private static Book decodeBook(Map<String, Object> s) {
    Book b = new Book();
    b.hits = nonNegative(s, "hits");
    b.misses = nonNegative(s, "misses");
    double rate = DesignerState.doubleField(s, "cacheHitRate");
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("cacheHitRate out of [0, 1]");
    }
    b.epoch = nonNegative(s, "epoch");
    b.epochStart = DesignerState.longField(s, "epochStart");
    if (b.epochStart < 1) {
      throw new IllegalArgumentException("epochStart < 1");
    }
    if (s.containsKey("epochSeeds")) {
      List<Program> seeds = new ArrayList<>();
      for (Object o : DesignerState.listField(s, "epochSeeds")) {
        seeds.add(ProgramJson.fromJson(o));
      }
      if (seeds.isEmpty()) {
        throw new IllegalArgumentException("epochSeeds is empty");
      }
      b.epochSeeds = List.copyOf(seeds);
    } else { // the unversioned layout: one seed program
      b.epochSeeds = List.of(ProgramJson.fromJson(DesignerState.field(s, "epochSeed")));
    }
    if (s.containsKey("epochBestFitness")) {
      b.epochBestFitness = DesignerState.doubleField(s, "epochBestFitness");
      b.epochBestTrial = nonNegative(s, "epochBestTrial");
    }
    if (s.containsKey("structures")) {
      for (Object o : DesignerState.listField(s, "structures")) {
        if (!(o instanceof String h)) {
          throw new IllegalArgumentException("malformed structures entry");
        }
        b.structures.add(h);
      }
    }
    if (s.containsKey("best")) {
      Map<String, Object> best = DesignerState.mapField(s, "best");
      b.best = ProgramJson.fromJson(DesignerState.field(best, "program"));
      b.bestFitness = DesignerState.doubleField(best, "fitness");
      b.bestTrial = nonNegative(best, "trial");
    }
    return b;
  }

  private static long nonNegative(Map<String, Object> s, String key) {
    long v = DesignerState.longField(s, key);
    if (v < 0) {
      throw new IllegalArgumentException("state field '" + key + "' is negative");
    }
    return v;
  }

  private static Map<String, Object> writeState(Book b) {
    Map<String, Object> s = new LinkedHashMap<>();
    List<Object> cache = new ArrayList<>(b.cache.size());
    b.cache.forEach((h, f) -> cache.add(List.of(h, f)));
    s.put("cache", cache);
    s.put("hits", b.hits);
    s.put("misses", b.misses);
    s.put("cacheHitRate", hitRate(b));
    s.put("epoch", b.epoch);
    s.put("epochStart", b.epochStart);
    s.put("epochSeeds", b.epochSeeds.stream().map(ProgramJson::toJson).toList());
    if (Double.isFinite(b.epochBestFitness)) {
      s.put("epochBestFitness", b.epochBestFitness);
      s.put("epochBestTrial", b.epochBestTrial);
    }
    if (!b.structures.isEmpty()) {
      s.put("structures", List.copyOf(b.structures));
    }
    if (b.best != null) {
      Map<String, Object> best = new LinkedHashMap<>();
      best.put("program", ProgramJson.toJson(b.best));
      best.put("fitness", b.bestFitness);
      best.put("trial", b.bestTrial);
      s.put("best", best);
    }
    return s;
  }
}
