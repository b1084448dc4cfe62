package io.sextant.api.auth;

import io.sextant.api.common.ApiException;
import io.sextant.api.common.Times;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * API tokens: 256-bit random secrets shown once, stored as SHA-256. Validated tokens are cached for a few seconds
 * so the hot ask/tell path does not pay a query per request; revoking clears the cache of this replica at once
 * (other replicas within {@link #CACHE_MILLIS}).
 *
 * <p>A token acts with its own role bounded by its user's current role ({@link Role#bound}); browser sessions are
 * re-checked against their token (or user) on every request ({@link #refresh}), so revoking a token ends the
 * sessions signed in with it.
 */
@Service
public class TokenService {
  static final long CACHE_MILLIS = 5_000;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final TokenRepository tokens;
  private final UserRepository users;
  /** Keyed by token hash, "t" + token id or "u" + user id. */
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Caller caller, Optional<OffsetDateTime> expiresAt, long at) {}

  /** A new token: its id and the secret (shown once). */
  public record Created(long id, String token) {}

  private final TransactionTemplate tx;

  public TokenService(TokenRepository tokens, UserRepository users,
      org.springframework.transaction.PlatformTransactionManager transactions) {
    this.tx = new TransactionTemplate(transactions);
    this.tx.setReadOnly(true);
    this.tokens = tokens;
    this.users = users;
  }

  static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String newSecret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return "sxt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /**
   * A new token of {@code userId}. EXECUTOR tokens carry their lease scope: {@code leasesAll} when an ADMIN minted
   * it (its executors lease every study), else only the studies of {@code userId}.
   */
  @Transactional
  public Created create(long userId, String name, Role role, Optional<OffsetDateTime> expiresAt,
      Optional<String> secret, boolean leasesAll) {
    String s = secret.orElseGet(TokenService::newSecret);
    TokenEntity t = new TokenEntity();
    t.userId = userId;
    t.name = name;
    t.role = role;
    t.tokenHash = hash(s);
    t.expiresAt = expiresAt.orElse(null);
    t.createdAt = Times.now();
    t.leaseScope = role == Role.EXECUTOR ? (leasesAll ? "ALL" : "OWN") : null;
    tokens.save(t);
    return new Created(t.id, s);
  }

  /**
   * The caller a secret stands for, unless it is unknown, expired or revoked. A cached answer costs no transaction
   * (no connection, no round trip): the hot executor and ask/tell paths authenticate every request.
   */
  public Optional<Caller> authenticate(String secret) {
    if (secret == null || secret.length() > 200) {
      return Optional.empty();
    }
    String h = hash(secret);
    return cached(h, () -> tokens.findByTokenHash(h));
  }

  /**
   * The caller a browser session stands for now: the session's token re-checked (revoked or expired: empty, and the
   * session ends), or for a password or link sign-in the user as it is now (deleted: empty; its role may change).
   */
  public Optional<Caller> refresh(Caller session) {
    if (session.tokenId() > 0) {
      return cached("t" + session.tokenId(), () -> tokens.findById(session.tokenId()));
    }
    String key = "u" + session.userId();
    long now = System.currentTimeMillis();
    Cached c = cache.get(key);
    if (c == null || now - c.at() > CACHE_MILLIS) {
      c = tx.execute(s -> users.findById(session.userId()).map(u -> new Cached(userCaller(u), Optional.empty(), now))
          .orElse(null));
      if (c == null) {
        cache.remove(key);
        return Optional.empty();
      }
      cache.put(key, c);
    }
    return Optional.of(c.caller());
  }

  /** A user signed in by password or sign-in link: the user's own role, no token. */
  static Caller userCaller(UserEntity u) {
    return new Caller(u.id, u.username, u.role, 0, u.mayRunCommands, u.role == Role.ADMIN);
  }

  private Optional<Caller> cached(String key, java.util.function.Supplier<Optional<TokenEntity>> find) {
    long now = System.currentTimeMillis();
    Cached c = cache.get(key);
    if (c == null || now - c.at() > CACHE_MILLIS) {
      c = tx.execute(s -> lookUp(find.get(), now));
      if (c == null) {
        cache.remove(key);
        return Optional.empty();
      }
      cache.put(key, c);
    }
    if (c.expiresAt().isPresent() && !c.expiresAt().get().isAfter(OffsetDateTime.now())) {
      return Optional.empty();
    }
    return Optional.of(c.caller());
  }

  private Cached lookUp(Optional<TokenEntity> token, long now) {
    Optional<TokenEntity> t = token.filter(x -> x.revokedAt == null);
    Optional<UserEntity> u = t.flatMap(x -> users.findById(x.userId));
    if (t.isEmpty() || u.isEmpty()) {
      return null;
    }
    Role role = t.get().role.bound(u.get().role);
    return new Cached(new Caller(u.get().id, u.get().username, role, t.get().id, u.get().mayRunCommands,
        "ALL".equals(t.get().leaseScope) && u.get().role == Role.ADMIN), Optional.ofNullable(t.get().expiresAt), now);
  }

  /** Forgets every cached answer (after a revocation or a change of a user's role or capability). */
  public void forgetCached() {
    cache.clear();
  }

  @Transactional(readOnly = true)
  public List<TokenEntity> list(Caller caller) {
    return caller.role() == Role.ADMIN ? tokens.findAll(org.springframework.data.domain.Sort.by("id"))
        : tokens.findByUserIdOrderById(caller.userId());
  }

  /**
   * Revokes a token: ADMINs any; others only their own user's, and only of a role their own may grant (a VIEWER
   * token cannot revoke its user's ADMIN token).
   */
  @Transactional
  public void revoke(Caller caller, long id) {
    TokenEntity t = tokens.findById(id).orElseThrow(() -> ApiException.notFound("token " + id + " does not exist"));
    if (caller.role() != Role.ADMIN && t.userId != caller.userId()) {
      throw ApiException.notFound("token " + id + " does not exist");
    }
    if (!caller.role().mayGrant(t.role)) {
      throw new ApiException(HttpStatus.FORBIDDEN, null, "a " + caller.role() + " token may not revoke a " + t.role
          + " token");
    }
    if (t.revokedAt == null) {
      t.revokedAt = Times.now();
    }
    cache.clear();
  }
}
