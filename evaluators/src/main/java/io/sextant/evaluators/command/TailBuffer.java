package io.sextant.evaluators.command;

import java.nio.charset.StandardCharsets;

/** The last {@code capacity} bytes written to it; a character cut at the start is dropped. Thread-safe. */
final class TailBuffer {
  private final byte[] ring;
  private long written;

  TailBuffer(int capacity) {
    ring = new byte[capacity];
  }

  synchronized void write(byte[] b, int off, int len) {
    if (ring.length == 0) {
      written += len;
      return;
    }
    for (int i = 0; i < len; i++) {
      ring[(int) ((written + i) % ring.length)] = b[off + i];
    }
    written += len;
  }

  synchronized long written() {
    return written;
  }

  /** The kept bytes as UTF-8 text, without a partial character at the start. */
  synchronized String text() {
    int n = (int) Math.min(written, ring.length);
    byte[] out = new byte[n];
    long start = written - n;
    for (int i = 0; i < n; i++) {
      out[i] = ring[(int) ((start + i) % ring.length)];
    }
    int skip = 0;
    if (start > 0) {
      while (skip < n && (out[skip] & 0xC0) == 0x80) {
        skip++; // continuation bytes of a character cut off at the front
      }
    }
    return new String(out, skip, n - skip, StandardCharsets.UTF_8);
  }
}
