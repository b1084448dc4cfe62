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

/** Authorization: Bearer &lt;token&gt; -> the token's caller for this request only (no session). */
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
    String header = req.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      var caller = tokens.authenticate(header.substring(7).trim());
      if (caller.isEmpty()) {
        Problems.write(res, 401, "the token is invalid, expired or revoked");
        return;
      }
      var context = SecurityContextHolder.createEmptyContext();
      context.setAuthentication(authentication(caller.get()));
      SecurityContextHolder.setContext(context);
    }
    chain.doFilter(req, res);
  }
}
