package io.sextant.engine.program;

import java.util.Arrays;
import java.util.Optional;

/**
 * The function set of optimizer programs (after Chen et al. 2023). Every function accepts tensors and scalars in
 * every argument: elementwise functions broadcast scalars and return a tensor when any argument is a tensor (a scalar
 * otherwise); reductions ({@link Kind#REDUCTION}) return a scalar. All tensors of one program run have the same
 * length (the number of optimized weights), so the only static type is scalar vs tensor and every well-formed call
 * type-checks.
 *
 * <p>Numerical guards (so a program never throws): division and reciprocal replace a denominator of magnitude below
 * {@link #EPS} by +/-EPS; {@code sqrt}, {@code log}, {@code log1p} and {@code pow} act on |x|; {@code log} of 0 is {@code log(1e-30)}.
 * Overflow to infinity is allowed; the evaluator treats non-finite weights as divergence.
 */
public enum Fn {
  ADD("add", 2, Kind.ELEMENTWISE, true),
  SUB("sub", 2, Kind.ELEMENTWISE, false),
  MUL("mul", 2, Kind.ELEMENTWISE, true),
  DIV("div", 2, Kind.ELEMENTWISE, false),
  MAX("max", 2, Kind.ELEMENTWISE, true),
  MIN("min", 2, Kind.ELEMENTWISE, true),
  POW("pow", 2, Kind.ELEMENTWISE, false),
  CLIP("clip", 2, Kind.ELEMENTWISE, false),
  INTERP("interp", 3, Kind.ELEMENTWISE, false),
  NEG("neg", 1, Kind.ELEMENTWISE, false),
  ABS("abs", 1, Kind.ELEMENTWISE, false),
  SIGN("sign", 1, Kind.ELEMENTWISE, false),
  SQUARE("square", 1, Kind.ELEMENTWISE, false),
  SQRT("sqrt", 1, Kind.ELEMENTWISE, false),
  CUBE("cube", 1, Kind.ELEMENTWISE, false),
  CBRT("cbrt", 1, Kind.ELEMENTWISE, false),
  EXP("exp", 1, Kind.ELEMENTWISE, false),
  LOG("log", 1, Kind.ELEMENTWISE, false),
  LOG1P("log1p", 1, Kind.ELEMENTWISE, false),
  EXPM1("expm1", 1, Kind.ELEMENTWISE, false),
  RECIPROCAL("reciprocal", 1, Kind.ELEMENTWISE, false),
  SIN("sin", 1, Kind.ELEMENTWISE, false),
  COS("cos", 1, Kind.ELEMENTWISE, false),
  TAN("tan", 1, Kind.ELEMENTWISE, false),
  ARCTAN("arctan", 1, Kind.ELEMENTWISE, false),
  SINH("sinh", 1, Kind.ELEMENTWISE, false),
  COSH("cosh", 1, Kind.ELEMENTWISE, false),
  TANH("tanh", 1, Kind.ELEMENTWISE, false),
  ARCSINH("arcsinh", 1, Kind.ELEMENTWISE, false),
  SIGMOID("sigmoid", 1, Kind.ELEMENTWISE, false),
  /** L2 norm of a tensor (|x| of a scalar). */
  NORM("norm", 1, Kind.REDUCTION, false),
  /** Root mean square of a tensor. */
  RMS("rms", 1, Kind.REDUCTION, false),
  /** Mean of a tensor. */
  MEAN("mean", 1, Kind.REDUCTION, false),
  /** Sum of elementwise products (scalars broadcast). */
  DOT("dot", 2, Kind.REDUCTION, true),
  /** Cosine similarity, with EPS added to the product of norms. */
  COSINE("cosine", 2, Kind.REDUCTION, true),
  /** x * min(1, |c| / (||x|| + EPS)): rescales x to global norm at most |c|. */
  CLIP_BY_NORM("clip_by_global_norm", 2, Kind.SPECIAL, false);

  /** The guard of division and reciprocal, also the constant {@code eps}. */
  public static final double EPS = 1e-8;

  /** How a function maps argument types to its result type. */
  public enum Kind {
    /** Broadcasting elementwise function: tensor if any argument is a tensor. */
    ELEMENTWISE,
    /** Always a scalar. */
    REDUCTION,
    /** The type of the first argument. */
    SPECIAL
  }

  private final String id;
  private final int arity;
  private final Kind kind;
  private final boolean commutative;

  Fn(String id, int arity, Kind kind, boolean commutative) {
    this.id = id;
    this.arity = arity;
    this.kind = kind;
    this.commutative = commutative;
  }

  /** The name used in JSON and printed code. */
  public String id() {
    return id;
  }

  public int arity() {
    return arity;
  }

  public Kind kind() {
    return kind;
  }

  /** True when the result does not depend on the argument order (used by hashing). */
  public boolean commutative() {
    return commutative;
  }

  public static Optional<Fn> byId(String id) {
    return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
  }

  /** Result type for the given argument types ({@code true} = tensor). */
  public boolean resultIsTensor(boolean[] argTensor) {
    return switch (kind) {
      case REDUCTION -> false;
      case SPECIAL -> argTensor[0];
      case ELEMENTWISE -> {
        boolean t = false;
        for (boolean b : argTensor) {
          t |= b;
        }
        yield t;
      }
    };
  }

  /** Guarded denominator. */
  static double guard(double d) {
    if (d >= 0) {
      return d < EPS ? EPS : d;
    }
    return d > -EPS ? -EPS : d;
  }

  /** Elementwise value for unary, binary and ternary elementwise functions ({@code b}, {@code c} unused below arity). */
  public double apply(double a, double b, double c) {
    return switch (this) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case DIV -> a / guard(b);
      case MAX -> Math.max(a, b);
      case MIN -> Math.min(a, b);
      case POW -> Math.pow(Math.abs(a), b);
      case CLIP -> Math.max(-Math.abs(b), Math.min(Math.abs(b), a));
      case INTERP -> (1 - c) * a + c * b;
      case NEG -> -a;
      case ABS -> Math.abs(a);
      case SIGN -> Math.signum(a);
      case SQUARE -> a * a;
      case SQRT -> Math.sqrt(Math.abs(a));
      case CUBE -> a * a * a;
      case CBRT -> Math.cbrt(a);
      case EXP -> Math.exp(a);
      case LOG -> Math.log(Math.max(Math.abs(a), 1e-30));
      case LOG1P -> Math.log1p(Math.abs(a));
      case EXPM1 -> Math.expm1(a);
      case RECIPROCAL -> 1 / guard(a);
      case SIN -> Math.sin(a);
      case COS -> Math.cos(a);
      case TAN -> Math.tan(a);
      case ARCTAN -> Math.atan(a);
      case SINH -> Math.sinh(a);
      case COSH -> Math.cosh(a);
      case TANH -> Math.tanh(a);
      case ARCSINH -> Math.copySign(Math.log(Math.abs(a) + Math.sqrt(a * a + 1)), a);
      case SIGMOID -> 1 / (1 + Math.exp(-a));
      default -> throw new IllegalStateException(id + " is not elementwise");
    };
  }
}
