package io.sextant.evaluators.executor;

/** Identifies one attempt of one trial: reports carry it so a stale attempt can never overwrite a newer one. */
public record LeaseRef(long trialId, int attempt) {}
