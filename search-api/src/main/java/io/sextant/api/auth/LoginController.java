package io.sextant.api.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.bind.annotation.RestController;

/** The sign-in page: a password form, and {@code /login?token=...} which signs the browser in with a token. */
@RestController
class LoginController {
  private final UserRepository users;
  private final TokenService tokens;
  private final PasswordEncoder passwords;
  private final HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

  LoginController(UserRepository users, TokenService tokens, PasswordEncoder passwords) {
    this.users = users;
    this.tokens = tokens;
    this.passwords = passwords;
  }

  @GetMapping(value = "/login", produces = MediaType.TEXT_HTML_VALUE)
  @ResponseBody
  String page(@RequestParam(required = false) String token, @RequestParam(required = false) String error,
      @RequestParam(required = false) String logout, HttpServletRequest req, HttpServletResponse res)
      throws IOException {
    if (token != null) {
      var caller = tokens.authenticate(token);
      if (caller.isPresent() && caller.get().role() != Role.EXECUTOR) {
        signIn(caller.get(), req, res);
        res.sendRedirect("/");
        return "";
      }
      error = "token";
    }
    CsrfToken csrf = (CsrfToken) req.getAttribute(CsrfToken.class.getName());
    String message = error != null ? "<p class=\"error\" role=\"alert\">Sign-in failed: wrong user name, password or token.</p>"
        : logout != null ? "<p role=\"status\">You are signed out.</p>" : "";
    return """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · Sextant</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>body{font:15px system-ui,sans-serif;background:#f6f7fa;color:#1d2330;display:grid;place-items:center;min-height:90vh}
        form{background:#fff;border:1px solid #dde0e8;border-radius:6px;padding:1.5rem 2rem;min-width:18rem}
        label{display:block;margin:.6rem 0 .2rem}input{font:inherit;width:100%%;padding:.35rem;box-sizing:border-box}
        button{margin-top:1rem;font:inherit;padding:.4rem 1rem}.error{color:#b3261e}</style></head>
        <body><form method="post" action="/login"><h1>Sextant</h1>%s
        <label for="username">User name</label><input id="username" name="username" autocomplete="username" required>
        <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
        <input type="hidden" name="%s" value="%s"><button type="submit">Sign in</button>
        <p><small>Or open the sign-in link the server printed at start.</small></p></form></body></html>
        """.formatted(message, escape(csrf == null ? "_csrf" : csrf.getParameterName()),
        escape(csrf == null ? "" : csrf.getToken()));
  }

  /**
   * Text for an HTML attribute or element: nothing the page shows comes from the request unescaped (the CSRF token is
   * derived from a cookie, which a client sets).
   */
  private static String escape(String text) {
    return org.springframework.web.util.HtmlUtils.htmlEscape(text, "UTF-8");
  }

  @PostMapping("/login")
  void login(@RequestParam String username, @RequestParam String password, HttpServletRequest req,
      HttpServletResponse res) throws IOException {
    var user = users.findByUsername(username).filter(u -> u.passwordHash != null && u.role != Role.EXECUTOR
        && passwords.matches(password, u.passwordHash));
    if (user.isEmpty()) {
      res.sendRedirect("/login?error");
      return;
    }
    signIn(new Caller(user.get().id, user.get().username, user.get().role), req, res);
    res.sendRedirect("/");
  }

  private void signIn(Caller caller, HttpServletRequest req, HttpServletResponse res) {
    req.getSession(true);
    req.changeSessionId(); // no session fixation
    SecurityContext ctx = SecurityContextHolder.createEmptyContext();
    ctx.setAuthentication(BearerTokenFilter.authentication(caller));
    SecurityContextHolder.setContext(ctx);
    contexts.saveContext(ctx, req, res);
  }
}
