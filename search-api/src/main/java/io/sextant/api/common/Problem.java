package io.sextant.api.common;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The shape of every error answer (RFC 9457 application/problem+json, written by {@link ProblemHandler}): declared
 * for the OpenAPI document. {@code field} names the offending input as a path into the request (a body field such
 * as {@code space.parameters[2].low}, a query parameter, {@code body} for a body that is not JSON).
 */
@Schema(name = "Problem", description = "RFC 9457 problem details; `field` names the offending input")
public record Problem(
    @Schema(example = "about:blank") String type,
    @Schema(example = "Bad Request") String title,
    @Schema(example = "400") int status,
    @Schema(example = "'low' is required") String detail,
    @Schema(example = "/api/v1/studies") String instance,
    @Schema(description = "the offending input: a body path, a query parameter or `body`",
        example = "space.parameters[2].low") String field) {}
