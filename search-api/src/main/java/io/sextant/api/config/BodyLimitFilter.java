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
 * Refuses request bodies above {@code sextant.max-body-bytes} (default 1 MiB) with 413, chunked ones included. A study
 * import (POST /api/v1/studies/import) carries a whole study and has its own cap, {@code sextant.max-import-bytes}
 * (default 64 MiB).
 */
@Component
public class BodyLimitFilter extends OncePerRequestFilter {
  static final String IMPORT_PATH = "/api/v1/studies/import";
  private final long defaultMax;
  private final long importMax;
  private final JsonMapper mapper = JsonMapper.builder().build();

  public BodyLimitFilter(@Value("${sextant.max-body-bytes:1048576}") long max,
      @Value("${sextant.max-import-bytes:67108864}") long importMax) {
    this.defaultMax = max;
    this.importMax = importMax;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws ServletException, IOException {
    long max = IMPORT_PATH.equals(req.getRequestURI()) ? importMax : defaultMax;
    if (req.getContentLengthLong() > max) {
      tooLarge(res, max);
      return;
    }
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
              throw new TooLarge();
            }
            return b;
          }

          @Override
          public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0 && (read += n) > max) {
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
