package io.sextant.api.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.api.Http;
import io.sextant.api.SextantApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * What the fault tests share: one real PostgreSQL per JVM owned by the tests (io.zonky binaries, a fresh database
 * per test), search-api instances started in this JVM against it the way an external database is configured
 * ({@code spring.datasource.url}), executor nodes as separate {@code java -jar sextant-executor.jar} processes, and
 * an audit trigger that records every state change of every trial, so "ends exactly once" is checked against what
 * the database saw rather than against the final rows alone.
 */
final class FaultSupport {
  /** The server's lease length in these tests, and its reaper period. */
  static final double LEASE_SECONDS = 3;
  static final int REAP_MS = 200;
  static final List<String> TERMINAL = List.of("COMPLETED", "FAILED", "PRUNED", "INFEASIBLE");

  private FaultSupport() {}

  // ---------------------------------------------------------------- PostgreSQL

  private static EmbeddedPostgres postgres;

  /** The tests' own PostgreSQL server (started once per JVM, stopped at exit). */
  static synchronized EmbeddedPostgres postgres() throws IOException {
    if (postgres == null) {
      if (org.slf4j.LoggerFactory.getLogger("io.zonky") instanceof ch.qos.logback.classic.Logger l) {
        l.setLevel(ch.qos.logback.classic.Level.WARN); // initdb and server chatter
      }
      postgres = EmbeddedPostgres.builder()
          .setServerConfig("max_connections", "200")
          .setServerConfig("listen_addresses", "127.0.0.1")
          .setServerConfig("fsync", "off")
          .setPGStartupWait(Duration.ofSeconds(60))
          .start();
      EmbeddedPostgres pg = postgres;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (IOException e) {
          // exiting
        }
      }, "fault-postgres-stop"));
    }
    return postgres;
  }

  /** A fresh, empty database on the tests' PostgreSQL; returns its JDBC URL (user postgres, no password). */
  static String newDatabase() throws IOException, SQLException {
    String db = "fault_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = postgres().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    }
    return "jdbc:postgresql://127.0.0.1:" + postgres().getPort() + "/" + db;
  }

  static Connection connect(String jdbcUrl) throws SQLException {
    return DriverManager.getConnection(jdbcUrl, "postgres", "");
  }

  /**
   * Installs the audit trigger: one row per trial insert and per change of state or executor (old state, new
   * state, attempt, executor; a lease may be stamped on a row inserted as RUNNING in the same transaction), stamped with the wall clock of the database. Call after the first server ran the migrations.
   */
  static void installAudit(String jdbcUrl) throws SQLException {
    try (Connection c = connect(jdbcUrl); Statement s = c.createStatement()) {
      s.execute("""
          CREATE TABLE fault_audit (id bigserial PRIMARY KEY, trial_id bigint, study_id bigint, number bigint,
            old_state text, new_state text, attempt int, executor_id text, at timestamptz DEFAULT clock_timestamp())""");
      s.execute("""
          CREATE FUNCTION fault_audit_fn() RETURNS trigger AS $$
          BEGIN
            IF TG_OP = 'INSERT' OR NEW.state IS DISTINCT FROM OLD.state
               OR NEW.executor_id IS DISTINCT FROM OLD.executor_id THEN
              INSERT INTO fault_audit (trial_id, study_id, number, old_state, new_state, attempt, executor_id)
              VALUES (NEW.id, NEW.study_id, NEW.number, CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.state END,
                      NEW.state, NEW.attempt, NEW.executor_id);
            END IF;
            RETURN NEW;
          END $$ LANGUAGE plpgsql""");
      s.execute("CREATE TRIGGER fault_audit_trg AFTER INSERT OR UPDATE ON trial FOR EACH ROW "
          + "EXECUTE FUNCTION fault_audit_fn()");
    }
  }

  /** One audited change. */
  record Change(long trialId, long number, String oldState, String newState, int attempt, String executorId) {
    /** An attempt started: the trial became RUNNING (inserted as such, or from WAITING). */
    boolean isStart() {
      return "RUNNING".equals(newState) && !"RUNNING".equals(oldState);
    }

    /** The trial entered a terminal state. */
    boolean isEnd() {
      return TERMINAL.contains(newState) && !TERMINAL.contains(oldState);
    }
  }

  /** Per started attempt, the executor that got its lease (null for asks over REST). */
  static List<String> leaseHolders(List<Change> changesOfOneTrial) {
    List<String> out = new ArrayList<>();
    for (Change c : changesOfOneTrial) {
      if (c.isStart()) {
        out.add(c.executorId());
      } else if ("RUNNING".equals(c.newState()) && c.executorId() != null && !out.isEmpty() && out.getLast() == null) {
        out.set(out.size() - 1, c.executorId());
      }
    }
    return out;
  }

  /** The audited changes of a study's trials, in the order they were committed... or at least made. */
  static List<Change> audit(String jdbcUrl, long studyId) throws SQLException {
    List<Change> out = new ArrayList<>();
    try (Connection c = connect(jdbcUrl); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT trial_id, number, old_state, new_state, attempt, executor_id "
            + "FROM fault_audit WHERE study_id = " + studyId + " ORDER BY id")) {
      while (r.next()) {
        out.add(new Change(r.getLong(1), r.getLong(2), r.getString(3), r.getString(4), r.getInt(5), r.getString(6)));
      }
    }
    return out;
  }

  /**
   * The audit's verdict on "every trial ends exactly once": each trial entered a terminal state exactly once and
   * never changed state after it. Returns the number of attempts started (transitions into RUNNING) per number.
   */
  static Map<Long, Integer> assertEachTrialEndedOnce(String jdbcUrl, long studyId, long trials) throws SQLException {
    Map<Long, List<Change>> byNumber = new LinkedHashMap<>();
    for (Change ch : audit(jdbcUrl, studyId)) {
      byNumber.computeIfAbsent(ch.number(), k -> new ArrayList<>()).add(ch);
    }
    assertThat(byNumber.keySet()).as("audited trial numbers").hasSize((int) trials);
    Map<Long, Integer> runs = new LinkedHashMap<>();
    for (var e : byNumber.entrySet()) {
      List<Change> changes = e.getValue();
      long ends = changes.stream().filter(Change::isEnd).count();
      assertThat(ends).as("terminal transitions of trial %d: %s", e.getKey(), changes).isEqualTo(1);
      assertThat(changes.getLast().isEnd()).as("trial %d changed after it ended: %s", e.getKey(), changes).isTrue();
      runs.put(e.getKey(), (int) changes.stream().filter(Change::isStart).count());
    }
    return runs;
  }

  // ---------------------------------------------------------------- search-api

  /** A search-api instance running in this JVM. */
  record Server(ConfigurableApplicationContext ctx, int port, Http http) implements AutoCloseable {
    String url() {
      return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
      if (ctx.isActive()) {
        ctx.close();
      }
    }
  }

  /**
   * Starts search-api on a random port against {@code jdbcUrl}, with the in-process executor off (all trials go to
   * executor processes), a {@link #LEASE_SECONDS} lease and a {@link #REAP_MS} reaper.
   */
  static Server startServer(String jdbcUrl, String... extra) {
    List<String> args = new ArrayList<>(List.of(
        "--server.port=0",
        "--spring.datasource.url=" + jdbcUrl,
        "--spring.datasource.username=postgres",
        "--spring.datasource.password=",
        "--spring.datasource.hikari.maximum-pool-size=12",
        "--sextant.executor.in-process.enabled=false",
        "--sextant.admin-token=" + io.sextant.api.Http.ADMIN_TOKEN,
        "--sextant.security.admin-runs-commands=true",
        "--sextant.dispatch.lease-seconds=" + LEASE_SECONDS,
        "--sextant.dispatch.reap-interval-ms=" + REAP_MS,
        "--spring.lifecycle.timeout-per-shutdown-phase=5s",
        "--logging.level.root=WARN",
        "--logging.level.io.sextant=INFO"));
    args.addAll(List.of(extra));
    ConfigurableApplicationContext ctx = new SpringApplicationBuilder(SextantApplication.class)
        .run(args.toArray(String[]::new));
    int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
    return new Server(ctx, port, new Http(port));
  }

  // ---------------------------------------------------------------- executor processes

  /** An executor node process; its output goes to {@code log}. */
  static final class Executor implements AutoCloseable {
    final String name;
    final Process process;
    final Path log;

    Executor(String name, Process process, Path log) {
      this.name = name;
      this.process = process;
      this.log = log;
    }

    long pid() {
      return process.pid();
    }

    /** kill -9: no drain, no deregistration, no last words. */
    void kill9() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }

    String logText() {
      try {
        return Files.exists(log) ? Files.readString(log) : "(no log)";
      } catch (IOException e) {
        return "(log unreadable: " + e.getMessage() + ")";
      }
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        kill9();
      }
    }
  }

  /**
   * How executors are launched: {@code java -jar evaluators/target/sextant-executor.jar} when that jar is at least
   * as new as the evaluators classes (what {@code mvn package}/{@code install} leave); otherwise ExecutorMain from
   * this test's class path (same code), so a {@code mvn test} without a fresh package still tests current code.
   */
  static List<String> executorLauncher() {
    return executorLauncher(List.of());
  }

  /** The launcher with {@code extra} jars after the executor's own classes (e.g. a custom evaluator's jar). */
  static List<String> executorLauncher(List<Path> extra) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> out = new ArrayList<>(List.of(java));
    out.addAll(EXECUTOR_JVM_OPTIONS);
    String more = extra.stream().map(p -> ":" + p).reduce("", String::concat);
    java.util.Optional<Path> jar = freshExecutorJar();
    if (jar.isPresent()) {
      out.addAll(extra.isEmpty() ? List.of("-jar", jar.get().toString())
          : List.of("-cp", jar.get() + more, "io.sextant.evaluators.executor.ExecutorMain"));
    } else {
      out.addAll(List.of("-cp", System.getProperty("java.class.path") + more,
          "io.sextant.evaluators.executor.ExecutorMain"));
    }
    return out;
  }

  /** JVM options of the executor processes the tests start: small and light on this shared machine. */
  static final List<String> EXECUTOR_JVM_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-Xshare:auto");

  /** The repository's root directory (the tests run in search-api/). */
  static Path repoRoot() {
    Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    return Files.isDirectory(root.resolve("../evaluators")) ? root.resolve("..").normalize() : root;
  }

  /**
   * evaluators/target/sextant-executor.jar when it is at least as new as the evaluators classes (what
   * {@code mvn package}/{@code install} leave); empty otherwise.
   */
  static java.util.Optional<Path> freshExecutorJar() {
    Path module = repoRoot().resolve("evaluators");
    Path jar = module.resolve("target/sextant-executor.jar").normalize();
    return Files.isRegularFile(jar) && !newerClassThan(module.resolve("target/classes"), jar)
        ? java.util.Optional.of(jar) : java.util.Optional.empty();
  }

  private static boolean newerClassThan(Path classes, Path jar) {
    if (!Files.isDirectory(classes)) {
      return false;
    }
    try (Stream<Path> s = Files.walk(classes)) {
      long jarTime = Files.getLastModifiedTime(jar).toMillis();
      return s.filter(Files::isRegularFile).anyMatch(p -> {
        try {
          return Files.getLastModifiedTime(p).toMillis() > jarTime + 1000;
        } catch (IOException e) {
          return false;
        }
      });
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * Starts an executor process named {@code name} against {@code server}: {@code --lease-seconds} matching the
   * server, a 1 s long poll, a work directory under {@code dir}. {@code env} is added to its environment (e.g. a
   * PATH with a fake nvidia-smi); {@code flags} come last.
   */
  static Executor startExecutor(Path dir, String name, String server, int slots, Map<String, String> env,
      String... flags) throws IOException {
    return startExecutor(dir, name, server, slots, env, List.of(), flags);
  }

  /** {@link #startExecutor} with {@code extraClasspath} jars on the executor's class path. */
  static Executor startExecutor(Path dir, String name, String server, int slots, Map<String, String> env,
      List<Path> extraClasspath, String... flags) throws IOException {
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>(executorLauncher(extraClasspath));
    cmd.addAll(List.of("--server", server, "--token", io.sextant.api.Http.ADMIN_TOKEN, "--name", name,
        "--slots", Integer.toString(slots),
        "--lease-seconds", Double.toString(LEASE_SECONDS), "--poll-seconds", "1", "--drain-seconds", "1",
        "--work-dir", dir.resolve("work-" + name).toString()));
    if (List.of(flags).stream().noneMatch(f -> f.startsWith("--gpus"))) {
      cmd.addAll(List.of("--gpus", "none"));
    }
    cmd.addAll(List.of(flags));
    Path log = dir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    return new Executor(name, pb.start(), log);
  }

  /** The executor id the server gave the (live) executor registered under {@code name}. */
  static String awaitRegistered(Http http, Executor e, Duration timeout) throws InterruptedException {
    String[] id = new String[1];
    await("executor " + e.name + " registered", timeout, () -> {
      for (JsonNode x : http.get("/api/v1/executors").json().get("executors")) {
        if (x.get("name").asString().equals(e.name)) {
          id[0] = x.get("id").asString();
          return true;
        }
      }
      if (!e.process.isAlive()) {
        throw new AssertionError("executor " + e.name + " exited:\n" + e.logText());
      }
      return false;
    });
    return id[0];
  }

  // ---------------------------------------------------------------- studies and trials

  /** A study body: one float parameter x in [0, 1], objective loss, the given evaluator and limits. */
  static Map<String, Object> study(String name, Map<String, Object> evaluator, Map<String, Object> limits) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("name", name + "-" + UUID.randomUUID().toString().substring(0, 8));
    b.put("space", Map.of("parameters", List.of(
        Map.of("name", "x", "type", "float", "low", 0, "high", 1),
        Map.of("name", "k", "type", "int", "low", 1, "high", 9))));
    b.put("objectives", List.of(Map.of("metric", "loss")));
    b.put("algorithm", Map.of("name", "random"));
    if (evaluator != null) {
      b.put("evaluator", evaluator);
    }
    b.put("limits", limits);
    return b;
  }

  static long create(Http http, Map<String, Object> body) {
    Http.Res r = http.post("/api/v1/studies", body);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  /** Every trial of a study, by number (paged through the API, without measurements). */
  static List<JsonNode> trials(Http http, long studyId) {
    List<JsonNode> out = new ArrayList<>();
    long after = 0;
    while (true) {
      Http.Res r = http.get("/api/v1/studies/" + studyId + "/trials?limit=1000&measurements=false&after=" + after);
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      JsonNode page = r.json();
      page.get("trials").forEach(out::add);
      JsonNode next = page.get("next");
      if (next == null || next.isNull() || page.get("trials").isEmpty()) {
        return out;
      }
      after = next.asLong();
    }
  }

  static String studyState(Http http, long studyId) {
    return http.get("/api/v1/studies/" + studyId).json().get("state").asString();
  }

  /** Asserts numbers 1..n, each once. */
  static void assertGapless(List<JsonNode> trials, long n) {
    assertThat(trials.stream().map(t -> t.get("number").asLong()).toList())
        .as("trial numbers").isEqualTo(java.util.stream.LongStream.rangeClosed(1, n).boxed().toList());
  }

  /** Polls {@code condition} every 100 ms until it holds; fails after {@code timeout}. */
  static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("gave up after " + timeout + " waiting until " + what);
      }
      Thread.sleep(100);
    }
  }

  /** The tail of every executor's log, for failure messages. */
  static String logs(List<Executor> executors) {
    StringBuilder b = new StringBuilder();
    for (Executor e : executors) {
      String t = e.logText();
      b.append("\n--- ").append(e.name).append(" (pid ").append(e.pid()).append(")\n")
          .append(t.length() > 3000 ? t.substring(t.length() - 3000) : t);
    }
    return b.toString();
  }
}
