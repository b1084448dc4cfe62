package io.sextant.engine.program;

/** 64-bit mixing (the SplitMix64 finalizer) for structural hashes. */
final class Hashing {
  private Hashing() {}

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static String hex(long h) {
    return String.format("%016x", h);
  }
}
