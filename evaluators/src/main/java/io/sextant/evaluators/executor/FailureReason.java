package io.sextant.evaluators.executor;

/**
 * The one limit on an attempt's failure reason, and the one rule for it.
 *
 * <p>A failure reason is at most {@link #MAX_LENGTH} characters wherever it travels: the ask/tell API
 * ({@code /fail}, an infeasible {@code /complete}), the executor protocol ({@code .../fail},
 * {@code /outcomes}) and study imports. <b>Whoever receives a longer one refuses it</b> (the server answers 400
 * naming the field, e.g. {@code reason} or {@code outcomes[3].reason}, and records nothing). <b>Whoever makes
 * one fits it first</b> ({@link #fit}): every executor outcome, in-process or remote, goes through
 * {@link Outcome}, which fits its reason, so an executor never has an outcome refused
 * for its length (a refused outcome would hold up the batch it rides in). Fitting keeps the head (the headline of a
 * command's failure) and the tail (the end of its stderr, where the error usually is) around a marker that says how
 * much was cut.
 */
public final class FailureReason {
  /** The most characters a failure reason may have. */
  public static final int MAX_LENGTH = 10_000;
  /** What a blank reason becomes. */
  public static final String BLANK = "evaluation failed";
  /** Characters kept from the start of an over-long reason; the rest of the budget goes to its end. */
  static final int HEAD = 2_000;

  private FailureReason() {}

  /**
   * A reason fitted to the limit: NUL replaced by U+FFFD (PostgreSQL text cannot hold it), blank made
   * {@value #BLANK}, and one longer than {@link #MAX_LENGTH} cut in the middle to at most {@link #MAX_LENGTH}
   * characters: its first characters, {@code "\n[... N characters cut ...]\n"}, its last characters.
   */
  public static String fit(String reason) {
    String s = reason == null || reason.isBlank() ? BLANK : reason;
    if (s.indexOf('\0') >= 0) {
      s = s.replace('\0', '\uFFFD');
    }
    if (s.length() <= MAX_LENGTH) {
      return s;
    }
    int n = s.length();
    int cut = n - MAX_LENGTH;
    while (n - cut + marker(cut).length() > MAX_LENGTH) {
      cut++;
    }
    int head = Character.isHighSurrogate(s.charAt(HEAD - 1)) ? HEAD - 1 : HEAD; // never split a surrogate pair
    int tail = head + cut;
    if (Character.isLowSurrogate(s.charAt(tail))) {
      tail++;
    }
    return s.substring(0, head) + marker(tail - head) + s.substring(tail);
  }

  private static String marker(int cut) {
    return "\n[... " + cut + " characters cut ...]\n";
  }

  /**
   * A received reason: present, a non-blank string of at most {@link #MAX_LENGTH} characters, else a
   * {@link WireFormatException} naming {@code field}.
   */
  public static String check(Object reason, String field) {
    if (reason == null) {
      throw new WireFormatException(field, "'" + field + "' is required");
    }
    if (!(reason instanceof String s) || s.isBlank()) {
      throw new WireFormatException(field, "'" + field + "' must be a non-empty string");
    }
    if (s.length() > MAX_LENGTH) {
      throw new WireFormatException(field, "'" + field + "' is longer than " + MAX_LENGTH + " characters ("
          + s.length() + "); fit it with a cut in the middle, as executors do");
    }
    return s;
  }
}
