package io.sextant.api.auth;

import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is calling: the authenticated user and the role the request acts with (a token's role bounded by the user's,
 * or the user's own for a password sign-in).
 *
 * @param tokenId the API token the request (or the browser session) was authenticated with; 0 for a password
 *     sign-in or a sign-in link
 * @param mayRunCommands whether the user holds the command capability (an admin grants it)
 * @param leasesAll for EXECUTOR callers: whether its executors may lease every study (token minted by an ADMIN)
 *     rather than only the studies of its own user
 */
public record Caller(long userId, String username, Role role, long tokenId, boolean mayRunCommands,
    boolean leasesAll) {
  /** The caller of the current request; empty for internal calls (in-process executor, startup). */
  public static Optional<Caller> current() {
    Authentication a = SecurityContextHolder.getContext().getAuthentication();
    return a != null && a.getPrincipal() instanceof Caller c ? Optional.of(c) : Optional.empty();
  }

  /**
   * Whether this caller may change what was created by {@code ownerId} acting as {@code ownerRole}: ADMINs any;
   * others only their own, and only with a role at least as strong as the one it was created with, so a MEMBER token
   * of an admin cannot change what the admin made as ADMIN.
   */
  public boolean mayChange(Long ownerId, Role ownerRole) {
    if (role == Role.ADMIN) {
      return true;
    }
    return ownerId != null && ownerId == userId && role.atLeast(ownerRole == null ? Role.MEMBER : ownerRole);
  }
}
