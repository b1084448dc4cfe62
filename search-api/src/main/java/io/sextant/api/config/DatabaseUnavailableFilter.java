package io.sextant.api.config;

import io.sextant.api.common.DatabaseUnavailable;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * 503 application/problem+json with Retry-After while the database is unavailable, instead of a wait for the pool's
 * connection timeout and a 500. Runs before Spring Security (whose token check reads the database):
 * <ul>
 *   <li>while the embedded PostgreSQL is known to be down (its postmaster died and is being restarted), API and
 *       login requests are answered at once without touching the pool;</li>
 *   <li>a database failure escaping a filter (e.g. the token lookup) becomes the same 503. Controllers' failures
 *       are mapped by {@link io.sextant.api.common.ProblemHandler}.</li>
 * </ul>
 * Health endpoints pass through: readiness reports the database DOWN.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 50)
public class DatabaseUnavailableFilter extends OncePerRequestFilter {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final ObjectProvider<EmbeddedPostgresConfig.EmbeddedServer> embedded;

  public DatabaseUnavailableFilter(ObjectProvider<EmbeddedPostgresConfig.EmbeddedServer> embedded) {
    this.embedded = embedded;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws ServletException, IOException {
    String path = req.getRequestURI();
    boolean needsDatabase = path.startsWith("/api/") || path.equals("/login");
    var server = embedded.getIfAvailable();
    if (needsDatabase && server != null && server.server().state() == EmbeddedPostgresServer.State.DOWN) {
      write(res);
      return;
    }
    try {
      chain.doFilter(req, res);
    } catch (ServletException | IOException | RuntimeException e) {
      if (DatabaseUnavailable.causedBy(e) && !res.isCommitted()) {
        res.reset();
        write(res);
        return;
      }
      throw e;
    }
  }

  static void write(HttpServletResponse res) throws IOException {
    res.setStatus(503);
    res.setContentType("application/problem+json");
    res.setHeader("Retry-After", Long.toString(DatabaseUnavailable.RETRY_AFTER_SECONDS));
    res.getOutputStream().write(JSON.writeValueAsBytes(Map.of("type", "about:blank", "title", "Service Unavailable",
        "status", 503, "detail", DatabaseUnavailable.DETAIL)));
  }
}
