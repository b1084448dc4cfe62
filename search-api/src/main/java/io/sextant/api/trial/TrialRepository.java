package io.sextant.api.trial;

import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface TrialRepository extends JpaRepository<TrialEntity, Long> {
  @Query("select t from TrialEntity t where t.studyId = :study and t.number = :number")
  Optional<TrialEntity> find(@Param("study") long studyId, @Param("number") long number);

  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select t from TrialEntity t where t.studyId = :study and t.number = :number")
  Optional<TrialEntity> lock(@Param("study") long studyId, @Param("number") long number);

  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select t from TrialEntity t where t.id = :id")
  Optional<TrialEntity> lockById(@Param("id") long id);

  /** Locks several trials, in id order (so two batches never deadlock). */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select t from TrialEntity t where t.id in :ids order by t.id")
  List<TrialEntity> lockAllById(@Param("ids") java.util.Collection<Long> ids);

  @Query(value = """
      select * from trial where study_id = :study and state = 'RUNNING' and worker_id = :worker
      order by number
      """, nativeQuery = true)
  List<TrialEntity> runningForWorker(@Param("study") long studyId, @Param("worker") String workerId);

  /** WAITING trials (enqueued or re-queued) of a study, locked, skipping those another transaction is claiming. */
  @Query(value = """
      select * from trial where study_id = :study and state = 'WAITING'
      order by number limit :n for update skip locked
      """, nativeQuery = true)
  List<TrialEntity> claimWaiting(@Param("study") long studyId, @Param("n") int n);

  @Query(value = "select count(*) from trial where study_id = :study and state = 'RUNNING'", nativeQuery = true)
  long countRunning(@Param("study") long studyId);

  @Query(value = "select count(*) from trial where study_id = :study and state in ('WAITING', 'RUNNING')",
      nativeQuery = true)
  long countPending(@Param("study") long studyId);

  @Query(value = """
      select * from trial where study_id = :study and number > :after
      and (cast(:state as varchar) is null or state = cast(:state as varchar))
      order by number limit :n
      """, nativeQuery = true)
  List<TrialEntity> page(@Param("study") long studyId, @Param("state") String state, @Param("after") long after,
      @Param("n") int limit);

  @Query(value = "select * from trial where study_id = :study and number > :after order by number limit :n",
      nativeQuery = true)
  List<TrialEntity> all(@Param("study") long studyId, @Param("after") long after, @Param("n") int limit);


  /** Completed trials with their values only, for best/Pareto (no params, no measurements). */
  @Query(value = """
      select * from trial where study_id = :study and state = 'COMPLETED' order by number
      """, nativeQuery = true)
  List<TrialEntity> completed(@Param("study") long studyId);

  @Query(value = "select * from trial where study_id = :study and id in (:ids)", nativeQuery = true)
  List<TrialEntity> byIds(@Param("study") long studyId, @Param("ids") Collection<Long> ids);

  @Modifying
  @Query(value = "delete from trial where study_id = :study", nativeQuery = true)
  int deleteByStudy(@Param("study") long studyId);

  /** min(n, number of finished COMPLETED/PRUNED trials): bounded work however large the study. */
  @Query(value = """
      select count(*) from (select 1 from trial where study_id = :study and state in ('COMPLETED', 'PRUNED')
      limit :n) x
      """, nativeQuery = true)
  long finishedAtLeast(@Param("study") long studyId, @Param("n") long n);

  /** min(n, number of FAILED trials): bounded work however large the study. */
  @Query(value = """
      select count(*) from (select 1 from trial where study_id = :study and state = 'FAILED' limit :n) x
      """, nativeQuery = true)
  long failedAtLeast(@Param("study") long studyId, @Param("n") long n);

  /** Whether some trial of the study is COMPLETED. */
  @Query(value = "select exists (select 1 from trial where study_id = :study and state = 'COMPLETED')",
      nativeQuery = true)
  boolean anyCompleted(@Param("study") long studyId);

  @Query(value = "select now()", nativeQuery = true)
  java.time.Instant dbInstant();

  /** The database clock: heartbeat deadlines are judged by it, as executor leases are. */
  default java.time.OffsetDateTime dbNow() {
    return java.time.OffsetDateTime.ofInstant(dbInstant(), java.time.ZoneOffset.UTC);
  }

  /** The most recent trials of a study (highest numbers first). */
  @Query(value = "select * from trial where study_id = :study order by number desc limit :n", nativeQuery = true)
  List<TrialEntity> recent(@Param("study") long studyId, @Param("n") int limit);
}
