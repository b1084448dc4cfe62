package io.sextant.api.auth;

import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who is calling: the authenticated user and the role the request acts with (a token's role, or the user's). */
public record Caller(long userId, String username, Role role) {
  /** The caller of the current request; empty for internal calls (in-process executor, startup). */
  public static Optional<Caller> current() {
    Authentication a = SecurityContextHolder.getContext().getAuthentication();
    return a != null && a.getPrincipal() instanceof Caller c ? Optional.of(c) : Optional.empty();
  }
}
