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

  @Query("select m from MeasurementEntity m where m.trialId = :id order by m.step")
  List<MeasurementEntity> forTrial(@Param("id") long trialId);

  /** Metrics (JSON text) other trials of the study reported at a step, among trials numbered above minNumber. */
  @Query(value = """
      select cast(m.metrics as text) from measurement m join trial t on t.id = m.trial_id
      where t.study_id = :study and m.step = :step and t.id <> :me and t.number > :minNumber
      and (:all or t.state = 'COMPLETED')
      """, nativeQuery = true)
  List<String> peersAt(@Param("study") long studyId, @Param("step") long step, @Param("me") long trialId,
      @Param("minNumber") long minNumber, @Param("all") boolean all);

  /** (trial id, step, value as text) of the last measurement of each trial that reports the metric. */
  @Query(value = """
      select distinct on (m.trial_id) m.trial_id, m.step, m.metrics ->> :metric from measurement m
      where m.trial_id in (:ids) and m.metrics ->> :metric is not null order by m.trial_id, m.step desc
      """, nativeQuery = true)
  List<Object[]> lastValues(@Param("ids") Collection<Long> trialIds, @Param("metric") String metric);

  /** (trial id, step, value as text) of the trials' measurements at the steps that report the metric. */
  @Query(value = """
      select m.trial_id, m.step, m.metrics ->> :metric from measurement m
      where m.trial_id in (:ids) and m.step in (:steps) and m.metrics ->> :metric is not null
      """, nativeQuery = true)
  List<Object[]> valuesAt(@Param("ids") Collection<Long> trialIds, @Param("steps") Collection<Long> steps,
      @Param("metric") String metric);

  /** Insert or replace the measurement of a step (a retried report of the same step overwrites). */
  @Modifying
  @Query(value = """
      insert into measurement (trial_id, step, metrics, created_at) values (:trial, :step, cast(:metrics as jsonb), now())
      on conflict (trial_id, step) do update set metrics = excluded.metrics, created_at = excluded.created_at
      """, nativeQuery = true)
  void upsert(@Param("trial") long trialId, @Param("step") long step, @Param("metrics") String metrics);
}
