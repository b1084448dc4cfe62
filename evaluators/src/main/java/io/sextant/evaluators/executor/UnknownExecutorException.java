package io.sextant.evaluators.executor;

/**
 * The dispatch server does not know the executor id (it never registered, or the server forgot it, e.g. after
 * reaping an executor whose heartbeats stopped). {@link ExecutorNode} registers again when a lease request fails
 * with it.
 */
public class UnknownExecutorException extends DispatchHttpException {
  public UnknownExecutorException(String request, String detail) {
    super(request, 404, detail);
  }
}
