package io.sextant.api.auth;

/**
 * What a user or token may do: ADMIN everything (users, tokens); MEMBER create and manage own studies, read all;
 * VIEWER read only; EXECUTOR the executor protocol and nothing else. A token never acts with more than its own role,
 * nor more than its user's current role ({@link #bound}).
 */
public enum Role {
  ADMIN,
  MEMBER,
  VIEWER,
  EXECUTOR;

  /** True when a holder of this role may mint a token of {@code other}, or revoke one. */
  public boolean mayGrant(Role other) {
    return switch (this) {
      case ADMIN -> true;
      case MEMBER -> other != ADMIN;
      case VIEWER -> other == VIEWER;
      case EXECUTOR -> false;
    };
  }

  /** ADMIN > MEMBER > VIEWER; EXECUTOR is apart (it reaches only the executor protocol) and is at least itself. */
  public boolean atLeast(Role other) {
    if (this == EXECUTOR || other == EXECUTOR) {
      return this == other;
    }
    return ordinal() <= other.ordinal();
  }

  /**
   * The role a token of role {@code this} acts with for a user whose role is now {@code user}: the weaker of the
   * two (a demoted user's tokens lose what the user lost). An EXECUTOR token stays EXECUTOR unless its user became
   * a VIEWER, which may not run executors.
   */
  public Role bound(Role user) {
    if (this == EXECUTOR) {
      return user == VIEWER ? VIEWER : EXECUTOR;
    }
    if (user == EXECUTOR) {
      return this == EXECUTOR ? EXECUTOR : VIEWER;
    }
    return atLeast(user) ? user : this;
  }
}
