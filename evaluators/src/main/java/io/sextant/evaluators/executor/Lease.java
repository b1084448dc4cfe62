package io.sextant.evaluators.executor;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A trial attempt handed to an executor, with everything needed to evaluate it. */
public record Lease(
    LeaseRef ref, long studyId, long trialNumber, Map<String, Object> params, String evaluator,
    Map<String, Object> evaluatorConfig, io.sextant.engine.study.StudyProblem problem, List<Integer> gpus,
    Instant expiresAt) {}
