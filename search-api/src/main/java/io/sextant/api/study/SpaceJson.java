package io.sextant.api.study;

import io.sextant.engine.space.SearchSpace;
import io.sextant.engine.space.SpaceException;
import io.sextant.engine.space.SpaceMaps;
import java.util.Map;

/** Search spaces in request bodies: {@link SpaceMaps} with error fields prefixed by where the space sits. */
public final class SpaceJson {
  private SpaceJson() {}

  public static SearchSpace parse(Object node, String path) {
    try {
      return SpaceMaps.parse(node);
    } catch (SpaceException e) {
      throw e.within(path);
    }
  }

  public static Map<String, Object> render(SearchSpace space) {
    return SpaceMaps.render(space);
  }
}
