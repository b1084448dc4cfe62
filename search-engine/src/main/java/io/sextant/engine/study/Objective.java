package io.sextant.engine.study;

/** A metric to optimize. */
public record Objective(String metric, Direction direction) {}
