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

  /** Runnable studies whose evaluator is one of {@code evaluators} (what an executor declared it can run). */
  @Query(value = "select id from study where state = 'ACTIVE' and evaluator in (:evaluators) order by id",
      nativeQuery = true)
  List<Long> findRunnableIds(@Param("evaluators") java.util.Collection<String> evaluators);

  /** Locks the study row unless another transaction holds it (then empty: someone else is issuing its trials). */
  @Query(value = "select * from study where id = :id for update skip locked", nativeQuery = true)
  Optional<StudyEntity> tryLock(@Param("id") long id);
}
