package io.sextant.api.auth;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Writes problem+json from filters (outside Spring MVC's exception handling). */
final class Problems {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Problems() {}

  static void write(HttpServletResponse res, int status, String detail) throws IOException {
    res.setStatus(status);
    res.setContentType("application/problem+json");
    if (status == 401) {
      res.setHeader("WWW-Authenticate", "Bearer");
    }
    String title = status == 401 ? "Unauthorized" : status == 403 ? "Forbidden" : "Error";
    res.getWriter().write(JSON.writeValueAsString(Map.of("type", "about:blank", "title", title, "status", status,
        "detail", detail)));
  }
}
