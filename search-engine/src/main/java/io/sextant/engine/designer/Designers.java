package io.sextant.engine.designer;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The designers installed on the class path, by name. */
public final class Designers {
  private final Map<String, DesignerProvider> byName;

  private Designers(Map<String, DesignerProvider> byName) {
    this.byName = Collections.unmodifiableMap(byName);
  }

  public static Designers load() {
    return load(Designers.class.getClassLoader());
  }

  public static Designers load(ClassLoader loader) {
    Map<String, DesignerProvider> m = new TreeMap<>();
    for (DesignerProvider p : ServiceLoader.load(DesignerProvider.class, loader)) {
      if (m.putIfAbsent(p.name(), p) != null) {
        throw new IllegalStateException("two designers are named '" + p.name() + "'");
      }
    }
    return new Designers(m);
  }

  public Optional<DesignerProvider> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Map<String, DesignerProvider> all() {
    return byName;
  }
}
