package io.sextant.api.auth;

import io.sextant.api.common.Times;
import java.security.SecureRandom;
import java.time.Duration;
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
 * set, for automation) and prints both once; with {@code sextant.security.admin-runs-commands=true} (what
 * {@code ./sextant run} sets on a single-user machine) that admin gets the command capability. Every start: prints a
 * one-click sign-in link, as Jupyter does, so a local user clicks once; it signs a browser in once within 12 hours,
 * is no API token, and replaces the link printed at the previous start.
 */
@Component
class Bootstrap {
  private static final System.Logger LOG = System.getLogger(Bootstrap.class.getName());
  private final UserRepository users;
  private final TokenService tokens;
  private final PasswordEncoder passwords;
  private final TransactionTemplate tx;
  private final Optional<String> adminToken;
  private final SignInLinks links;
  private final boolean adminRunsCommands;

  Bootstrap(UserRepository users, TokenService tokens, PasswordEncoder passwords, TransactionTemplate tx,
      SignInLinks links, @Value("${sextant.admin-token:}") String adminToken,
      @Value("${sextant.security.admin-runs-commands:false}") boolean adminRunsCommands) {
    this.links = links;
    this.adminRunsCommands = adminRunsCommands;
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
    start("http://" + shown + ":" + port).ifPresent(url -> {
      System.out.printf("%n== Sextant is up. Open %s to sign in (works once, within 12 hours).%n%n", url);
      LOG.log(System.Logger.Level.INFO, "Sign-in link printed on standard output");
    });
  }

  /**
   * What a start does: creates the admin on the first one, then issues the admin's sign-in link (the previous
   * start's stops working) and returns its URL under {@code base}; empty when there is no user named admin.
   */
  Optional<String> start(String base) {
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
      u.mayRunCommands = adminRunsCommands;
      users.save(u);
      var token = tokens.create(u.id, "admin", Role.ADMIN, Optional.empty(), adminToken, true);
      System.out.printf("%n== Sextant first start: user 'admin', password %s%n== admin API token (shown once): %s%n",
          password, adminToken.isPresent() ? "the value of SEXTANT_ADMIN_TOKEN" : token.token());
      if (adminRunsCommands) {
        System.out.printf("== 'admin' may run programs on this machine (the command evaluator), as this user;"
            + " grant or withdraw it per user with PATCH /api/v1/users/{id} {\"commands\": true|false}%n");
      }
      return u.id;
    }));
    if (adminId < 0) {
      return Optional.empty();
    }
    return Optional.of(base + "/login?token=" + links.issue(adminId, Duration.ofHours(12)));
  }
}
