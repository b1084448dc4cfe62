package io.sextant.api.auth;

import io.sextant.api.common.Times;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * First start: creates the admin user (random password) and an admin API token ({@code SEXTANT_ADMIN_TOKEN} when
 * set, for automation) and prints both once. Every start: prints a sign-in link with a fresh 12-hour token, as
 * Jupyter does, so a local user clicks once.
 */
@Component
class Bootstrap {
  private static final System.Logger LOG = System.getLogger(Bootstrap.class.getName());
  private final UserRepository users;
  private final TokenService tokens;
  private final PasswordEncoder passwords;
  private final TransactionTemplate tx;
  private final Optional<String> adminToken;

  Bootstrap(UserRepository users, TokenService tokens, PasswordEncoder passwords, TransactionTemplate tx,
      @Value("${sextant.admin-token:}") String adminToken) {
    this.users = users;
    this.tokens = tokens;
    this.passwords = passwords;
    this.tx = tx;
    this.adminToken = adminToken.isBlank() ? Optional.empty() : Optional.of(adminToken.trim());
  }

  @EventListener(ApplicationReadyEvent.class)
  void ready(ApplicationReadyEvent event) {
    Environment env = event.getApplicationContext().getEnvironment();
    String port = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
    String host = env.getProperty("server.address", "127.0.0.1");
    String shown = host.equals("127.0.0.1") || host.equals("0.0.0.0") ? "localhost" : host;
    long adminId = tx.execute(s -> users.findByUsername("admin").map(u -> u.id).orElseGet(() -> {
      if (users.count() > 0) {
        return -1L;
      }
      byte[] b = new byte[18];
      new SecureRandom().nextBytes(b);
      String password = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      UserEntity u = new UserEntity();
      u.username = "admin";
      u.role = Role.ADMIN;
      u.passwordHash = passwords.encode(password);
      u.createdAt = Times.now();
      users.save(u);
      var token = tokens.create(u.id, "admin", Role.ADMIN, Optional.empty(), adminToken);
      System.out.printf("%n== Sextant first start: user 'admin', password %s%n== admin API token (shown once): %s%n",
          password, adminToken.isPresent() ? "the value of SEXTANT_ADMIN_TOKEN" : token.token());
      return u.id;
    }));
    if (adminId < 0) {
      return;
    }
    var signIn = tokens.create(adminId, "sign-in link", Role.ADMIN, Optional.of(OffsetDateTime.now().plusHours(12)),
        Optional.empty());
    String url = "http://" + shown + ":" + port + "/login?token=" + signIn.token();
    System.out.printf("%n== Sextant is up. Open %s to sign in (valid 12 hours).%n%n", url);
    LOG.log(System.Logger.Level.INFO, "Sign-in link printed on standard output");
  }
}
