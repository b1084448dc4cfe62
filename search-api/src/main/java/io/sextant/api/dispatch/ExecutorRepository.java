package io.sextant.api.dispatch;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface ExecutorRepository extends JpaRepository<ExecutorEntity, String> {
  @Modifying
  @Query(value = "update executor set last_seen_at = now() where id = :id", nativeQuery = true)
  int touch(@Param("id") String id);

  /** Adds accepted outcomes to an executor's counts (0 rows when it is gone). */
  @Modifying
  @Query(value = "update executor set trials_completed = trials_completed + :completed, "
      + "attempts_failed = attempts_failed + :failed where id = :id", nativeQuery = true)
  int countOutcomes(@Param("id") String id, @Param("completed") long completed, @Param("failed") long failed);
}
