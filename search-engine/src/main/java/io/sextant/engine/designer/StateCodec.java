package io.sextant.engine.designer;

import java.util.Map;
import java.util.Optional;

/**
 * The typed state of a designer and its JSON form, in the manner of OSS Vizier's {@code load}/{@code dump}: a
 * designer that keeps state between suggestions declares a state type {@code S}, a name and a version, and this
 * codec turns an {@code S} into JSON-shaped fields (maps, lists, strings, numbers, booleans) and back.
 *
 * <p>The stored form is {@link DesignerState#write}'s envelope: {@code {"designer": name, "version": version,
 * ...fields}}; {@code designer} and {@code version} are reserved and never appear among the fields. Reading goes
 * through {@link DesignerState#read}, which never fails: a state that is absent, written by another designer, of
 * another version that {@link #upgrade} does not accept, or malformed (any exception of {@link #decode}) reads as
 * absent, and the designer rebuilds from the trials.
 *
 * <p>Implementations are strict: {@link #decode} throws on a missing or ill-typed field instead of filling in a
 * default, so a corrupt state is rebuilt rather than half-read. The designer contract suite checks the round trip
 * ({@code decode(encode(s))} encodes to the same fields, also after a trip through JSON text, where integers may come
 * back as {@code Integer} or {@code Long}) and that corrupt and foreign states give the proposals of no state.
 *
 * @param <S> the state type (immutable, or confined to one call)
 */
public interface StateCodec<S> {
  /** The designer that writes this state (stored as {@code designer}); usually its registered name. */
  String name();

  /** The version of the fields' layout; a codec reads its own version and, through {@link #upgrade}, older ones. */
  int version();

  /** The state as JSON-shaped fields, without the reserved {@code designer} and {@code version} keys. */
  Map<String, Object> encode(S state);

  /**
   * Reads the fields of a state of this codec's name and version.
   *
   * @throws RuntimeException (e.g. {@link IllegalArgumentException}, {@link ClassCastException}) when a field is
   *     missing, ill-typed or inconsistent with the designer's configuration
   */
  S decode(Map<String, Object> fields);

  /**
   * Reads a stored state written before this codec's version (or before states had an envelope: no
   * {@code designer} key, possibly no {@code version}); empty when it cannot be carried over. Default: none can.
   *
   * @param stored the whole stored map, envelope keys included
   */
  default Optional<S> upgrade(Map<String, Object> stored) {
    return Optional.empty();
  }
}
