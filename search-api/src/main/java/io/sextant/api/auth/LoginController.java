package io.sextant.api.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.http.MediaType;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The sign-in page. A browser signs in with a password, or with a secret: a sign-in link's (printed at start,
 * single-use) or an API token's (the session then lasts only while the token is valid). {@code GET /login?token=...}
 * only shows a button that posts the secret with the page's CSRF token, so another site cannot sign a visitor in to
 * an account of its choosing (login CSRF). Password attempts are throttled ({@link LoginThrottle}); an unknown user
 * costs the same password hashing as a known one.
 */
@RestController
class LoginController {
  private final UserRepository users;
  private final TokenService tokens;
  private final SignInLinks links;
  private final PasswordEncoder passwords;
  private final LoginThrottle throttle;
  private final CsrfTokenRepository csrfTokens;
  private final HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
  /** Checked when the user does not exist, so that unknown and known users take equally long. */
  private final String decoyHash;

  LoginController(UserRepository users, TokenService tokens, SignInLinks links, PasswordEncoder passwords,
      LoginThrottle throttle, CsrfTokenRepository csrfTokens) {
    this.users = users;
    this.tokens = tokens;
    this.links = links;
    this.passwords = passwords;
    this.throttle = throttle;
    this.csrfTokens = csrfTokens;
    this.decoyHash = passwords.encode(TokenService.newSecret());
  }

  @GetMapping(value = "/login", produces = MediaType.TEXT_HTML_VALUE)
  @ResponseBody
  String page(@RequestParam(required = false) String token, @RequestParam(required = false) String error,
      @RequestParam(required = false) String logout, HttpServletRequest req) {
    CsrfToken csrf = (CsrfToken) req.getAttribute(CsrfToken.class.getName());
    String csrfField = "<input type=\"hidden\" name=\"%s\" value=\"%s\">".formatted(
        csrf == null ? "_csrf" : HtmlUtils.htmlEscape(csrf.getParameterName()),
        csrf == null ? "" : HtmlUtils.htmlEscape(csrf.getToken()));
    String message = error != null ? "<p class=\"error\" role=\"alert\">"
        + (error.equals("wait") ? "Too many failed sign-ins: wait a while and try again."
            : "Sign-in failed: wrong user name, password or link (a link works once).") + "</p>"
        : logout != null ? "<p role=\"status\">You are signed out.</p>" : "";
    String form = token != null && !token.isBlank() && token.length() <= 200
        ? """
          <p>Sign in to this Sextant server with the link you opened?</p>
          <input type="hidden" name="token" value="%s">%s
          <button type="submit" id="continue">Sign in</button>
          """.formatted(HtmlUtils.htmlEscape(token), csrfField)
        : """
          <label for="username">User name</label><input id="username" name="username" autocomplete="username" required>
          <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
          %s<button type="submit">Sign in</button>
          <p><small>Or open the sign-in link the server printed at start.</small></p>
          """.formatted(csrfField);
    return """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · Sextant</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>body{font:15px system-ui,sans-serif;background:#f6f7fa;color:#1d2330;display:grid;place-items:center;min-height:90vh}
        form{background:#fff;border:1px solid #dde0e8;border-radius:6px;padding:1.5rem 2rem;min-width:18rem}
        label{display:block;margin:.6rem 0 .2rem}input{font:inherit;width:100%%;padding:.35rem;box-sizing:border-box}
        button{margin-top:1rem;font:inherit;padding:.4rem 1rem}.error{color:#b3261e}</style></head>
        <body><form method="post" action="/login"><h1>Sextant</h1>%s%s</form></body></html>
        """.formatted(message, form);
  }

  @PostMapping("/login")
  void login(@RequestParam(required = false) String username, @RequestParam(required = false) String password,
      @RequestParam(required = false) String token, HttpServletRequest req, HttpServletResponse res)
      throws IOException {
    if (token != null) {
      Optional<Caller> caller = links.redeem(token).or(() -> tokens.authenticate(token)
          .filter(c -> c.role() != Role.EXECUTOR));
      if (caller.isEmpty()) {
        res.sendRedirect("/login?error");
        return;
      }
      signIn(caller.get(), req, res);
      res.sendRedirect("/");
      return;
    }
    if (username == null || password == null || username.length() > 100 || password.length() > 1000) {
      res.sendRedirect("/login?error");
      return;
    }
    String address = req.getRemoteAddr();
    OptionalLong wait = throttle.retryAfter(username, address);
    Caller[] ok = new Caller[1];
    if (wait.isEmpty() && !throttle.tryCheck(address, () -> ok[0] = check(username, password))) {
      wait = OptionalLong.of(1000);
    }
    if (wait.isPresent()) {
      tooMany(res, wait.getAsLong());
      return;
    }
    if (ok[0] == null) {
      throttle.failed(username, address);
      res.sendRedirect("/login?error");
      return;
    }
    throttle.succeeded(username, address);
    signIn(ok[0], req, res);
    res.sendRedirect("/");
  }

  /** The user when the password is right; null otherwise, after the same amount of hashing either way. */
  private Caller check(String username, String password) {
    Optional<UserEntity> user = users.findByUsername(username);
    String hash = user.map(u -> u.passwordHash).orElse(null);
    boolean matches = passwords.matches(password, hash == null ? decoyHash : hash);
    return matches && hash != null && user.get().role != Role.EXECUTOR ? TokenService.userCaller(user.get()) : null;
  }

  private static void tooMany(HttpServletResponse res, long waitMillis) throws IOException {
    res.setStatus(429);
    res.setHeader("Retry-After", Long.toString(Math.max(1, (waitMillis + 999) / 1000)));
    res.setContentType(MediaType.TEXT_HTML_VALUE);
    res.getWriter().write("<!doctype html><title>Sign in · Sextant</title><p>Too many failed sign-ins: wait "
        + Math.max(1, (waitMillis + 999) / 1000) + " s and <a href=\"/login\">try again</a>.</p>");
  }

  private void signIn(Caller caller, HttpServletRequest req, HttpServletResponse res) {
    req.getSession(true);
    req.changeSessionId(); // no session fixation
    SecurityContext ctx = SecurityContextHolder.createEmptyContext();
    ctx.setAuthentication(BearerTokenFilter.authentication(caller));
    SecurityContextHolder.setContext(ctx);
    contexts.saveContext(ctx, req, res);
    // a new CSRF token for the new session: a token an attacker planted before sign-in is worthless after it
    csrfTokens.saveToken(null, req, res);
    csrfTokens.saveToken(csrfTokens.generateToken(req), req, res);
  }
}
