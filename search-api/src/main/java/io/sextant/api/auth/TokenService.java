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
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * API tokens: 256-bit random secrets shown once, stored as SHA-256. Validated tokens are cached for a few seconds
 * so the hot ask/tell path does not pay a query per request; revoking clears the cache of this replica at once
 * (other replicas within {@link #CACHE_MILLIS}).
 */
@Service
public class TokenService {
  static final long CACHE_MILLIS = 5_000;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final TokenRepository tokens;
  private final UserRepository users;
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

  @Transactional
  public Created create(long userId, String name, Role role, Optional<OffsetDateTime> expiresAt,
      Optional<String> secret) {
    String s = secret.orElseGet(TokenService::newSecret);
    TokenEntity t = new TokenEntity();
    t.userId = userId;
    t.name = name;
    t.role = role;
    t.tokenHash = hash(s);
    t.expiresAt = expiresAt.orElse(null);
    t.createdAt = Times.now();
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
    long now = System.currentTimeMillis();
    Cached c = cache.get(h);
    if (c == null || now - c.at() > CACHE_MILLIS) {
      c = tx.execute(s -> lookUp(h, now));
      if (c == null) {
        cache.remove(h);
        return Optional.empty();
      }
      cache.put(h, c);
    }
    if (c.expiresAt().isPresent() && !c.expiresAt().get().isAfter(OffsetDateTime.now())) {
      return Optional.empty();
    }
    return Optional.of(c.caller());
  }

  private Cached lookUp(String hash, long now) {
    Optional<TokenEntity> t = tokens.findByTokenHash(hash).filter(x -> x.revokedAt == null);
    Optional<UserEntity> u = t.flatMap(x -> users.findById(x.userId));
    if (t.isEmpty() || u.isEmpty()) {
      return null;
    }
    return new Cached(new Caller(u.get().id, u.get().username, t.get().role),
        Optional.ofNullable(t.get().expiresAt), now);
  }

  @Transactional(readOnly = true)
  public List<TokenEntity> list(Caller caller) {
    return caller.role() == Role.ADMIN ? tokens.findAll(org.springframework.data.domain.Sort.by("id"))
        : tokens.findByUserIdOrderById(caller.userId());
  }

  @Transactional
  public void revoke(Caller caller, long id) {
    TokenEntity t = tokens.findById(id).orElseThrow(() -> ApiException.notFound("token " + id + " does not exist"));
    if (caller.role() != Role.ADMIN && t.userId != caller.userId()) {
      throw ApiException.notFound("token " + id + " does not exist");
    }
    if (t.revokedAt == null) {
      t.revokedAt = Times.now();
    }
    cache.clear();
  }
}
