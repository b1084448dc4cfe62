package io.sextant.engine.designer.sobol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Joe and Kuo's Sobol direction numbers ("new-joe-kuo-6", search criterion D(6)), read once from the table shipped
 * inside the commons-math3 jar and cached for the life of the class loader.
 *
 * <p>Direction numbers are fixed-point integers with {@link SobolSequence#BITS} fractional bits:
 * {@code V[d][k]} (k = 1..BITS) is the k-th direction number of dimension d (0-based), i.e. {@code m_k / 2^k}
 * scaled by {@code 2^BITS}. Dimension 0 is the van der Corput sequence (all {@code m_k = 1}).
 */
final class JoeKuoDirections {
  static final String RESOURCE = "/assets/org/apache/commons/math3/random/new-joe-kuo-6.1000";

  private JoeKuoDirections() {}

  /** The parsed table; initialized on first access (holder idiom: lazy, thread-safe, parsed once). */
  private static final class Holder {
    static final long[][] TABLE = load();
  }

  /** Number of dimensions the table provides. */
  static int maxDimensions() {
    return Holder.TABLE.length;
  }

  /** Direction numbers of dimension {@code d} (0-based); index 0 unused, 1..BITS used. Do not modify. */
  static long[] of(int d) {
    return Holder.TABLE[d];
  }

  private static long[][] load() {
    try (InputStream in = JoeKuoDirections.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Sobol direction numbers not found on the class path: " + RESOURCE);
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Sobol direction numbers " + RESOURCE, e);
    }
  }

  /** Parses lines {@code d s a m_1 .. m_s} after one header line; dimension 1 is implicit. */
  static long[][] parse(BufferedReader reader) throws IOException {
    java.util.List<long[]> dims = new java.util.ArrayList<>();
    long[] first = new long[SobolSequence.BITS + 1];
    for (int k = 1; k <= SobolSequence.BITS; k++) {
      first[k] = 1L << (SobolSequence.BITS - k);
    }
    dims.add(first);
    reader.readLine(); // header: d s a m_i
    String line;
    while ((line = reader.readLine()) != null) {
      String[] tok = line.trim().split("\\s+");
      if (tok.length < 3 || tok[0].isEmpty()) {
        continue;
      }
      int d = Integer.parseInt(tok[0]);
      int s = Integer.parseInt(tok[1]);
      int a = Integer.parseInt(tok[2]);
      if (d != dims.size() + 1 || tok.length != 3 + s || s < 1 || s > SobolSequence.BITS) {
        throw new IllegalStateException("malformed Sobol direction-number line: " + line);
      }
      int[] m = new int[s + 1];
      for (int k = 1; k <= s; k++) {
        m[k] = Integer.parseInt(tok[2 + k]);
      }
      dims.add(directions(s, a, m));
    }
    return dims.toArray(long[][]::new);
  }

  /**
   * Bratley-Fox recurrence: the first s direction numbers come from m_k; later ones from the primitive polynomial of
   * degree s whose inner coefficients are the bits of a.
   */
  private static long[] directions(int s, int a, int[] m) {
    final int bits = SobolSequence.BITS;
    long[] v = new long[bits + 1];
    for (int k = 1; k <= Math.min(s, bits); k++) {
      v[k] = ((long) m[k]) << (bits - k);
    }
    for (int k = s + 1; k <= bits; k++) {
      v[k] = v[k - s] ^ (v[k - s] >> s);
      for (int j = 1; j <= s - 1; j++) {
        if (((a >> (s - 1 - j)) & 1) == 1) {
          v[k] ^= v[k - j];
        }
      }
    }
    return v;
  }
}
