package io.sextant.evaluators.executor;

import io.sextant.engine.study.StudyProblem;
import io.sextant.evaluators.spi.Evaluator;
import io.sextant.evaluators.spi.EvaluatorProvider;
import io.sextant.evaluators.spi.Evaluators;
import java.util.LinkedHashMap;
import java.util.Map;

/** Evaluators created per (name, config, problem), most recently used kept; creation failures are not cached. */
final class EvaluatorCache {
  private static final int CAPACITY = 64;

  private record Key(String name, Map<String, Object> config, StudyProblem problem) {}

  private final Evaluators evaluators;
  private final Map<Key, Evaluator> cache = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Evaluator> eldest) {
      return size() > CAPACITY;
    }
  };

  EvaluatorCache(Evaluators evaluators) {
    this.evaluators = evaluators;
  }

  /**
   * The evaluator for a lease, created on first use.
   *
   * @throws IllegalArgumentException when no evaluator of that name is installed
   * @throws io.sextant.engine.designer.ConfigException when the provider refuses the config or problem
   */
  Evaluator get(Lease lease) {
    Map<String, Object> config = lease.evaluatorConfig() == null ? Map.of() : lease.evaluatorConfig();
    Key key = new Key(lease.evaluator(), config, lease.problem());
    synchronized (cache) {
      Evaluator cached = cache.get(key);
      if (cached != null) {
        return cached;
      }
    }
    EvaluatorProvider provider = evaluators.find(lease.evaluator()).orElseThrow(() -> new IllegalArgumentException(
        "evaluator '" + lease.evaluator() + "' is not installed on this executor (installed: "
            + String.join(", ", evaluators.all().keySet()) + ")"));
    Evaluator created = provider.create(lease.problem(), config);
    synchronized (cache) {
      cache.putIfAbsent(key, created);
      return cache.get(key);
    }
  }
}
