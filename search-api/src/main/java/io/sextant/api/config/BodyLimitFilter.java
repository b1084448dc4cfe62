package io.sextant.api.config;

import io.sextant.api.common.ApiException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses request bodies above {@code sextant.max-body-bytes} (default 1 MiB) with 413, chunked ones included (also
 * when the body was being parsed when it crossed the limit). A study import (POST /api/v1/studies/import) carries a
 * whole study and has its own cap, {@code sextant.max-import-bytes} (default 64 MiB); at most
 * {@code sextant.max-concurrent-imports} (default 1) are parsed at once per server, so that a few concurrent large
 * imports cannot exhaust its memory: a further one waits up to 10 s for its turn, then gets 503 with Retry-After.
 */
@Component
public class BodyLimitFilter extends OncePerRequestFilter {
  static final String IMPORT_PATH = "/api/v1/studies/import";
  private final long defaultMax;
  private final long importMax;
  private final JsonMapper mapper = JsonMapper.builder().build();

  private final java.util.concurrent.Semaphore imports;

  public BodyLimitFilter(@Value("${sextant.max-body-bytes:1048576}") long max,
      @Value("${sextant.max-import-bytes:67108864}") long importMax,
      @Value("${sextant.max-concurrent-imports:1}") int concurrentImports) {
    this.defaultMax = max;
    this.importMax = importMax;
    this.imports = new java.util.concurrent.Semaphore(Math.max(1, concurrentImports), true);
  }

  @Override
  protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws ServletException, IOException {
    boolean isImport = IMPORT_PATH.equals(req.getRequestURI());
    long max = isImport ? importMax : defaultMax;
    if (req.getContentLengthLong() > max) {
      tooLarge(res, max);
      return;
    }
    if (!isImport) {
      if (req.getContentLengthLong() >= 0) {
        // a declared length within the limit: the server reads no more than that, so no counting wrapper is needed
        chain.doFilter(req, res);
      } else {
        limited(req, res, chain, max);
      }
      return;
    }
    try {
      if (!imports.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS)) {
        busy(res);
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      busy(res);
      return;
    }
    try {
      limited(req, res, chain, max);
    } finally {
      imports.release();
    }
  }

  private void limited(HttpServletRequest req, HttpServletResponse res, FilterChain chain, long max)
      throws ServletException, IOException {
    try {
      chain.doFilter(new Limited(req, max), res);
    } catch (ServletException | RuntimeException e) {
      if (causedByLimit(e) && !res.isCommitted()) {
        res.reset();
        tooLarge(res, max);
        return;
      }
      throw e;
    }
  }

  private void busy(HttpServletResponse res) throws IOException {
    res.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
    res.setHeader("Retry-After", "5");
    res.setContentType("application/problem+json");
    var body = java.util.Map.of("type", "about:blank", "title", "Service Unavailable", "status", 503,
        "detail", "too many study imports at once: retry in a few seconds", "field", "body");
    res.getWriter().write(mapper.writeValueAsString(body));
  }

  private static boolean causedByLimit(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TooLarge) {
        return true;
      }
    }
    return false;
  }

  private void tooLarge(HttpServletResponse res, long max) throws IOException {
    res.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
    res.setContentType("application/problem+json");
    var body = java.util.Map.of("type", "about:blank", "title", "Content Too Large", "status", 413,
        "detail", "request body is larger than " + max + " bytes", "field", "body");
    res.getWriter().write(mapper.writeValueAsString(body));
  }

  static final class TooLarge extends IOException {
    TooLarge() {
      super("request body too large");
    }
  }

  private static final class Limited extends HttpServletRequestWrapper {
    private final long max;
    private ServletInputStream stream;
    /** Tells whoever catches the parser's failure that the body was too large ({@link ProblemHandler}). */
    void exceeded() {
      setAttribute(io.sextant.api.common.ProblemHandler.BODY_TOO_LARGE, max);
    }

    Limited(HttpServletRequest r, long max) {
      super(r);
      this.max = max;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        ServletInputStream in = super.getInputStream();
        stream = new ServletInputStream() {
          long read;

          @Override
          public int read() throws IOException {
            int b = in.read();
            if (b >= 0 && ++read > max) {
              exceeded();
              throw new TooLarge();
            }
            return b;
          }

          @Override
          public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0 && (read += n) > max) {
              exceeded();
              throw new TooLarge();
            }
            return n;
          }

          @Override
          public boolean isFinished() {
            return in.isFinished();
          }

          @Override
          public boolean isReady() {
            return in.isReady();
          }

          @Override
          public void setReadListener(ReadListener l) {
            in.setReadListener(l);
          }
        };
      }
      return stream;
    }
  }
}
