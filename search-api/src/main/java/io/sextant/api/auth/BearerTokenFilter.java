package io.sextant.api.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authorization: Bearer &lt;token&gt; -> the token's caller for this request only (no session). A request without
 * one that rides on a browser session gets the session's caller as it is now ({@link TokenService#refresh}): when
 * the session's token was revoked or its user deleted, the session ends here and the request is anonymous.
 */
public class BearerTokenFilter extends OncePerRequestFilter {
  private final TokenService tokens;

  public BearerTokenFilter(TokenService tokens) {
    this.tokens = tokens;
  }

  static UsernamePasswordAuthenticationToken authentication(Caller c) {
    return UsernamePasswordAuthenticationToken.authenticated(c, null,
        List.of(new SimpleGrantedAuthority("ROLE_" + c.role().name())));
  }

  @Override
  protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws ServletException, IOException {
    if (SecurityConfig.bearer(req)) {
      var caller = tokens.authenticate(req.getHeader("Authorization").substring(7).trim());
      if (caller.isEmpty()) {
        Problems.write(res, 401, "the token is invalid, expired or revoked");
        return;
      }
      var context = SecurityContextHolder.createEmptyContext();
      context.setAuthentication(authentication(caller.get()));
      SecurityContextHolder.setContext(context);
    } else if (Caller.current().isPresent()) {
      Caller session = Caller.current().get();
      var now = tokens.refresh(session);
      if (now.isEmpty()) {
        var s = req.getSession(false);
        if (s != null) {
          s.invalidate();
        }
        SecurityContextHolder.clearContext();
      } else if (!now.get().equals(session)) {
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication(now.get()));
        SecurityContextHolder.setContext(context);
        var s = req.getSession(false);
        if (s != null) {
          s.setAttribute(org.springframework.security.web.context.HttpSessionSecurityContextRepository
              .SPRING_SECURITY_CONTEXT_KEY, context);
        }
      }
    }
    chain.doFilter(req, res);
  }
}
