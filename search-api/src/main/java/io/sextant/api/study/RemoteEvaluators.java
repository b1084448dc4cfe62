package io.sextant.api.study;

import java.util.List;
import java.util.Map;

/** Evaluators that registered executor nodes declare (custom jars on their class path), by name. */
public interface RemoteEvaluators {
  /** Evaluator name -> the names of the registered executors that offer it. */
  Map<String, List<String>> offeredByExecutors();
}
