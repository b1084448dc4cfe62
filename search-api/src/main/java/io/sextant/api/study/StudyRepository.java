package io.sextant.api.study;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface StudyRepository extends JpaRepository<StudyEntity, Long> {
  /** The study row locked for update: serializes trial-number allocation within one study. */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select s from StudyEntity s where s.id = :id")
  Optional<StudyEntity> lockById(@Param("id") long id);

  boolean existsByName(String name);

  List<StudyEntity> findByIdGreaterThanOrderByIdAsc(long after, Limit limit);

  List<StudyEntity> findByIdGreaterThanAndNameContainingIgnoreCaseOrderByIdAsc(long after, String q, Limit limit);

  /**
   * Runnable studies whose evaluator is one of {@code evaluators} (what an executor declared it can run), of
   * {@code owner} only when it is not negative (an executor whose token was not minted by an admin); a study whose
   * evaluator runs programs ({@code programs}) only while its owner holds the command capability; only studies of
   * the executor pool {@code pool} (their {@code resources.pool}; "" for the default pool: studies that name none).
   */
  @Query(value = "select s.id from study s where s.state = 'ACTIVE' and s.evaluator in (:evaluators)"
      + " and (:owner < 0 or s.owner_id = :owner) and coalesce(s.resources ->> 'pool', '') = :pool"
      + " and (s.evaluator not in (:programs) or exists (select 1 from app_user u where u.id = s.owner_id"
      + " and u.may_run_commands)) order by s.id", nativeQuery = true)
  List<Long> findRunnableIds(@Param("evaluators") java.util.Collection<String> evaluators, @Param("owner") long owner,
      @Param("programs") java.util.Collection<String> programs, @Param("pool") String pool);

  /**
   * Per study: (id, state, count) of its trials. Summaries of studies read the trial table here, so that the study
   * package needs nothing from the trial package.
   */
  // two parts, pending and finished, so that each can be read from its partial index (trial_pending, trial_finished)
  @Query(value = """
      select study_id, state, n from (
        select study_id, state, count(*) n from trial where study_id in (:ids)
          and state in ('COMPLETED', 'PRUNED', 'FAILED', 'INFEASIBLE') group by study_id, state
        union all
        select study_id, state, count(*) n from trial where study_id in (:ids)
          and state in ('WAITING', 'RUNNING') group by study_id, state) c
      order by study_id, state
      """, nativeQuery = true)
  List<Object[]> trialCountsByState(@Param("ids") java.util.Collection<Long> studyIds);

  /** Per study: (id, min, max) of the first objective over completed trials. */
  @Query(value = """
      select study_id, min(objective_values[1]), max(objective_values[1]) from trial
      where study_id in (:ids) and state = 'COMPLETED' and objective_values is not null group by study_id
      """, nativeQuery = true)
  List<Object[]> firstObjectiveRange(@Param("ids") java.util.Collection<Long> studyIds);

  /** Locks the study row unless another transaction holds it (then empty: someone else is issuing its trials). */
  @Query(value = "select * from study where id = :id for update skip locked", nativeQuery = true)
  Optional<StudyEntity> tryLock(@Param("id") long id);
}
