package io.sextant.api.auth;

import io.sextant.api.common.ApiException;
import io.sextant.api.common.Fields;
import io.sextant.api.common.Times;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;

/** Tokens (/api/v1/tokens), users (/api/v1/users, admin) and the caller (/api/v1/me). */
@io.swagger.v3.oas.annotations.tags.Tag(name = "auth")
@RestController
class AuthController {
  private final TokenService tokens;
  private final UserRepository users;
  private final PasswordEncoder passwords;

  private final SignInLinks links;

  AuthController(TokenService tokens, UserRepository users, PasswordEncoder passwords, SignInLinks links) {
    this.links = links;
    this.tokens = tokens;
    this.users = users;
    this.passwords = passwords;
  }

  private static Caller caller() {
    return Caller.current().orElseThrow(() -> new ApiException(HttpStatus.UNAUTHORIZED, null, "not signed in"));
  }

  private static Role role(Fields f, String name) {
    try {
      return Role.valueOf(f.string(name).toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(name, "role must be one of " + List.of(Role.values()));
    }
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "me")
  @GetMapping("/api/v1/me")
  AuthBodies.Me me() {
    Caller c = caller();
    return new AuthBodies.Me(c.userId(), c.username(), c.role().name(), c.mayRunCommands());
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "createToken")
  @PostMapping("/api/v1/tokens")
  @org.springframework.web.bind.annotation.ResponseStatus(HttpStatus.CREATED) // so OpenAPI lists 201
  ResponseEntity<AuthBodies.CreatedToken> create(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          schema = @Schema(implementation = AuthBodies.TokenRequest.class),
          examples = @ExampleObject(value = AuthBodies.TokenRequest.EXAMPLE)))
      @RequestBody Object body) {
    Caller c = caller();
    Fields f = Fields.of(body, "");
    f.allowOnly(Set.of("name", "role", "expiresAt"));
    String name = f.string("name");
    Role role = role(f, "role");
    if (!c.role().mayGrant(role)) {
      throw new ApiException(HttpStatus.FORBIDDEN, "role", "a " + c.role() + " may not create " + role + " tokens");
    }
    Optional<OffsetDateTime> expires = f.optString("expiresAt").map(s -> {
      try {
        return OffsetDateTime.parse(s);
      } catch (DateTimeParseException e) {
        throw ApiException.badRequest("expiresAt", "expiresAt must be an ISO-8601 timestamp with offset");
      }
    });
    if (expires.isPresent() && !expires.get().isAfter(OffsetDateTime.now())) {
      throw ApiException.badRequest("expiresAt", "expiresAt must be in the future");
    }
    // an EXECUTOR token minted by an ADMIN leases every study; one minted by anyone else only its user's studies
    TokenService.Created t = tokens.create(c.userId(), name, role, expires, Optional.empty(), c.role() == Role.ADMIN);
    String leases = role != Role.EXECUTOR ? null : c.role() == Role.ADMIN ? "ALL" : "OWN";
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(new AuthBodies.CreatedToken(t.id(), t.token(), name, role.name(), leases, expires.orElse(null)));
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "listTokens")
  @GetMapping("/api/v1/tokens")
  AuthBodies.Tokens list() {
    return new AuthBodies.Tokens(tokens.list(caller()).stream().map(t -> new AuthBodies.TokenInfo(t.id, t.userId,
        t.name, t.role.name(), t.createdAt, t.expiresAt, t.revokedAt, t.leaseScope)).toList());
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "revokeToken")
  @DeleteMapping("/api/v1/tokens/{id}")
  @org.springframework.web.bind.annotation.ResponseStatus(HttpStatus.NO_CONTENT) // so OpenAPI lists 204
  ResponseEntity<Void> revoke(@PathVariable long id) {
    tokens.revoke(caller(), id);
    return ResponseEntity.noContent().build();
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "createUser")
  @PostMapping("/api/v1/users")
  @Transactional
  @org.springframework.web.bind.annotation.ResponseStatus(HttpStatus.CREATED) // so OpenAPI lists 201
  ResponseEntity<AuthBodies.User> createUser(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          schema = @Schema(implementation = AuthBodies.UserRequest.class),
          examples = @ExampleObject(value = AuthBodies.UserRequest.EXAMPLE)))
      @RequestBody Object body) {
    Fields f = Fields.of(body, "");
    f.allowOnly(Set.of("username", "password", "role", "commands"));
    String username = f.string("username");
    if (!username.matches("[A-Za-z0-9_.@-]{1,100}")) {
      throw ApiException.badRequest("username", "username may use letters, digits and _ . @ - (at most 100)");
    }
    Role role = role(f, "role");
    Optional<String> password = f.optString("password");
    if (password.isPresent() && password.get().length() < 12) {
      throw ApiException.badRequest("password", "password must have at least 12 characters");
    }
    if (users.findByUsername(username).isPresent()) {
      throw ApiException.conflict("username", "user '" + username + "' already exists");
    }
    UserEntity u = new UserEntity();
    u.username = username;
    u.role = role;
    u.passwordHash = password.map(passwords::encode).orElse(null);
    u.createdAt = Times.now();
    u.mayRunCommands = f.optBoolean("commands").orElse(false);
    users.save(u);
    return ResponseEntity.status(HttpStatus.CREATED).body(AuthBodies.User.of(u));
  }

  /**
   * Changes a user (ADMIN): {@code role}, {@code password}, and {@code commands}, the capability to run programs
   * (studies with the {@code command} evaluator). Takes effect within seconds for the user's tokens and sessions.
   */
  @io.swagger.v3.oas.annotations.Operation(operationId = "changeUser")
  @PatchMapping("/api/v1/users/{id}")
  @Transactional
  AuthBodies.User changeUser(@PathVariable long id,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          schema = @Schema(implementation = AuthBodies.UserChange.class),
          examples = @ExampleObject(value = AuthBodies.UserChange.EXAMPLE)))
      @RequestBody Object body) {
    Fields f = Fields.of(body, "");
    f.allowOnly(Set.of("password", "role", "commands"));
    UserEntity u = users.findById(id).orElseThrow(() -> ApiException.notFound("user " + id + " does not exist"));
    Optional<Role> role = f.has("role") ? Optional.of(role(f, "role")) : Optional.empty();
    Optional<String> password = f.optString("password");
    if (password.isPresent() && password.get().length() < 12) {
      throw ApiException.badRequest("password", "password must have at least 12 characters");
    }
    Optional<Boolean> commands = f.optBoolean("commands");
    role.ifPresent(r -> u.role = r);
    password.ifPresent(p -> u.passwordHash = passwords.encode(p));
    commands.ifPresent(c -> u.mayRunCommands = c);
    users.save(u);
    tokens.forgetCached();
    return AuthBodies.User.of(u);
  }

  /**
   * A one-click sign-in link for a user (ADMIN), as printed at start: it signs a browser in once within
   * {@code hours} (default 12, at most 168) and replaces the user's previous link.
   */
  @io.swagger.v3.oas.annotations.Operation(operationId = "signInLink")
  @PostMapping("/api/v1/users/{id}/sign-in-link")
  AuthBodies.SignInLink signInLink(@PathVariable long id,
      @org.springframework.web.bind.annotation.RequestParam(defaultValue = "12") int hours) {
    if (hours < 1 || hours > 168) {
      throw ApiException.badRequest("hours", "hours must be between 1 and 168");
    }
    UserEntity u = users.findById(id).orElseThrow(() -> ApiException.notFound("user " + id + " does not exist"));
    if (u.role == Role.EXECUTOR) {
      throw ApiException.badRequest("id", "an EXECUTOR user cannot sign in to the web UI");
    }
    String secret = links.issue(u.id, java.time.Duration.ofHours(hours));
    return new AuthBodies.SignInLink("/login?token=" + secret, OffsetDateTime.now().plusHours(hours));
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "listUsers")
  @GetMapping("/api/v1/users")
  AuthBodies.Users users() {
    return new AuthBodies.Users(users.findAll(org.springframework.data.domain.Sort.by("id")).stream()
        .map(AuthBodies.User::of).toList());
  }
}
