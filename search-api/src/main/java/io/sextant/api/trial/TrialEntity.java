package io.sextant.api.trial;

import io.sextant.engine.study.TrialState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Persistence of a trial; never leaves the service layer. */
@Entity
@Table(name = "trial")
public class TrialEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "study_id", nullable = false)
  long studyId;

  @Column(nullable = false)
  long number;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 16)
  TrialState state;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  String params;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "objective_values")
  double[] objectiveValues;

  @JdbcTypeCode(SqlTypes.JSON)
  String metrics;

  @Column(nullable = false)
  int attempt = 1;

  @Column(name = "worker_id", length = 200)
  String workerId;

  @Column(name = "executor_id", length = 64)
  String executorId;

  @Column(name = "lease_expires_at")
  OffsetDateTime leaseExpiresAt;

  @JdbcTypeCode(SqlTypes.JSON)
  String gpus;

  @Column(name = "failure_reason")
  String failureReason;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  String metadata = "{}";

  @Column(name = "created_at", nullable = false)
  OffsetDateTime createdAt;

  @Column(name = "started_at")
  OffsetDateTime startedAt;

  @Column(name = "finished_at")
  OffsetDateTime finishedAt;

  public Long getId() {
    return id;
  }

  public long getNumber() {
    return number;
  }

  public TrialState getState() {
    return state;
  }

  public long getStudyId() {
    return studyId;
  }

  public int getAttempt() {
    return attempt;
  }

  public String getExecutorId() {
    return executorId;
  }

  public String getParams() {
    return params;
  }

  /** Hands this RUNNING trial to an executor until {@code expires} (database clock), with its GPUs (JSON). */
  public void lease(String executor, OffsetDateTime expires, String gpus) {
    this.executorId = executor;
    this.gpus = gpus;
    this.leaseExpiresAt = expires;
    this.workerId = null;
  }

  /** True when a report naming (attempt) from an executor is for the current lease of this trial. */
  public boolean isCurrentLease(int reportedAttempt) {
    return state == TrialState.RUNNING && executorId != null && attempt == reportedAttempt;
  }
}
