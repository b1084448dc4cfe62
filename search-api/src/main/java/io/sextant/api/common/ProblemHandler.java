package io.sextant.api.common;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.space.SpaceException;
import java.net.URI;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as RFC 9457 application/problem+json. Bad input is a 4xx naming the field; a 500 never carries a
 * stack trace or class name.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {
  private static final System.Logger LOG = System.getLogger(ProblemHandler.class.getName());

  public static ResponseEntity<Object> problem(HttpStatusCode status, String field, String detail) {
    ProblemDetail pd = ProblemDetail.forStatusAndDetail(status, detail);
    HttpStatus hs = HttpStatus.resolve(status.value());
    pd.setTitle(hs == null ? "Error" : hs.getReasonPhrase());
    pd.setType(URI.create("about:blank"));
    if (field != null) {
      pd.setProperty("field", field);
    }
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(pd);
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<Object> api(ApiException e) {
    ResponseEntity<Object> r = problem(e.status(), e.field().orElse(null), e.getMessage());
    return e.retryAfterSeconds().<ResponseEntity<Object>>map(s -> ResponseEntity.status(r.getStatusCode())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON).header(HttpHeaders.RETRY_AFTER, Long.toString(s))
        .body(r.getBody())).orElse(r);
  }

  @ExceptionHandler(SpaceException.class)
  ResponseEntity<Object> space(SpaceException e) {
    return problem(HttpStatus.BAD_REQUEST, e.field(), e.getMessage());
  }

  @ExceptionHandler(ConfigException.class)
  ResponseEntity<Object> config(ConfigException e) {
    return problem(HttpStatus.BAD_REQUEST, e.field(), e.getMessage());
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e) {
    return problem(HttpStatus.BAD_REQUEST, e.getName(), "'" + e.getName() + "' has an invalid value");
  }

  @ExceptionHandler(DataIntegrityViolationException.class)
  ResponseEntity<Object> integrity(DataIntegrityViolationException e) {
    return problem(HttpStatus.CONFLICT, null, "the request conflicts with the current state");
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Object> unexpected(Exception e) {
    if (DatabaseUnavailable.causedBy(e)) {
      // not our bug: the database restarts or recovers; nothing was acknowledged, the client may retry
      LOG.log(System.Logger.Level.WARNING, "database unavailable: " + e);
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .header(HttpHeaders.RETRY_AFTER, Long.toString(DatabaseUnavailable.RETRY_AFTER_SECONDS))
          .body(problem(HttpStatus.SERVICE_UNAVAILABLE, null, DatabaseUnavailable.DETAIL).getBody());
    }
    LOG.log(System.Logger.Level.ERROR, "unexpected error", e);
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, null, "internal error");
  }

  /**
   * Request attribute (a Long: the limit in bytes) set when a body crossed its size limit while being read; the
   * parser then fails, and the answer is 413, not "unreadable".
   */
  public static final String BODY_TOO_LARGE = "io.sextant.api.bodyTooLarge";

  /**
   * A body that does not parse: 413 when it was cut off at its size limit ({@link #BODY_TOO_LARGE}); otherwise the
   * detail gives the line and column where the parser stopped (JSON and YAML parsers both report it), and what it
   * found there.
   */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    if (request.getAttribute(BODY_TOO_LARGE, WebRequest.SCOPE_REQUEST) instanceof Long max) {
      return problem(HttpStatus.CONTENT_TOO_LARGE, "body", "request body is larger than " + max + " bytes");
    }
    for (Throwable t = ex.getCause(); t != null; t = t.getCause()) {
      if (t instanceof tools.jackson.core.JacksonException je && je.getLocation() != null
          && je.getLocation().getLineNr() > 0) {
        String what = je.getOriginalMessage() == null ? "" : je.getOriginalMessage().lines().findFirst().orElse("");
        if (what.contains("java.") || what.contains("Exception") || what.length() > 300) {
          what = ""; // never a class name in a response
        }
        return problem(HttpStatus.BAD_REQUEST, "body", "the request body is not valid JSON/YAML at line "
            + je.getLocation().getLineNr() + ", column " + je.getLocation().getColumnNr()
            + (what.isBlank() ? "" : ": " + what));
      }
    }
    return problem(HttpStatus.BAD_REQUEST, "body", "the request body is missing or not valid JSON/YAML");
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex, Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    ResponseEntity<Object> r = super.handleExceptionInternal(ex, body, headers, statusCode, request);
    if (r != null && r.getBody() instanceof ProblemDetail pd && pd.getDetail() != null
        && pd.getDetail().contains("Exception")) {
      pd.setDetail(HttpStatus.valueOf(statusCode.value()).getReasonPhrase());
    }
    return r;
  }
}
