package io.sextant.engine.designer;

/**
 * A configuration that a designer or evaluator cannot work with (bad option, unsupported problem). {@link #field()}
 * names the offending field relative to the options object (e.g. {@code seed}) or the problem (e.g.
 * {@code objectives}); the API prefixes it with where the options came from.
 */
public class ConfigException extends IllegalArgumentException {
  private final String field;

  public ConfigException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
