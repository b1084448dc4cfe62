package io.sextant.api.common;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.springframework.transaction.TransactionSystemException;

/**
 * Whether a failure means "the database cannot be reached right now" (it restarts, recovers from a crash, or is
 * gone) rather than a bug: then the answer is 503 with Retry-After, and the client may try again. Recognized anywhere
 * in the cause chain (suppressed exceptions and a transaction's overridden application exception included): a
 * connection pool timeout ({@link SQLTransientConnectionException}), an SQLSTATE of class 08 (connection exception:
 * refused, broken, closed) or 57P (the server is shutting down, crashed, or not yet accepting connections), or the
 * pool's "Connection is closed" (Hikari closes a connection that failed with such a state, so the rollback that
 * follows fails with that message and no state, and replaces the original exception).
 */
public final class DatabaseUnavailable {
  /** Seconds a client should wait before retrying. */
  public static final long RETRY_AFTER_SECONDS = 2;
  public static final String DETAIL = "the database is unavailable (restarting or recovering); retry shortly";

  private DatabaseUnavailable() {}

  public static boolean causedBy(Throwable e) {
    return causedBy(e, new IdentityHashMap<>());
  }

  private static boolean causedBy(Throwable t, Map<Throwable, Boolean> seen) {
    if (t == null || seen.put(t, Boolean.TRUE) != null) {
      return false;
    }
    if (t instanceof SQLTransientConnectionException) {
      return true;
    }
    if (t instanceof SQLException s) {
      String state = s.getSQLState();
      if (state != null && (state.startsWith("08") || state.startsWith("57P"))
          || state == null && "Connection is closed".equals(s.getMessage())) {
        return true;
      }
    }
    if (t instanceof TransactionSystemException tse && causedBy(tse.getApplicationException(), seen)) {
      return true;
    }
    for (Throwable s : t.getSuppressed()) {
      if (causedBy(s, seen)) {
        return true;
      }
    }
    return causedBy(t.getCause(), seen);
  }
}
