package io.sextant.engine.designer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes a designer's typed state ({@link StateCodec}) in the envelope stored in
 * {@code study.designer_state}: {@code {"designer": name, "version": version, ...fields}}.
 *
 * <p>{@link #read} never fails: absent, foreign (another {@code designer}), other-version and corrupt states read as
 * empty, and the designer rebuilds its state from the snapshot's trials. Whether that rebuild changes the
 * designer's proposals is declared by {@link Designer#stateRole()}.
 */
public final class DesignerState {
  /** Envelope key: the name of the designer that wrote the state. */
  public static final String DESIGNER = "designer";
  /** Envelope key: the version of the state's layout. */
  public static final String VERSION = "version";

  private DesignerState() {}

  /** How a designer's state relates to its trials. */
  public enum Role {
    /** The designer writes no state ({@link Proposal#nextState()} is always empty). */
    NONE,
    /**
     * A pure cache: the state only saves work, and the proposals for a snapshot are the same with and without it
     * (the contract suite checks this).
     */
    CACHE,
    /**
     * The state carries knowledge the snapshot's trials alone do not give (cached hyperparameters and when they were
     * fitted, epochs, fitness of programs beyond the window). Losing it is never an error: the designer rebuilds it
     * from the trials, but its proposals from then on may differ from those it would have made with it.
     */
    MEMORY
  }

  /**
   * The state in the snapshot decoded by {@code codec}; empty when there is none or it is foreign, of a version the
   * codec neither reads nor upgrades, or malformed.
   */
  public static <S> Optional<S> read(Optional<Map<String, Object>> stored, StateCodec<S> codec) {
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> s = stored.get();
    try {
      Object designer = s.get(DESIGNER);
      if (designer != null && !codec.name().equals(designer)) {
        return Optional.empty();
      }
      if (designer != null && s.get(VERSION) instanceof Number v && v.doubleValue() == codec.version()) {
        Map<String, Object> fields = new LinkedHashMap<>(s);
        fields.remove(DESIGNER);
        fields.remove(VERSION);
        return Optional.of(codec.decode(fields));
      }
      return codec.upgrade(s);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The envelope to store: {@code designer}, {@code version}, then the codec's fields. */
  public static <S> Map<String, Object> write(StateCodec<S> codec, S state) {
    Map<String, Object> fields = codec.encode(state);
    if (fields.containsKey(DESIGNER) || fields.containsKey(VERSION)) {
      throw new IllegalStateException("state fields of " + codec.name() + " use a reserved key");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(DESIGNER, codec.name());
    out.put(VERSION, (long) codec.version());
    out.putAll(fields);
    return java.util.Collections.unmodifiableMap(out);
  }

  // ------------------------------------------------------------------------------- strict field readers for codecs

  /** A required field. */
  public static Object field(Map<String, Object> fields, String key) {
    Object v = fields.get(key);
    if (v == null) {
      throw new IllegalArgumentException("state field '" + key + "' missing");
    }
    return v;
  }

  /** A required integral number. */
  public static long longField(Map<String, Object> fields, String key) {
    if (field(fields, key) instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && Double.isFinite(n.doubleValue())) {
      return n.longValue();
    }
    throw new IllegalArgumentException("state field '" + key + "' is not an integer");
  }

  /** A required number (not NaN). */
  public static double doubleField(Map<String, Object> fields, String key) {
    if (field(fields, key) instanceof Number n && !Double.isNaN(n.doubleValue())) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("state field '" + key + "' is not a number");
  }

  /** A required JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> mapField(Map<String, Object> fields, String key) {
    if (field(fields, key) instanceof Map<?, ?> m) {
      for (Object k : m.keySet()) {
        if (!(k instanceof String)) {
          throw new IllegalArgumentException("state field '" + key + "' has a non-string key");
        }
      }
      return (Map<String, Object>) m;
    }
    throw new IllegalArgumentException("state field '" + key + "' is not an object");
  }

  /** A required JSON array. */
  public static java.util.List<?> listField(Map<String, Object> fields, String key) {
    if (field(fields, key) instanceof java.util.List<?> l) {
      return l;
    }
    throw new IllegalArgumentException("state field '" + key + "' is not an array");
  }
}
