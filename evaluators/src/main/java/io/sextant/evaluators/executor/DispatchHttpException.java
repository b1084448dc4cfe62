package io.sextant.evaluators.executor;

/**
 * The dispatch server answered a request with an error status other than 409 (which is a
 * {@link StaleLeaseException}). {@link #detail()} is the problem document's {@code detail} (or {@code title}), or
 * the start of the body when the server sent no problem document.
 */
public class DispatchHttpException extends RuntimeException {
  private final int status;
  private final String detail;

  public DispatchHttpException(String request, int status, String detail) {
    super(request + " answered HTTP " + status + (detail.isBlank() ? "" : ": " + detail));
    this.status = status;
    this.detail = detail;
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }

  /** The server's explanation; empty when it gave none. */
  public String detail() {
    return detail;
  }
}
