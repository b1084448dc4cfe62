package io.sextant.evaluators.spi;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The evaluators installed on the class path, by name. */
public final class Evaluators {
  private final Map<String, EvaluatorProvider> byName;

  private Evaluators(Map<String, EvaluatorProvider> byName) {
    this.byName = Collections.unmodifiableMap(byName);
  }

  public static Evaluators load() {
    return load(Evaluators.class.getClassLoader());
  }

  public static Evaluators load(ClassLoader loader) {
    Map<String, EvaluatorProvider> m = new TreeMap<>();
    for (EvaluatorProvider p : ServiceLoader.load(EvaluatorProvider.class, loader)) {
      if (m.putIfAbsent(p.name(), p) != null) {
        throw new IllegalStateException("two evaluators are named '" + p.name() + "'");
      }
    }
    return new Evaluators(m);
  }

  /**
   * The installed evaluators whose names pass {@code keep}, e.g. {@code load().filter(n -> !n.equals("command"))}
   * for an executor that must not run arbitrary programs (such as one inside the API server).
   */
  public Evaluators filter(java.util.function.Predicate<String> keep) {
    Map<String, EvaluatorProvider> m = new TreeMap<>();
    byName.forEach((n, p) -> {
      if (keep.test(n)) {
        m.put(n, p);
      }
    });
    return new Evaluators(m);
  }

  /**
   * The installed evaluators that run no program a study names ({@link EvaluatorProvider#runsPrograms}): what an
   * executor offers unless its operator allows commands.
   */
  public Evaluators withoutPrograms() {
    Map<String, EvaluatorProvider> m = new TreeMap<>(byName);
    m.values().removeIf(EvaluatorProvider::runsPrograms);
    return new Evaluators(m);
  }

  public Optional<EvaluatorProvider> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Map<String, EvaluatorProvider> all() {
    return byName;
  }
}
