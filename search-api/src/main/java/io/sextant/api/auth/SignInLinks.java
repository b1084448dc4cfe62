package io.sextant.api.auth;

import io.sextant.api.common.Times;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * One-click sign-in links (printed at start, or made by an admin): a secret that signs a browser in once, within its
 * lifetime, and nothing else (the API refuses it). A user has at most one live link: a new one replaces the old.
 */
@Service
public class SignInLinks {
  private final SignInLinkRepository links;
  private final UserRepository users;

  SignInLinks(SignInLinkRepository links, UserRepository users) {
    this.links = links;
    this.users = users;
  }

  /** A new link secret for the user, valid for {@code ttl}; the user's earlier links stop working. */
  @Transactional
  public String issue(long userId, Duration ttl) {
    links.deleteByUser(userId);
    String secret = "sxl_" + TokenService.newSecret().substring(4);
    SignInLinkEntity l = new SignInLinkEntity();
    l.userId = userId;
    l.secretHash = TokenService.hash(secret);
    l.createdAt = Times.now();
    l.expiresAt = l.createdAt.plus(ttl);
    links.save(l);
    return secret;
  }

  /** The user a link signs in, using the link up; empty when it is unknown, used or expired. */
  @Transactional
  public Optional<Caller> redeem(String secret) {
    if (secret == null || secret.length() > 200) {
      return Optional.empty();
    }
    return links.redeem(TokenService.hash(secret)).flatMap(users::findById).map(TokenService::userCaller);
  }
}
