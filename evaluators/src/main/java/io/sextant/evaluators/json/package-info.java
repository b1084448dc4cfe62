/**
 * JSON helpers shared by the REST dispatch client and the command evaluator: one configured Jackson mapper and the
 * encoding of non-finite metric values as the strings {@code "Infinity"}, {@code "-Infinity"} and {@code "NaN"}.
 */
package io.sextant.evaluators.json;
