package io.sextant.api.dispatch;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A registered executor node (in-process or remote). */
@Entity
@Table(name = "executor")
public class ExecutorEntity {
  @Id
  @Column(length = 64)
  String id;

  @Column(nullable = false, length = 200)
  String name;

  @Column(nullable = false)
  int slots;

  @Column(name = "cpu_cores", nullable = false)
  int cpuCores;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  String gpus;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  String labels;

  /** The executor pool it serves (V8): it leases only studies whose resources.pool is this; null: the default pool. */
  @Column(length = 64)
  String pool;

  /** JSON array of evaluator names, or null when the executor did not declare them. */
  @JdbcTypeCode(SqlTypes.JSON)
  String evaluators;

  @Column(nullable = false, length = 16)
  String state;

  @Column(name = "registered_at", nullable = false)
  OffsetDateTime registeredAt;

  @Column(name = "last_seen_at", nullable = false)
  OffsetDateTime lastSeenAt;

  /** The API token that registered it (null: the in-process executor): only that token may act for it. */
  @Column(name = "token_id")
  Long tokenId;

  /** When set, it leases only this user's studies (its token was not minted by an ADMIN). */
  @Column(name = "lease_owner_id")
  Long leaseOwnerId;

  /** Completed attempts this executor reported (and the server accepted). */
  @Column(name = "trials_completed", nullable = false)
  long trialsCompleted;

  /** Failed attempts this executor reported (and the server accepted); the trial may have been retried. */
  @Column(name = "attempts_failed", nullable = false)
  long attemptsFailed;
}
