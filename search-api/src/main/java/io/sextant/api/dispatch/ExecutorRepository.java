package io.sextant.api.dispatch;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface ExecutorRepository extends JpaRepository<ExecutorEntity, String> {
  @Modifying
  @Query(value = "update executor set last_seen_at = now() where id = :id", nativeQuery = true)
  int touch(@Param("id") String id);
}
