package io.sextant.api.config;

import io.sextant.api.common.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Refuses query parameters an API endpoint does not take (e.g. {@code size} on /trials, whose parameter is
 * {@code limit}) with a 400 naming the parameter, instead of ignoring them. An endpoint takes exactly the
 * {@code @RequestParam}s its handler method declares; applies to every {@code /api/**} handler of Sextant's own
 * controllers (not to the login page, actuator or the OpenAPI documents).
 */
@Component
class QueryParameterCheck implements WebMvcConfigurer, HandlerInterceptor {
  private static final DefaultParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();
  /** Per handler method: the query parameter names it takes (empty Optional: any, it binds them as a map). */
  private final Map<Method, Optional<Set<String>>> taken = new ConcurrentHashMap<>();

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(this).addPathPatterns("/api/**");
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    String query = request.getQueryString();
    if (query == null || query.isEmpty() || !(handler instanceof HandlerMethod h)
        || !h.getBeanType().getPackageName().startsWith("io.sextant.")) {
      return true;
    }
    Optional<Set<String>> names = taken.computeIfAbsent(h.getMethod(), m -> declared(h));
    if (names.isEmpty()) {
      return true;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (!names.get().contains(name)) {
        throw ApiException.badRequest(name, "unknown query parameter '" + name + "' ("
            + (names.get().isEmpty() ? "this endpoint takes none" : "this endpoint takes: "
            + String.join(", ", names.get())) + ")");
      }
    }
    return true;
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw; // a malformed escape: named as sent
    }
  }

  private static Optional<Set<String>> declared(HandlerMethod h) {
    Set<String> out = new LinkedHashSet<>();
    String[] parameterNames = NAMES.getParameterNames(h.getMethod());
    for (MethodParameter p : h.getMethodParameters()) {
      RequestParam rp = p.getParameterAnnotation(RequestParam.class);
      if (rp == null) {
        continue;
      }
      if (Map.class.isAssignableFrom(p.getParameterType())) {
        return Optional.empty();
      }
      String name = !rp.name().isEmpty() ? rp.name() : !rp.value().isEmpty() ? rp.value()
          : parameterNames == null ? null : parameterNames[p.getParameterIndex()];
      if (name == null) {
        return Optional.empty(); // cannot tell: do not refuse
      }
      out.add(name);
    }
    return Optional.of(java.util.Collections.unmodifiableSet(out));
  }
}
