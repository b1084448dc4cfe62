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

/** A user account (signs in to the web UI; owns tokens and studies). */
@Entity
@Table(name = "app_user")
public class UserEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(nullable = false, length = 100)
  String username;

  @Column(name = "password_hash", length = 300)
  String passwordHash;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 16)
  Role role;

  @Column(name = "created_at", nullable = false)
  OffsetDateTime createdAt;

  /** The command capability: studies this user creates may run programs (the {@code command} evaluator). */
  @Column(name = "may_run_commands", nullable = false)
  boolean mayRunCommands;
}
