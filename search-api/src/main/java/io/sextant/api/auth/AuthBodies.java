package io.sextant.api.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Typed bodies of /api/v1/me, /tokens and /users. Requests are read by {@link AuthController} with {@code Fields}
 * (an unknown field is a 400 naming it); these records declare them for the OpenAPI document. Answers are returned
 * as these records.
 */
public final class AuthBodies {
  private AuthBodies() {}

  static final String ROLES = "VIEWER, MEMBER, EXECUTOR or ADMIN (case-insensitive)";

  @Schema(name = "Me")
  public record Me(
      @Schema(requiredMode = RequiredMode.REQUIRED) long userId,
      @Schema(requiredMode = RequiredMode.REQUIRED) String username,
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "ADMIN") String role,
      @Schema(requiredMode = RequiredMode.REQUIRED, description = "may run programs (the command evaluator)")
      boolean commands) {}

  @Schema(name = "TokenRequest", additionalProperties = AdditionalPropertiesValue.FALSE)
  public record TokenRequest(
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "ci") String name,
      @Schema(requiredMode = RequiredMode.REQUIRED, description = ROLES + "; at most the caller's own",
          example = "MEMBER") String role,
      @Schema(description = "ISO-8601 with offset, in the future; absent: never expires",
          example = "2030-01-01T00:00:00Z") String expiresAt) {
    static final String EXAMPLE = "{\"name\": \"ci\", \"role\": \"MEMBER\", \"expiresAt\": \"2030-01-01T00:00:00Z\"}";
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(name = "CreatedToken", description = "the secret `token` is shown only here")
  public record CreatedToken(
      @Schema(requiredMode = RequiredMode.REQUIRED) long id,
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "sxt_...") String token,
      @Schema(requiredMode = RequiredMode.REQUIRED) String name,
      @Schema(requiredMode = RequiredMode.REQUIRED) String role,
      @Schema(allowableValues = {"ALL", "OWN"}, description = "EXECUTOR tokens: which studies their executors lease")
      String leases,
      OffsetDateTime expiresAt) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(name = "TokenInfo")
  public record TokenInfo(
      @Schema(requiredMode = RequiredMode.REQUIRED) long id,
      @Schema(requiredMode = RequiredMode.REQUIRED) long userId,
      @Schema(requiredMode = RequiredMode.REQUIRED) String name,
      @Schema(requiredMode = RequiredMode.REQUIRED) String role,
      @Schema(requiredMode = RequiredMode.REQUIRED) OffsetDateTime createdAt,
      OffsetDateTime expiresAt,
      OffsetDateTime revokedAt,
      @Schema(allowableValues = {"ALL", "OWN"}) String leases) {}

  @Schema(name = "Tokens")
  public record Tokens(@Schema(requiredMode = RequiredMode.REQUIRED) List<TokenInfo> tokens) {}

  @Schema(name = "UserRequest", additionalProperties = AdditionalPropertiesValue.FALSE)
  public record UserRequest(
      @Schema(requiredMode = RequiredMode.REQUIRED, pattern = "[A-Za-z0-9_.@-]{1,100}", example = "alice")
      String username,
      @Schema(minLength = 12, description = "absent: the user signs in only with a sign-in link") String password,
      @Schema(requiredMode = RequiredMode.REQUIRED, description = ROLES, example = "MEMBER") String role,
      @Schema(defaultValue = "false", description = "may run programs (the command evaluator)") Boolean commands) {
    static final String EXAMPLE = "{\"username\": \"alice\", \"password\": \"correct horse battery\", "
        + "\"role\": \"MEMBER\", \"commands\": false}";
  }

  @Schema(name = "UserChange", additionalProperties = AdditionalPropertiesValue.FALSE)
  public record UserChange(
      @Schema(minLength = 12) String password,
      @Schema(description = ROLES, example = "VIEWER") String role,
      Boolean commands) {
    static final String EXAMPLE = "{\"role\": \"VIEWER\", \"commands\": false}";
  }

  @Schema(name = "User")
  public record User(
      @Schema(requiredMode = RequiredMode.REQUIRED) long id,
      @Schema(requiredMode = RequiredMode.REQUIRED) String username,
      @Schema(requiredMode = RequiredMode.REQUIRED) String role,
      @Schema(requiredMode = RequiredMode.REQUIRED) boolean commands) {
    static User of(UserEntity u) {
      return new User(u.id, u.username, u.role.name(), u.mayRunCommands);
    }
  }

  @Schema(name = "Users")
  public record Users(@Schema(requiredMode = RequiredMode.REQUIRED) List<User> users) {}

  @Schema(name = "SignInLink")
  public record SignInLink(
      @Schema(requiredMode = RequiredMode.REQUIRED, example = "/login?token=...") String path,
      @Schema(requiredMode = RequiredMode.REQUIRED) OffsetDateTime expiresAt) {}
}
