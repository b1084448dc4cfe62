package io.sextant.api.auth;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.beans.factory.annotation.Value;

/**
 * Who may do what. API clients authenticate with {@code Authorization: Bearer <token>} (stateless, no CSRF); the web
 * UI signs in with a session cookie (password form, or the one-click {@code /login?token=...} link printed at start)
 * and sends the CSRF token with every change. Nothing but health and the login page works without credentials.
 *
 * <pre>
 * ADMIN    everything, users and all tokens
 * MEMBER   read all; create studies and manage its own (ask, tell, enqueue, pause, resume, delete); own tokens
 * VIEWER   read only; own viewer tokens
 * EXECUTOR the executor protocol (/api/v1/executors/**) and nothing else
 * </pre>
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {
  private static final String[] READERS = {"ADMIN", "MEMBER", "VIEWER"};

  /**
   * Whether the request authenticates with a bearer token. Only that scheme: a browser may attach other
   * credentials (e.g. Basic) by itself, so they must not exempt a session request from the CSRF check.
   */
  static boolean bearer(HttpServletRequest r) {
    String h = r.getHeader("Authorization");
    return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7);
  }

  /**
   * The web UI's CSRF token, in the cookie {@code XSRF-TOKEN} (read by the page, echoed in {@code X-XSRF-TOKEN}),
   * SameSite=Strict, Secure when {@code sextant.cookies.secure} (set it behind HTTPS; the session cookie follows
   * {@code server.servlet.session.cookie.secure}). Rotated at every sign-in ({@link LoginController}).
   */
  @Bean
  CsrfTokenRepository csrfTokens(@Value("${sextant.cookies.secure:false}") boolean secure) {
    CookieCsrfTokenRepository repo = CookieCsrfTokenRepository.withHttpOnlyFalse();
    repo.setCookieCustomizer(c -> c.sameSite("Strict").secure(secure));
    return repo;
  }

  /**
   * CSRF protects cookie-authenticated (browser session) requests; a request without the session cookie cannot
   * ride on a user's session, so it skips the check and meets authentication instead (401, not a CSRF 403).
   */
  static boolean noSessionCookie(HttpServletRequest r) {
    if (r.getCookies() == null) {
      return true;
    }
    for (var c : r.getCookies()) {
      if (c.getName().equals("JSESSIONID")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Requests that carry a bearer token (API clients, executors) have a chain of their own: stateless (no session is
   * read or created), no CSRF (they were exempt from it in the session chain too) and no logout; the same URL rules,
   * answers and headers as {@link #api}. The session chain's CSRF filter renders the web UI's token on every request
   * (minting one and setting its cookie when the request has none), about a twentieth of the CPU of an ask or a tell
   * spent for clients that never use it.
   */
  @Bean
  @org.springframework.core.annotation.Order(1)
  SecurityFilterChain bearerApi(HttpSecurity http, TokenService tokens) throws Exception {
    http.securityMatcher(SecurityConfig::bearer)
        .csrf(AbstractHttpConfigurer::disable)
        .sessionManagement(s -> s.sessionCreationPolicy(
            org.springframework.security.config.http.SessionCreationPolicy.STATELESS))
        .addFilterBefore(new BearerTokenFilter(tokens),
            org.springframework.security.web.authentication.AnonymousAuthenticationFilter.class)
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .authorizeHttpRequests(SecurityConfig::rules)
        .exceptionHandling(SecurityConfig::answers);
    http.headers(SecurityConfig::contentSecurityPolicy);
    return http.build();
  }

  /** Everything else: browser sessions (with CSRF), anonymous requests, and other Authorization schemes. */
  @Bean
  @org.springframework.core.annotation.Order(2)
  SecurityFilterChain api(HttpSecurity http, TokenService tokens, CsrfTokenRepository csrfTokens) throws Exception {
    http.csrf(c -> c.spa().csrfTokenRepository(csrfTokens)
            .ignoringRequestMatchers(SecurityConfig::bearer, SecurityConfig::noSessionCookie))
        .addFilterAfter(new BearerTokenFilter(tokens), LogoutFilter.class)
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
        .authorizeHttpRequests(SecurityConfig::rules)
        .exceptionHandling(SecurityConfig::answers);
    http.headers(SecurityConfig::contentSecurityPolicy);
    return http.build();
  }

  /** Who may call what (both chains). */
  private static void rules(org.springframework.security.config.annotation.web.configurers
      .AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry a) {
    a
        // the async half of a streamed response (export) was authorized when the request came in
        .dispatcherTypeMatchers(jakarta.servlet.DispatcherType.ASYNC, jakarta.servlet.DispatcherType.ERROR)
        .permitAll()
        .requestMatchers("/actuator/health", "/actuator/health/**", "/login", "/error").permitAll()
        .requestMatchers(HttpMethod.GET, "/api/v1/executors").hasAnyRole(READERS)
        .requestMatchers("/api/v1/executors", "/api/v1/executors/**").hasAnyRole("ADMIN", "EXECUTOR")
        .requestMatchers("/api/v1/users", "/api/v1/users/**").hasRole("ADMIN")
        .requestMatchers("/api/v1/tokens", "/api/v1/tokens/**", "/api/v1/me").hasAnyRole(READERS)
        .requestMatchers(HttpMethod.GET, "/api/**").hasAnyRole(READERS)
        .requestMatchers("/api/**").hasAnyRole("ADMIN", "MEMBER")
        .anyRequest().hasAnyRole(READERS);
  }

  /** 401 and 403 answers (both chains): problems for API callers, the sign-in page for browsers. */
  private static void answers(
      org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer<HttpSecurity> e) {
    e.authenticationEntryPoint((req, res, ex) -> {
          if (req.getRequestURI().startsWith("/api/") || req.getRequestURI().startsWith("/v3/")
              || req.getRequestURI().startsWith("/actuator/")
              || bearer(req)) {
            Problems.write(res, 401, "authentication required: send 'Authorization: Bearer <token>'");
          } else {
            res.sendRedirect("/login");
          }
        })
        .accessDeniedHandler((req, res, ex) -> Problems.write(res, 403,
            ex instanceof org.springframework.security.web.csrf.CsrfException
                ? "missing or invalid CSRF token" : "this role may not do that"));
  }

  /**
   * The Content-Security-Policy of every response (pages, API, errors, Swagger UI): scripts only from this origin
   * (no inline script, no eval), no plugins, no framing, forms and base URLs to this origin only. Styles may be
   * inline (the sign-in page's style block, ECharts' tooltip markers); images may be data: URIs (the page icon,
   * Swagger UI's icons). This is defence in depth: the web UI renders every user-supplied string as text.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; object-src 'none'; "
      + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data:";

  private static void contentSecurityPolicy(
      org.springframework.security.config.annotation.web.configurers.HeadersConfigurer<HttpSecurity> headers) {
    headers.contentSecurityPolicy(c -> c.policyDirectives(CONTENT_SECURITY_POLICY));
  }

  /**
   * No Spring Security observations (a timer and a span around each of the chain's filters, the authorization and
   * the authentication: a dozen observations per request, about a tenth of the CPU of an ask or a tell). Requests
   * are still observed as a whole (http.server.requests); nothing documented (docs/operations.md) came from these.
   */
  @Bean
  org.springframework.security.config.observation.SecurityObservationSettings noSecurityObservations() {
    return org.springframework.security.config.observation.SecurityObservationSettings.noObservations();
  }

  @Bean
  PasswordEncoder passwords() {
    return Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8();
  }

  /** Users sign in through {@link LoginController}; this only keeps Spring Boot from creating a default user. */
  @Bean
  UserDetailsService noDefaultUser() {
    return username -> {
      throw new UsernameNotFoundException(username);
    };
  }
}
