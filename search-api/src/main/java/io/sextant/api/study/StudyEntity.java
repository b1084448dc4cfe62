package io.sextant.api.study;

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

/** Persistence of a study; never leaves the service layer (web DTOs are records). */
@Entity
@Table(name = "study")
public class StudyEntity implements IssuedStudy {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(nullable = false, length = 200)
  String name;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  String space;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  String objectives;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  String constraints;

  @Column(nullable = false, length = 100)
  String algorithm;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "algorithm_options", nullable = false)
  String algorithmOptions;

  @Column(length = 100)
  String evaluator;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "evaluator_config")
  String evaluatorConfig;

  @Column(name = "max_trials")
  Long maxTrials;

  @Column(name = "max_parallel")
  Integer maxParallel;

  @Column(name = "max_attempts", nullable = false)
  int maxAttempts;

  @Column(name = "heartbeat_seconds")
  Integer heartbeatSeconds;

  @Column(name = "max_failed_trials")
  Integer maxFailedTrials;

  /** Why the study is in its state (set when it becomes FAILED); null otherwise. */
  @Column(name = "state_reason")
  String stateReason;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 16)
  StudyState state;

  @Column(name = "next_number", nullable = false)
  long nextNumber;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "early_stopping", nullable = false)
  String earlyStopping = "{}";

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  String resources = "{}";

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "designer_state")
  String designerState;

  @jakarta.persistence.Version
  @Column(nullable = false)
  long version;

  @Column(name = "owner_id")
  Long ownerId;

  /** The role the owner created the study with: a weaker token of the same user may not change it. */
  @Enumerated(EnumType.STRING)
  @Column(name = "owner_role", length = 16)
  io.sextant.api.auth.Role ownerRole;

  @Column(name = "created_at", nullable = false)
  OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  OffsetDateTime updatedAt;

  @Override
  public long studyId() {
    return id;
  }

  public Long getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public StudyState getState() {
    return state;
  }

  public long getNextNumber() {
    return nextNumber;
  }

  /**
   * Members change only their own studies, with a role at least the one they created it with (admins any; internal
   * callers such as the in-process executor have no caller and are not restricted).
   */
  public void requireWriteAccess() {
    requireWriteAccess(id, ownerId, ownerRole);
  }

  static void requireWriteAccess(Long id, Long ownerId, io.sextant.api.auth.Role ownerRole) {
    var caller = io.sextant.api.auth.Caller.current();
    if (caller.isPresent() && !caller.get().mayChange(ownerId, ownerRole)) {
      throw io.sextant.api.common.ApiException.forbidden(ownerId != null && ownerId == caller.get().userId()
          ? "study " + id + " was created with a " + ownerRole + " role; a " + caller.get().role()
              + " token may not change it"
          : "study " + id + " belongs to another user");
    }
  }

  /** Whether the current caller may see the study's secrets (its evaluator's environment): owner or internal. */
  public boolean secretsVisible() {
    var caller = io.sextant.api.auth.Caller.current();
    return caller.isEmpty() || (ownerId != null && ownerId == caller.get().userId()
        && caller.get().role().atLeast(ownerRole == null ? io.sextant.api.auth.Role.MEMBER : ownerRole));
  }

  /** Records the current caller as the owner (none for internal callers). */
  void ownedByCaller() {
    var caller = io.sextant.api.auth.Caller.current();
    ownerId = caller.map(io.sextant.api.auth.Caller::userId).orElse(null);
    ownerRole = caller.map(io.sextant.api.auth.Caller::role).orElse(null);
  }

  public OffsetDateTime createdAt() {
    return createdAt;
  }

  public OffsetDateTime updatedAt() {
    return updatedAt;
  }

  public long issuedCount() {
    return nextNumber - 1;
  }

  public Long maxTrials() {
    return maxTrials;
  }

  public String designerState() {
    return designerState;
  }

  public void designerState(String state) {
    this.designerState = state;
  }

  /** Next trial number; the caller holds the row lock, so numbers are unique and gapless. */
  public long allocateNumber() {
    return nextNumber++;
  }

  public void state(StudyState state, OffsetDateTime now) {
    this.state = state;
    this.stateReason = null;
    this.updatedAt = now;
  }

  /** Ends the study FAILED, saying why (shown as the study's {@code stateReason}). */
  public void fail(String reason, OffsetDateTime now) {
    this.state = StudyState.FAILED;
    this.stateReason = reason;
    this.updatedAt = now;
  }

  public String stateReason() {
    return stateReason;
  }

  /** limits.maxFailedTrials, or null. */
  public Integer maxFailedTrials() {
    return maxFailedTrials;
  }

  /** True for COMPLETED and FAILED: the study issues no trial any more and cannot be paused or resumed. */
  public boolean isFinished() {
    return state == StudyState.COMPLETED || state == StudyState.FAILED;
  }
}
