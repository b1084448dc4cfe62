package io.sextant.api.auth;

/**
 * What a user or token may do: ADMIN everything (users, tokens); MEMBER create and manage own studies, read all;
 * VIEWER read only; EXECUTOR the executor protocol and nothing else.
 */
public enum Role {
  ADMIN,
  MEMBER,
  VIEWER,
  EXECUTOR;

  /** True when a holder of this role may mint a token of {@code other} for itself. */
  public boolean mayGrant(Role other) {
    return switch (this) {
      case ADMIN -> true;
      case MEMBER -> other != ADMIN;
      case VIEWER -> other == VIEWER;
      case EXECUTOR -> false;
    };
  }
}
