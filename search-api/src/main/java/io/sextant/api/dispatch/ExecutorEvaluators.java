package io.sextant.api.dispatch;

import io.sextant.api.common.Json;
import io.sextant.api.study.RemoteEvaluators;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** The evaluators registered executor nodes declare, read from the executor table (a handful of rows). */
@Component
class ExecutorEvaluators implements RemoteEvaluators {
  private final ExecutorRepository executors;
  private final Json json;

  ExecutorEvaluators(ExecutorRepository executors, Json json) {
    this.executors = executors;
    this.json = json;
  }

  @Override
  public Map<String, List<String>> offeredByExecutors() {
    Map<String, List<String>> out = new TreeMap<>();
    for (ExecutorEntity e : executors.findAll()) {
      if (e.evaluators != null) {
        for (Object name : json.readList(e.evaluators)) {
          out.computeIfAbsent(String.valueOf(name), k -> new ArrayList<>()).add(e.name);
        }
      }
    }
    return out;
  }
}
