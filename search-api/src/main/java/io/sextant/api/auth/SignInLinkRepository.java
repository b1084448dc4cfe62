package io.sextant.api.auth;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface SignInLinkRepository extends JpaRepository<SignInLinkEntity, Long> {
  @Modifying
  @Query(value = "delete from sign_in_link where user_id = :user", nativeQuery = true)
  int deleteByUser(@Param("user") long userId);

  /** Marks an unused, unexpired link used (by the database clock) and returns its user; empty otherwise. */
  @Query(value = "update sign_in_link set used_at = now() where secret_hash = :hash and used_at is null"
      + " and expires_at > now() returning user_id", nativeQuery = true)
  Optional<Long> redeem(@Param("hash") String hash);
}
