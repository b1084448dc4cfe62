package io.sextant.api.config;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the study id and trial number of a request into the logging context (MDC keys {@code studyId},
 * {@code trialNumber}), so every log line of the request carries them; with
 * {@code --logging.structured.format.console=ecs} they appear as JSON fields.
 */
@Component
public class LoggingContextFilter extends OncePerRequestFilter {
  private static final Pattern PATH = Pattern.compile("^/api/v1/studies/(\\d+)(?:/trials/(\\d+))?");

  @Override
  protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws ServletException, IOException {
    Matcher m = PATH.matcher(req.getRequestURI());
    if (m.find()) {
      MDC.put("studyId", m.group(1));
      if (m.group(2) != null) {
        MDC.put("trialNumber", m.group(2));
      }
    }
    try {
      chain.doFilter(req, res);
    } finally {
      MDC.remove("studyId");
      MDC.remove("trialNumber");
    }
  }
}
