package io.sextant.api.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A one-click sign-in link: signs a browser in once, before it expires; never an API token. */
@Entity
@Table(name = "sign_in_link")
public class SignInLinkEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "user_id", nullable = false)
  long userId;

  @Column(name = "secret_hash", nullable = false, length = 64)
  String secretHash;

  @Column(name = "expires_at", nullable = false)
  OffsetDateTime expiresAt;

  @Column(name = "used_at")
  OffsetDateTime usedAt;

  @Column(name = "created_at", nullable = false)
  OffsetDateTime createdAt;
}
