package io.sextant.engine.designer;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer of a designer: the suggestions (exactly the requested count unless the space is exhausted) and an
 * optional new state that the API stores with the study in the same transaction: the JSON-shaped envelope of
 * {@link DesignerState#write} for the designer's {@link Designer#stateCodec()} (empty: keep the stored state).
 */
public record Proposal(List<Suggestion> suggestions, Optional<Map<String, Object>> nextState) {
  public Proposal {
    suggestions = List.copyOf(suggestions);
  }

  public static Proposal of(List<Suggestion> suggestions) {
    return new Proposal(suggestions, Optional.empty());
  }
}
