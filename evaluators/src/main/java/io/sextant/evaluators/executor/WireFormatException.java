package io.sextant.evaluators.executor;

/**
 * A message that does not follow the executor wire format. {@link #field()} names the offending part the way the
 * server's problem documents do ({@code slots}, {@code outcomes[2].reason}, {@code values.loss}; {@code body} for
 * the whole message); the server answers it with 400 naming that field.
 */
public class WireFormatException extends IllegalArgumentException {
  private final String field;

  public WireFormatException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The offending field's path ({@code body} for the message as a whole). */
  public String field() {
    return field;
  }
}
