package io.sextant.engine.designer.sobol;

/**
 * A Sobol low-discrepancy sequence in base 2 with Joe-Kuo direction numbers, optionally scrambled. Immutable and
 * thread-safe; point {@code i} is computed directly from {@code i} (Gray-code order, as Antonov-Saleev and
 * commons-math), so no predecessors are generated.
 *
 * <p>Construction: with {@code g = i ^ (i >>> 1)} (the Gray code of i) the integer point of dimension j is
 * {@code x_j = XOR of V_j[k] over the set bits k of g}, where {@code V_j[k]} are the direction numbers as
 * {@value #BITS}-bit fixed-point fractions. The first {@code 2^m} points are the same set as in natural order since
 * the Gray code permutes {@code [0, 2^m)}.
 *
 * <p><b>Unscrambled</b>: {@code u_j = x_j / 2^52}; point 0 is the origin and the values equal commons-math's
 * {@code SobolSequenceGenerator} exactly.
 *
 * <p><b>Scrambled</b> (Matoušek's random linear scramble plus a random digital shift): per dimension a random
 * lower-triangular binary matrix {@code L_j} with unit diagonal multiplies every direction number (over GF(2),
 * digit 1 = the most significant), and a random {@value #BITS}-digit shift {@code e_j} is XORed into the point:
 * {@code x'_j = L_j x_j XOR e_j}. Both are drawn from {@code seed} only (SplitMix64, fixed constants, so the sequence
 * stays the same across JVMs and releases). Finally {@code u_j = (2 x'_j + 1) / 2^53}, the centre of the finest
 * cell, which is exact in a double and never 0 or 1.
 *
 * <p><b>Why scrambling keeps the net property.</b> Write the first m digits of {@code x_j} for index {@code i < 2^m}
 * as {@code C_j^(m) a}, where a is the vector of the first m bits of g and {@code C_j^(m)} is the leading m x m block
 * of the generating matrix (columns = direction numbers). A set of 2^m points is a (t,m,s)-net iff for every
 * {@code d_1 + ... + d_s = m - t} the rows "first d_j rows of C_j" are linearly independent. Because {@code L_j} is
 * lower triangular, the first {@code d} digits of {@code L_j y} depend only on the first d digits of y through the
 * invertible unit-triangular block {@code L_j^(d)}: the first d rows of {@code L_j C_j} are {@code L_j^(d)} times the
 * first d rows of {@code C_j}, which spans the same row space. Rank conditions, hence t, are unchanged. XOR with a
 * constant shift is a bijection of each elementary interval's digit pattern, and centring in the 2^-52 cell never
 * crosses an interval boundary of width {@code 2^-k}, {@code k <= 52}. So: each 1-D projection of the first 2^m
 * points (of any aligned block of 2^m consecutive points) hits each of the 2^m intervals {@code [c/2^m, (c+1)/2^m)}
 * exactly once (every C_j is unit upper triangular since every m_k is odd), and dimensions 0 and 1 (identity and
 * Pascal matrix mod 2, whose every {@code b x b} block on consecutive columns has determinant 1) form a
 * (0,m,2)-net: each box {@code 2^-a x 2^-b} with {@code a + b = m} holds exactly one point.
 */
public final class SobolSequence {
  /** Digits of precision (as commons-math). Indices run from 0 to {@link #MAX_INDEX}. */
  public static final int BITS = 52;

  /** Largest supported point index, {@code 2^52 - 1}. */
  public static final long MAX_INDEX = (1L << BITS) - 1;

  private static final long MASK = (1L << BITS) - 1;
  private static final double SCALE = 0x1p-52;
  private static final double HALF_SCALE = 0x1p-53;

  private final long[][] directions;
  private final long[] shift;
  private final boolean scrambled;

  private SobolSequence(long[][] directions, long[] shift, boolean scrambled) {
    this.directions = directions;
    this.shift = shift;
    this.scrambled = scrambled;
  }

  /** Number of dimensions the direction-number table supports (1000). */
  public static int maxDimensions() {
    return JoeKuoDirections.maxDimensions();
  }

  /** The plain Sobol sequence (point 0 is the origin). */
  public static SobolSequence unscrambled(int dimensions) {
    checkDimensions(dimensions);
    long[][] v = new long[dimensions][];
    for (int j = 0; j < dimensions; j++) {
      v[j] = JoeKuoDirections.of(j);
    }
    return new SobolSequence(v, new long[dimensions], false);
  }

  /**
   * A scrambled Sobol sequence; the scramble is a pure function of {@code seed} and is prefix-consistent (the first
   * d dimensions do not depend on how many dimensions are requested).
   */
  public static SobolSequence scrambled(int dimensions, long seed) {
    checkDimensions(dimensions);
    long[][] v = new long[dimensions][];
    long[] shift = new long[dimensions];
    long[] state = {seed};
    long[] rows = new long[BITS + 1];
    for (int j = 0; j < dimensions; j++) {
      // Row r (digit r, bit BITS - r): unit diagonal plus random bits for the more significant digits c < r.
      for (int r = 1; r <= BITS; r++) {
        long diagonal = 1L << (BITS - r);
        long above = MASK & ~((diagonal << 1) - 1);
        rows[r] = diagonal | (splitMix64(state) & above);
      }
      long[] base = JoeKuoDirections.of(j);
      long[] scrambledDirections = new long[BITS + 1];
      for (int k = 1; k <= BITS; k++) {
        scrambledDirections[k] = multiply(rows, base[k]);
      }
      v[j] = scrambledDirections;
      shift[j] = splitMix64(state) & MASK;
    }
    return new SobolSequence(v, shift, true);
  }

  public int dimensions() {
    return directions.length;
  }

  public boolean isScrambled() {
    return scrambled;
  }

  /**
   * Point {@code index} of the sequence, in {@code [0, 1)^d} (unscrambled) or {@code (0, 1)^d} (scrambled).
   *
   * @throws IllegalArgumentException unless {@code 0 <= index <= MAX_INDEX}
   */
  public double[] point(long index) {
    if (index < 0 || index > MAX_INDEX) {
      throw new IllegalArgumentException("Sobol index must be in [0, 2^52) (got " + index + ")");
    }
    long gray = index ^ (index >>> 1);
    double[] u = new double[directions.length];
    for (int j = 0; j < directions.length; j++) {
      long[] v = directions[j];
      long x = shift[j];
      for (long g = gray; g != 0; g &= g - 1) {
        x ^= v[Long.numberOfTrailingZeros(g) + 1];
      }
      u[j] = scrambled ? (2 * x + 1) * HALF_SCALE : x * SCALE;
    }
    return u;
  }

  /** {@code L y} over GF(2): output digit r is the parity of {@code rows[r] & y}. */
  private static long multiply(long[] rows, long y) {
    long out = 0;
    for (int r = 1; r <= BITS; r++) {
      out |= (long) (Long.bitCount(rows[r] & y) & 1) << (BITS - r);
    }
    return out;
  }

  /** SplitMix64 (Steele, Lea, Flood 2014), spelled out so the scramble never changes with the JDK. */
  private static long splitMix64(long[] state) {
    long z = (state[0] += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void checkDimensions(int dimensions) {
    if (dimensions < 0 || dimensions > maxDimensions()) {
      throw new IllegalArgumentException(
          "Sobol dimensions must be between 0 and " + maxDimensions() + " (got " + dimensions + ")");
    }
  }
}
