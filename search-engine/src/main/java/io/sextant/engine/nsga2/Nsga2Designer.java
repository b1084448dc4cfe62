package io.sextant.engine.nsga2;

import io.sextant.engine.designer.Designer;
import io.sextant.engine.designer.Proposal;
import io.sextant.engine.designer.SnapshotNeeds;
import io.sextant.engine.designer.StudySnapshot;
import io.sextant.engine.designer.Suggestion;
import io.sextant.engine.pareto.Pareto;
import io.sextant.engine.study.StudyProblem;
import io.sextant.engine.study.TrialState;
import io.sextant.engine.study.TrialView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * NSGA-II (Deb, Pratap, Agarwal and Meyarivan 2002) as an asynchronous, stateless designer.
 *
 * <p><b>Generations live in trial metadata.</b> Every suggestion carries {@value #GENERATION_KEY} (a Long) and
 * {@value #PARENTS_KEY} (the parents' trial numbers, empty for generation 0). Trials without a generation tag (e.g.
 * from an earlier phase of the study) count as generation 0. With N = populationSize, the generation of new
 * suggestions is {@code g + 1} when the newest generation g seen in the window has at least N <i>finished</i>
 * trials, else g: slow or lost workers never block the study, they only make a generation larger (as Optuna's
 * NSGAIISampler). Generation 0 is uniform random in the space.
 *
 * <p><b>Parents.</b> For generation g >= 1 the parent population is NSGA-II's elitist survival applied to every
 * evaluated trial of generations {@code < g} in the window: sort by constrained non-domination rank, fill N places
 * front by front, cut the last front by descending crowding distance (ties by trial number). This equals the
 * classic generational scheme (survival of parents + offspring) except that elites older than the window (the last
 * {@code windowGenerations} generations of trials, default {@value Nsga2Config#WINDOW_GENERATIONS}) are forgotten and
 * replaced by younger trials. That costs final-population quality on problems whose elites live long (DTLZ2 with 3
 * objectives: about 1% of hypervolume below jMetal's generational NSGA-II with the default window, level with it at
 * 8 generations; see docs/benchmarks-pareto.md). Parents are picked by binary tournament on (rank, crowding).
 *
 * <p><b>Trials.</b> Pending (WAITING/RUNNING), FAILED and PRUNED trials and completed trials with a NaN value are
 * never parents. Values are turned to minimization with {@code Direction.toMinimization()}; +/-Infinity are kept.
 * Feasibility follows Deb's constrained domination: the violation of a completed trial is the sum over outcome
 * constraints of {@code max(0, value - bound)} (LE) or {@code max(0, bound - value)} (GE), +Infinity when the
 * metric is missing or NaN; an INFEASIBLE trial has violation +Infinity.
 *
 * <p>Reads {@code ALL_TRIALS} in a window of {@code windowGenerations * N} trials, so the cost of a suggestion is
 * O(N log N)-ish whatever the study size. Randomness comes only from the generator passed to {@link #suggest};
 * immutable and thread-safe.
 */
public final class Nsga2Designer implements Designer {
  /** Metadata key of a suggestion's generation (Long). */
  public static final String GENERATION_KEY = "generation";
  /** Metadata key of a suggestion's parents (list of trial numbers, Long). */
  public static final String PARENTS_KEY = "parents";

  private final StudyProblem problem;
  private final Nsga2Config config;
  private final Variation variation;
  private final double[] signs;

  public Nsga2Designer(StudyProblem problem, Nsga2Config config) {
    this.problem = problem;
    this.config = config;
    this.variation = new Variation(problem.space(), config.crossoverProb(), config.crossoverEta(),
        config.mutationEta(), config.mutationProb());
    this.signs = new double[problem.objectives().size()];
    for (int j = 0; j < signs.length; j++) {
      signs[j] = problem.objectives().get(j).direction().toMinimization();
    }
  }

  public Nsga2Config config() {
    return config;
  }

  @Override
  public SnapshotNeeds needs() {
    return new SnapshotNeeds(SnapshotNeeds.Reads.ALL_TRIALS, config.windowTrials());
  }

  @Override
  public Proposal suggest(StudySnapshot study, int count, RandomGenerator rng) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1 (got " + count + ")");
    }
    List<TrialView> trials = study.trials();
    long generation = nextGeneration(trials);
    List<Suggestion> out = new ArrayList<>(count);
    List<Individual> population = generation == 0 ? List.of() : survivors(trials, generation);
    for (int k = 0; k < count; k++) {
      if (population.isEmpty()) {
        out.add(new Suggestion(problem.space().sample(rng), Map.of(GENERATION_KEY, generation, PARENTS_KEY, List.of())));
        continue;
      }
      Individual a = tournament(population, rng);
      Individual b = tournament(population, rng);
      Map<String, Object> child = variation.child(a.trial().params(), b.trial().params(), rng);
      out.add(new Suggestion(child, Map.of(GENERATION_KEY, generation,
          PARENTS_KEY, List.of(a.trial().number(), b.trial().number()))));
    }
    return Proposal.of(out);
  }

  /** Generation g of a trial's metadata; 0 when untagged or malformed. */
  static long generationOf(TrialView t) {
    if (t.metadata().get(GENERATION_KEY) instanceof Number n) {
      double d = n.doubleValue();
      if (d >= 0 && d == Math.rint(d) && d < 0x1p53) {
        return (long) d;
      }
    }
    return 0;
  }

  /** g + 1 when the newest generation g has at least N finished trials in the window, else g. */
  long nextGeneration(List<TrialView> trials) {
    long newest = 0;
    for (TrialView t : trials) {
      newest = Math.max(newest, generationOf(t));
    }
    int finished = 0;
    for (TrialView t : trials) {
      if (generationOf(t) == newest && t.state().isFinished()) {
        finished++;
      }
    }
    return finished >= config.populationSize() ? newest + 1 : newest;
  }

  /** One member of the parent population: the trial, its rank and crowding distance. */
  record Individual(TrialView trial, int rank, double crowding) {}

  /** Elitist survival over the evaluated trials of generations before {@code generation}. */
  List<Individual> survivors(List<TrialView> trials, long generation) {
    List<TrialView> pool = new ArrayList<>();
    List<double[]> objs = new ArrayList<>();
    List<Double> violations = new ArrayList<>();
    for (TrialView t : trials) {
      if (generationOf(t) >= generation) {
        continue;
      }
      if (t.state() == TrialState.INFEASIBLE) {
        pool.add(t);
        objs.add(new double[signs.length]);
        violations.add(Double.POSITIVE_INFINITY);
      } else if (t.state() == TrialState.COMPLETED && t.values().length == signs.length) {
        double[] f = new double[signs.length];
        boolean ok = true;
        for (int j = 0; j < f.length; j++) {
          f[j] = signs[j] * t.values()[j];
          ok &= !Double.isNaN(f[j]);
        }
        if (ok) {
          pool.add(t);
          objs.add(f);
          violations.add(violation(t));
        }
      }
    }
    int n = pool.size();
    double[][] f = objs.toArray(double[][]::new);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = violations.get(i);
    }
    int[] rank = Pareto.constrainedRanks(f, v);
    int fronts = 0;
    for (int r : rank) {
      fronts = Math.max(fronts, r + 1);
    }
    List<List<Integer>> byFront = new ArrayList<>();
    for (int r = 0; r < fronts; r++) {
      byFront.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      byFront.get(rank[i]).add(i); // trials are in number order, so each front is too
    }
    List<Individual> out = new ArrayList<>();
    for (int r = 0; r < fronts && out.size() < config.populationSize(); r++) {
      List<Integer> front = byFront.get(r);
      double[] crowd = new double[front.size()];
      if (v[front.get(0)] == 0) {
        double[][] pts = new double[front.size()][];
        for (int k = 0; k < pts.length; k++) {
          pts[k] = f[front.get(k)];
        }
        crowd = Pareto.crowdingDistance(pts);
      }
      List<Individual> members = new ArrayList<>();
      for (int k = 0; k < front.size(); k++) {
        members.add(new Individual(pool.get(front.get(k)), r, crowd[k]));
      }
      int room = config.populationSize() - out.size();
      if (members.size() > room) {
        members.sort(Comparator.comparingDouble((Individual x) -> -x.crowding())
            .thenComparingLong(x -> x.trial().number()));
        members = members.subList(0, room);
      }
      out.addAll(members);
    }
    return out;
  }

  private double violation(TrialView t) {
    return problem.violation(t.metrics());
  }

  /** Binary tournament: lower rank wins, then larger crowding distance, then a coin flip. */
  private static Individual tournament(List<Individual> population, RandomGenerator rng) {
    Individual a = population.get(rng.nextInt(population.size()));
    Individual b = population.get(rng.nextInt(population.size()));
    if (a.rank() != b.rank()) {
      return a.rank() < b.rank() ? a : b;
    }
    if (a.crowding() != b.crowding()) {
      return a.crowding() > b.crowding() ? a : b;
    }
    return rng.nextBoolean() ? a : b;
  }
}
