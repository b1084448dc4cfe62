package io.sextant.api.trial;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An intermediate measurement (step -> metrics) of a trial. */
@Entity
@Table(name = "measurement")
@IdClass(MeasurementEntity.Key.class)
public class MeasurementEntity {
  @Id
  @Column(name = "trial_id")
  long trialId;

  @Id
  @Column(name = "step")
  long step;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  String metrics;

  @Column(name = "created_at", nullable = false)
  OffsetDateTime createdAt;

  /** Composite key. */
  public record Key(long trialId, long step) implements Serializable {
    public Key() {
      this(0, 0);
    }
  }
}
