package io.sextant.api.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An API token: only the SHA-256 of its secret is stored. */
@Entity
@Table(name = "api_token")
public class TokenEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "user_id", nullable = false)
  long userId;

  @Column(nullable = false, length = 200)
  String name;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 16)
  Role role;

  @Column(name = "token_hash", nullable = false, length = 64)
  String tokenHash;

  @Column(name = "expires_at")
  OffsetDateTime expiresAt;

  @Column(name = "revoked_at")
  OffsetDateTime revokedAt;

  @Column(name = "created_at", nullable = false)
  OffsetDateTime createdAt;

  /** EXECUTOR tokens only: "ALL" (minted by an ADMIN: its executors lease every study) or "OWN". */
  @Column(name = "lease_scope", length = 8)
  String leaseScope;
}
