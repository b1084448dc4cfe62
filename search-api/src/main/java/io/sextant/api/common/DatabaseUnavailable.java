package io.sextant.api.common;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Whether a failure means "the database cannot be reached right now" (it restarts, recovers from a crash, or is
 * gone) rather than a bug: then the answer is 503 with Retry-After, and the client may try again. Recognized anywhere
 * in the cause chain: a connection pool timeout ({@link SQLTransientConnectionException}), or an SQLSTATE of class
 * 08 (connection exception: refused, broken, closed) or 57P (the server is shutting down, crashed, or not yet
 * accepting connections).
 */
public final class DatabaseUnavailable {
  /** Seconds a client should wait before retrying. */
  public static final long RETRY_AFTER_SECONDS = 2;
  public static final String DETAIL = "the database is unavailable (restarting or recovering); retry shortly";

  private DatabaseUnavailable() {}

  public static boolean causedBy(Throwable e) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = e; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException s && s.getSQLState() != null
          && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
        return true;
      }
    }
    return false;
  }
}
