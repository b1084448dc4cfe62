package io.sextant.engine.space;

import java.util.List;

/** Normalization of parameter values so that equal values compare equal (1 == 1L == 1.0 for integers). */
public final class Values {
  private Values() {}

  /** Integral numbers become Long, other numbers Double; strings and booleans stay; anything else is rejected. */
  public static Object normalize(Object v) {
    return switch (v) {
      case Long l -> l;
      case Integer i -> (long) i;
      case Short s -> (long) s;
      case Byte b -> (long) b;
      case java.math.BigInteger bi when bi.bitLength() < 64 -> bi.longValue();
      case Number n -> {
        double d = n.doubleValue();
        if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 0x1p53) {
          yield (long) d;
        }
        yield d;
      }
      case String s -> s;
      case Boolean b -> b;
      case null -> throw new IllegalArgumentException("null is not a parameter value");
      default -> throw new IllegalArgumentException("unsupported value type " + v.getClass().getSimpleName());
    };
  }

  /** Membership with numeric normalization on both sides. */
  public static boolean containsNormalized(List<Object> normalizedChoices, Object value) {
    Object n;
    try {
      n = normalize(value);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return normalizedChoices.contains(n);
  }
}
