package io.sextant.api.auth;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface TokenRepository extends JpaRepository<TokenEntity, Long> {
  Optional<TokenEntity> findByTokenHash(String hash);

  List<TokenEntity> findByUserIdOrderById(long userId);
}
