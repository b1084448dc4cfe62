package io.sextant.api.common;

import java.util.Optional;
import org.springframework.http.HttpStatus;

/** A refused request: rendered as application/problem+json with the offending {@code field} when known. */
public class ApiException extends RuntimeException {
  private final HttpStatus status;
  private final String field;
  private final Long retryAfterSeconds;

  public ApiException(HttpStatus status, String field, String detail) {
    this(status, field, detail, null);
  }

  /** A refusal that tells the client when to try again (sent as Retry-After). */
  public ApiException(HttpStatus status, String field, String detail, Long retryAfterSeconds) {
    super(detail);
    this.status = status;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ApiException badRequest(String field, String detail) {
    return new ApiException(HttpStatus.BAD_REQUEST, field, detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(HttpStatus.NOT_FOUND, null, detail);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(HttpStatus.FORBIDDEN, null, detail);
  }

  public static ApiException conflict(String field, String detail) {
    return new ApiException(HttpStatus.CONFLICT, field, detail);
  }

  public HttpStatus status() {
    return status;
  }

  public Optional<Long> retryAfterSeconds() {
    return Optional.ofNullable(retryAfterSeconds);
  }

  public Optional<String> field() {
    return Optional.ofNullable(field);
  }
}
