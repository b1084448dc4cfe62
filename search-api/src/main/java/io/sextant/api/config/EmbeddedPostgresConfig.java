package io.sextant.api.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Embedded PostgreSQL (real PostgreSQL 17 binaries from Maven) when no {@code spring.datasource.url} is configured.
 *
 * <p>Persistent mode (the default): data in {@code sextant.data-dir} (default {@code ~/.sextant/pgdata}), kept
 * across restarts. Ephemeral mode ({@code sextant.embedded.ephemeral=true}, used by tests): one PostgreSQL per JVM
 * in a temporary directory, and a fresh database for every application context.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfig.NoExternalDatabase.class)
public class EmbeddedPostgresConfig {
  private static final System.Logger LOG = System.getLogger(EmbeddedPostgresConfig.class.getName());

  static final class NoExternalDatabase implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String url = context.getEnvironment().getProperty("spring.datasource.url");
      return url == null || url.isBlank();
    }
  }

  @Bean(destroyMethod = "close")
  EmbeddedServer embeddedPostgres(
      @Value("${sextant.embedded.ephemeral:false}") boolean ephemeral,
      @Value("${sextant.data-dir:${user.home}/.sextant/pgdata}") String dataDir,
      @Value("${sextant.embedded.port:0}") int port)
      throws IOException {
    if (ephemeral) {
      return new EmbeddedServer(Shared.instance(), false);
    }
    Path dir = Path.of(dataDir).toAbsolutePath();
    Files.createDirectories(dir);
    EmbeddedPostgres.Builder b = tuned(EmbeddedPostgres.builder())
        .setDataDirectory(dir)
        .setCleanDataDirectory(false);
    if (port > 0) {
      b.setPort(port);
    }
    LOG.log(System.Logger.Level.INFO, "Starting embedded PostgreSQL with data in {0}", dir);
    return new EmbeddedServer(b.start(), true);
  }

  @Bean(destroyMethod = "close")
  DataSource dataSource(
      EmbeddedServer server,
      @Value("${sextant.embedded.ephemeral:false}") boolean ephemeral,
      @Value("${sextant.datasource.pool-size:24}") int poolSize)
      throws SQLException {
    String db = "postgres";
    if (ephemeral) {
      db = "t_" + UUID.randomUUID().toString().replace("-", "");
      try (Connection c = server.postgres().getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + db);
      }
    }
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(server.postgres().getJdbcUrl("postgres", db));
    hc.setUsername("postgres");
    hc.setMaximumPoolSize(poolSize);
    hc.setPoolName("sextant-embedded");
    return new HikariDataSource(hc);
  }

  static EmbeddedPostgres.Builder tuned(EmbeddedPostgres.Builder b) {
    return b.setServerConfig("max_connections", "200")
        .setServerConfig("shared_buffers", "256MB")
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setPGStartupWait(java.time.Duration.ofSeconds(60));
  }

  /** The running server; closed with the context only when this context owns it. */
  public record EmbeddedServer(EmbeddedPostgres postgres, boolean owned) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      if (owned) {
        postgres.close();
      }
    }
  }

  /** One ephemeral PostgreSQL per JVM (initdb takes seconds; tests share it, each context gets its own database). */
  static final class Shared {
    private static EmbeddedPostgres instance;

    static synchronized EmbeddedPostgres instance() throws IOException {
      if (instance == null) {
        instance = tuned(EmbeddedPostgres.builder()).start();
        EmbeddedPostgres started = instance;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            started.close();
          } catch (IOException e) {
            // the JVM is exiting; nothing more to do
          }
        }));
      }
      return instance;
    }
  }
}
