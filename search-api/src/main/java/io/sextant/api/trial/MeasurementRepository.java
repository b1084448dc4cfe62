package io.sextant.api.trial;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface MeasurementRepository extends JpaRepository<MeasurementEntity, MeasurementEntity.Key> {
  @Query("select m from MeasurementEntity m where m.trialId in :ids order by m.trialId, m.step")
  List<MeasurementEntity> findForTrials(@Param("ids") Collection<Long> ids);

  /** Insert or replace the measurement of a step (a retried report of the same step overwrites). */
  @Modifying
  @Query(value = """
      insert into measurement (trial_id, step, metrics, created_at) values (:trial, :step, cast(:metrics as jsonb), now())
      on conflict (trial_id, step) do update set metrics = excluded.metrics, created_at = excluded.created_at
      """, nativeQuery = true)
  void upsert(@Param("trial") long trialId, @Param("step") long step, @Param("metrics") String metrics);
}
