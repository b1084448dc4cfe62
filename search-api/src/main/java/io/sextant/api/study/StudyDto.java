package io.sextant.api.study;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A study as the API shows it: its canonical definition plus state and progress. {@code stateReason} says why a
 * FAILED study failed (null otherwise).
 */
public record StudyDto(
    long id, String name, String state, String stateReason, Map<String, Object> space, Object objectives, Object constraints,
    Map<String, Object> algorithm, Map<String, Object> evaluator, Map<String, Object> limits, Map<String, Object> earlyStopping,
    Map<String, Object> resources, long trialsIssued,
    Map<String, Long> trialCounts, Object bestValue, OffsetDateTime createdAt, OffsetDateTime updatedAt) {}
