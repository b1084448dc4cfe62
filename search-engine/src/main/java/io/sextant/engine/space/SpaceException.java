package io.sextant.engine.space;

/** An invalid search space or assignment; {@link #field()} names the offending field (relative path). */
public class SpaceException extends IllegalArgumentException {
  private final String field;

  public SpaceException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }

  /** The same error with its field path prefixed, e.g. {@code parameters[2]} + {@code low}. */
  public SpaceException within(String prefix) {
    return new SpaceException(field == null || field.isEmpty() ? prefix : prefix + "." + field, getMessage());
  }
}
