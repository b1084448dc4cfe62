package io.sextant.engine.program;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Random program edits. Every program returned is valid (it type-checks, so it runs): a candidate edit that fails
 * the checks of {@link Program} is discarded and another one drawn. {@link #mutate} re-mutates until the child's
 * graph hash differs from the parent's, so a child never repeats its parent's computation. Immutable; randomness
 * only from the generator passed in.
 *
 * @param maxStatements no insertion beyond this many statements (live or dead)
 * @param kinds the mutations drawn from, uniformly
 */
public record Mutator(int maxStatements, List<Mutation> kinds) {
  /** Constants offered to new statements besides log-uniform random ones. */
  static final double[] CONSTANTS = {0.5, 0.9, 0.99, 0.999, 1.0, 2.0, 0.1, 0.01, 0.001, Math.PI, Math.E, Fn.EPS};

  private static final Fn[] FNS = Fn.values();
  /** Elementwise functions of one argument (wrap), of two and of three (compose). */
  private static final Fn[] UNARY = elementwise(1);
  private static final Fn[] BINARY = elementwise(2);
  private static final Fn[] TERNARY = elementwise(3);
  /** The variables compose combines an argument with: the gradient and the states (their current values). */
  static final List<String> PARTNERS = List.of("g", "m", "v");

  private static Fn[] elementwise(int arity) {
    return java.util.Arrays.stream(Fn.values()).filter(f -> f.kind() == Fn.Kind.ELEMENTWISE && f.arity() == arity)
        .toArray(Fn[]::new);
  }
  private static final int MAX_TRIES = 1000;

  /** Share of {@code modify} edits of a non-commutative multi-argument statement that swap two arguments. */
  static final double SWAP = 0.25;

  public Mutator {
    if (maxStatements < 1) {
      throw new IllegalArgumentException("maxStatements must be >= 1");
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("at least one kind of mutation is needed");
    }
    kinds = List.copyOf(EnumSet.copyOf(kinds));
  }

  /** Every kind of mutation. */
  public Mutator(int maxStatements) {
    this(maxStatements, List.of(Mutation.values()));
  }

  /** The outcome of a mutation: the child and the edits applied (several when re-mutated). */
  public record Result(Program child, List<Mutation> edits) {
    public Result {
      edits = List.copyOf(edits);
    }
  }

  /** A child whose hash differs from the parent's; throws when {@link #tryMutate} finds none. */
  public Result mutate(Program parent, RandomGenerator rng) {
    return tryMutate(parent, rng).orElseThrow(() -> new IllegalStateException(
        "no mutation changed the program's hash in " + MAX_TRIES + " tries"));
  }

  /**
   * A child whose hash differs from the parent's, or empty when none of the allowed kinds changed it in
   * {@code MAX_TRIES} edits (e.g. insert-only at the statement limit, or delete-only on an empty program).
   */
  public java.util.Optional<Result> tryMutate(Program parent, RandomGenerator rng) {
    long parentHash = ProgramGraph.of(parent).hash();
    Program child = parent;
    List<Mutation> edits = new ArrayList<>();
    for (int i = 0; i < MAX_TRIES; i++) {
      Mutation kind = kinds.get(rng.nextInt(kinds.size()));
      Program next = apply(child, kind, rng);
      if (next != child) {
        child = next;
        edits.add(kind);
        if (ProgramGraph.of(child).hash() != parentHash) {
          return java.util.Optional.of(new Result(child, edits));
        }
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * A child that differs from {@code parent} in one constant only (perturbed as a {@code modify} edit perturbs it),
   * with a different graph hash; empty when the program has no constant whose change alters its computation. Used
   * to tune a new structure's constants before it is judged (the designer's option {@code tune}).
   */
  public java.util.Optional<Result> tuneConstant(Program parent, RandomGenerator rng) {
    List<int[]> at = new ArrayList<>();
    for (int i = 0; i < parent.body().size(); i++) {
      List<Operand> args = parent.body().get(i).args();
      for (int k = 0; k < args.size(); k++) {
        if (args.get(k) instanceof Operand.Const) {
          at.add(new int[] {i, k});
        }
      }
    }
    if (at.isEmpty()) {
      return java.util.Optional.empty();
    }
    long parentHash = ProgramGraph.of(parent).hash();
    for (int attempt = 0; attempt < 4 * at.size() + 16; attempt++) {
      int[] pos = at.get(rng.nextInt(at.size()));
      Statement s = parent.body().get(pos[0]);
      double perturbed = perturb(((Operand.Const) s.args().get(pos[1])).value(), rng);
      if (!Double.isFinite(perturbed)) {
        continue;
      }
      List<Operand> args = new ArrayList<>(s.args());
      args.set(pos[1], new Operand.Const(perturbed));
      List<Statement> body = new ArrayList<>(parent.body());
      body.set(pos[0], new Statement(s.target(), s.fn(), args));
      Program child;
      try {
        child = new Program(body, parent.returns());
      } catch (ProgramException e) {
        continue;
      }
      if (ProgramGraph.of(child).hash() != parentHash) {
        return java.util.Optional.of(new Result(child, List.of(Mutation.MODIFY)));
      }
    }
    return java.util.Optional.empty();
  }

  /** One edit of the given kind; returns {@code p} itself when no valid edit of that kind was found. */
  public Program apply(Program p, Mutation kind, RandomGenerator rng) {
    for (int attempt = 0; attempt < 20; attempt++) {
      List<Statement> body = new ArrayList<>(p.body());
      switch (kind) {
        case INSERT -> {
          if (body.size() >= maxStatements) {
            return p;
          }
          int at = rng.nextInt(body.size() + 1);
          body.add(at, randomStatement(p.scopeBefore(at), rng));
        }
        case DELETE -> {
          if (body.isEmpty()) {
            return p;
          }
          body.remove(rng.nextInt(body.size()));
        }
        case MODIFY -> {
          if (body.isEmpty()) {
            return p;
          }
          int at = rng.nextInt(body.size());
          Statement s = body.get(at);
          List<Operand> args = new ArrayList<>(s.args());
          if (args.size() >= 2 && !s.fn().commutative() && rng.nextDouble() < SWAP) {
            // argument swap: exchange two arguments (interp(g, m, 0.9) -> interp(m, g, 0.9), a - b -> b - a)
            int i = rng.nextInt(args.size());
            int j = (i + 1 + rng.nextInt(args.size() - 1)) % args.size();
            if (args.get(i).equals(args.get(j))) {
              continue;
            }
            java.util.Collections.swap(args, i, j);
            body.set(at, new Statement(s.target(), s.fn(), args));
            break;
          }
          int k = rng.nextInt(s.args().size());
          Operand old = args.get(k);
          Operand repl;
          if (old instanceof Operand.Const c && rng.nextDouble() < 0.5) {
            double perturbed = perturb(c.value(), rng);
            if (!Double.isFinite(perturbed)) {
              continue;
            }
            repl = new Operand.Const(perturbed);
          } else {
            repl = randomOperand(p.scopeBefore(at), rng);
          }
          if (repl.equals(old)) {
            continue;
          }
          args.set(k, repl);
          body.set(at, new Statement(s.target(), s.fn(), args));
        }
        case FUNCTION -> {
          if (body.isEmpty()) {
            return p;
          }
          int at = rng.nextInt(body.size());
          Statement s = body.get(at);
          Fn fn = FNS[rng.nextInt(FNS.length)];
          if (fn == s.fn()) {
            continue;
          }
          List<Operand> args = new ArrayList<>(s.args().subList(0, Math.min(fn.arity(), s.args().size())));
          while (args.size() < fn.arity()) {
            args.add(randomOperand(p.scopeBefore(at), rng));
          }
          body.set(at, new Statement(s.target(), fn, args));
        }
        case COMPOSE, WRAP -> {
          if (body.size() >= maxStatements) {
            return p;
          }
          int[] site = tensorArgument(p, rng);
          if (site == null) {
            return p;
          }
          int at = site[0];
          Statement s = body.get(at);
          String x = ((Operand.Ref) s.args().get(site[1])).name();
          Map<String, Boolean> scope = p.scopeBefore(at);
          String fresh = freshName(p);
          String target;
          Statement inserted;
          if (kind == Mutation.WRAP) {
            target = fresh;
            inserted = new Statement(target, UNARY[rng.nextInt(UNARY.length)], List.of(new Operand.Ref(x)));
          } else {
            List<String> partners = PARTNERS.stream().filter(n -> !n.equals(x) && Boolean.TRUE.equals(scope.get(n)))
                .toList();
            if (partners.isEmpty()) {
              continue;
            }
            String y = partners.get(rng.nextInt(partners.size()));
            Fn fn = rng.nextBoolean() ? BINARY[rng.nextInt(BINARY.length)] : TERNARY[rng.nextInt(TERNARY.length)];
            List<Operand> args = new ArrayList<>();
            boolean xFirst = rng.nextBoolean();
            args.add(new Operand.Ref(xFirst ? x : y));
            args.add(new Operand.Ref(xFirst ? y : x));
            while (args.size() < fn.arity()) {
              args.add(new Operand.Const(CONSTANTS[rng.nextInt(CONSTANTS.length)]));
            }
            target = switch (rng.nextInt(3)) {
              case 0 -> fresh;
              case 1 -> x;
              default -> y;
            };
            inserted = new Statement(target, fn, args);
          }
          List<Operand> rewired = new ArrayList<>(s.args());
          rewired.set(site[1], new Operand.Ref(target));
          body.set(at, new Statement(s.target(), s.fn(), rewired));
          body.add(at, inserted);
        }
      }
      try {
        return p.withBody(body);
      } catch (ProgramException invalid) {
        // e.g. a deleted statement was needed, or a return became a scalar: draw another edit
      }
    }
    return p;
  }

  /**
   * A live statement (uniformly among those with a tensor variable argument) and one of its tensor variable
   * arguments (uniformly): {@code {statement index, argument index}}; null when there is none.
   */
  private static int[] tensorArgument(Program p, RandomGenerator rng) {
    boolean[] live = DeadCode.live(p);
    List<int[]> sites = new ArrayList<>();
    List<Integer> statements = new ArrayList<>();
    for (int i = 0; i < live.length; i++) {
      if (!live[i]) {
        continue;
      }
      Map<String, Boolean> scope = p.scopeBefore(i);
      List<Operand> args = p.body().get(i).args();
      boolean any = false;
      for (int k = 0; k < args.size(); k++) {
        if (args.get(k) instanceof Operand.Ref(String name) && Boolean.TRUE.equals(scope.get(name))) {
          sites.add(new int[] {i, k});
          any = true;
        }
      }
      if (any) {
        statements.add(i);
      }
    }
    if (statements.isEmpty()) {
      return null;
    }
    int at = statements.get(rng.nextInt(statements.size()));
    List<int[]> here = sites.stream().filter(s -> s[0] == at).toList();
    return here.get(rng.nextInt(here.size()));
  }

  /** A name no statement of {@code p} assigns and no input has: {@code x0}, {@code x1}, ... */
  private static String freshName(Program p) {
    Set<String> used = new java.util.HashSet<>(Program.INPUTS);
    p.body().forEach(s -> used.add(s.target()));
    int k = 0;
    while (used.contains("x" + k)) {
      k++;
    }
    return "x" + k;
  }

  /**
   * A perturbed constant: {@code c * 2^N(0,1)}; for {@code 0 < c < 1} half of the time {@code 1 - (1 - c) * 2^N(0,1)}
   * instead, so a weight near 1 (an interp's beta such as 0.999) moves by its distance to 1 (0.999 -> 0.996 or
   * 0.9995) rather than leaving [0, 1].
   */
  static double perturb(double c, RandomGenerator rng) {
    double factor = Math.pow(2, rng.nextGaussian());
    if (c > 0 && c < 1 && rng.nextBoolean()) {
      return 1 - (1 - c) * factor;
    }
    return c * factor;
  }

  /** A random statement whose arguments come from {@code scope} (name -> is tensor) or are constants. */
  Statement randomStatement(Map<String, Boolean> scope, RandomGenerator rng) {
    Fn fn = FNS[rng.nextInt(FNS.length)];
    List<Operand> args = new ArrayList<>();
    for (int i = 0; i < fn.arity(); i++) {
      args.add(randomOperand(scope, rng));
    }
    String target;
    List<String> names = scope.keySet().stream().filter(n -> !n.equals("lr")).sorted().toList();
    if (rng.nextDouble() < 0.5) {
      target = names.get(rng.nextInt(names.size()));
    } else {
      int k = 0;
      while (scope.containsKey("x" + k)) {
        k++;
      }
      target = "x" + k;
    }
    return new Statement(target, fn, args);
  }

  /** A variable in scope (probability 0.75) or a constant (from {@link #CONSTANTS} or log-uniform in [1e-4, 10]). */
  static Operand randomOperand(Map<String, Boolean> scope, RandomGenerator rng) {
    if (rng.nextDouble() < 0.75) {
      List<String> names = scope.keySet().stream().sorted().toList();
      return new Operand.Ref(names.get(rng.nextInt(names.size())));
    }
    if (rng.nextBoolean()) {
      return new Operand.Const(CONSTANTS[rng.nextInt(CONSTANTS.length)]);
    }
    return new Operand.Const(Math.exp(rng.nextDouble(Math.log(1e-4), Math.log(10))));
  }

  /**
   * A random program for random search: {@code statements} random statements appended to an empty body, returning
   * randomly chosen tensor variables (update from the assigned ones where there are any).
   */
  public Program random(int statements, RandomGenerator rng) {
    while (true) {
      List<Statement> body = new ArrayList<>();
      for (int i = 0; i < statements; i++) {
        body.add(randomStatement(Program.types(body), rng));
      }
      Map<String, Boolean> scope = Program.types(body);
      List<String> tensors = scope.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).sorted()
          .toList();
      if (tensors.isEmpty()) {
        continue; // every tensor was overwritten by a scalar: draw again
      }
      List<String> assigned = body.stream().map(Statement::target).filter(scope::get).distinct().sorted().toList();
      List<String> updateFrom = assigned.isEmpty() ? tensors : assigned;
      return new Program(body, List.of(updateFrom.get(rng.nextInt(updateFrom.size())),
          tensors.get(rng.nextInt(tensors.size())), tensors.get(rng.nextInt(tensors.size()))));
    }
  }
}
