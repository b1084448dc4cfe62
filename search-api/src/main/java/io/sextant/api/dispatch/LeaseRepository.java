package io.sextant.api.dispatch;

import io.sextant.api.trial.TrialEntity;
import java.util.List;
import org.springframework.data.repository.Repository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Lease bookkeeping in SQL, judged by the database clock ({@code now()}). */
public interface LeaseRepository extends Repository<TrialEntity, Long> {
  @Query(value = "select now()", nativeQuery = true)
  java.time.Instant dbInstant();

  /** The database clock: leases are judged by it, never by an executor's or replica's clock. */
  default java.time.OffsetDateTime dbNow() {
    return java.time.OffsetDateTime.ofInstant(dbInstant(), java.time.ZoneOffset.UTC);
  }

  /** Lock waits in the current transaction give up after this many milliseconds (an error, rolling it back). */
  @Query(value = "select set_config('lock_timeout', cast(:ms as text) || 'ms', true)", nativeQuery = true)
  String lockTimeout(@Param("ms") int millis);

  @Modifying
  @Query(value = """
      update trial set lease_expires_at = now() + make_interval(secs => :seconds)
      where id = :id and attempt = :attempt and state = 'RUNNING' and executor_id = :executor
      """, nativeQuery = true)
  int extend(@Param("id") long trialId, @Param("attempt") int attempt, @Param("executor") String executorId,
      @Param("seconds") double seconds);

  /** Trials whose lease ran out (or whose executor left), oldest first, locked for the reaper. */
  @Query(value = """
      select * from trial where state = 'RUNNING' and lease_expires_at is not null
      and (lease_expires_at < now() or executor_id = cast(:executor as varchar))
      order by lease_expires_at limit :n for update skip locked
      """, nativeQuery = true)
  List<TrialEntity> expired(@Param("executor") String executorId, @Param("n") int limit);

  /** Running leased trials: rows of (executor id, study id, trial number), bounded by the executors' slots. */
  @Query(value = "select executor_id, study_id, number from trial where state = 'RUNNING' and executor_id is not null "
      + "order by executor_id, study_id, number", nativeQuery = true)
  List<Object[]> runningTrials();

  /** GPU assignments (JSON arrays) of an executor's running trials. */
  @Query(value = "select cast(gpus as text) from trial where executor_id = :executor and state = 'RUNNING' "
      + "and gpus is not null", nativeQuery = true)
  List<String> gpusInUse(@Param("executor") String executorId);

  @Modifying
  @Query(value = "delete from executor where last_seen_at < now() - make_interval(secs => :seconds)",
      nativeQuery = true)
  int forgetExecutors(@Param("seconds") double seconds);
}
