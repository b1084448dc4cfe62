package io.sextant.api.study;

import io.sextant.engine.study.StudyProblem;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** A validated study definition (what a client posts), independent of storage. */
public record StudySpec(
    String name, StudyProblem problem, String algorithm, Map<String, Object> algorithmOptions,
    Optional<String> evaluator, Map<String, Object> evaluatorConfig, OptionalLong maxTrials, OptionalInt maxParallel,
    int maxAttempts) {}
