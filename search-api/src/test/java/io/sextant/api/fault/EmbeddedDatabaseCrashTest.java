package io.sextant.api.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.api.Http;
import io.sextant.api.SextantApplication;
import io.sextant.api.config.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The embedded PostgreSQL of {@code ./sextant run} killed with -9 under concurrent ask/tell clients, as the OOM
 * killer does: one backend (the postmaster resets and recovers by itself), then the postmaster (the server notices,
 * turns readiness DOWN, answers 503 problem+json at once, and restarts the database). Every ask and every tell a
 * client got a 200 for is in the database afterwards, with its values, and no trial number was handed out twice.
 * search-api runs as a separate process on its own data directory, as {@code ./sextant run} starts it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedDatabaseCrashTest {
  @TempDir
  static Path dir;

  private Process server;
  private Path data;
  private int port;
  private Http http;

  @BeforeAll
  void startServer() throws Exception {
    data = dir.resolve("pgdata");
    port = freePort();
    // a restart delay long enough for the test to see the outage (readiness DOWN, 503s) before the restart
    server = start(data, port, dir.resolve("server.log"), "--sextant.embedded-db.restart-delay=3s");
    http = new Http(port);
  }

  private static int freePort() throws Exception {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** search-api as a separate JVM on the test class path (what `./sextant run` starts), once it is ready. */
  private static Process start(Path data, int port, Path log, String... extra) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), SextantApplication.class.getName(),
        "--server.port=" + port, "--sextant.data-dir=" + data, "--sextant.admin-token=" + Http.ADMIN_TOKEN,
        "--sextant.executor.in-process.enabled=false",
        "--logging.level.root=WARN", "--logging.level.io.sextant.api.config=INFO"));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Http h = new Http(port);
    FaultSupport.await("search-api is up", Duration.ofSeconds(120), () -> {
      if (!p.isAlive()) {
        throw new AssertionError("search-api exited:\n" + tail(log));
      }
      try {
        return h.get("/actuator/health/readiness").status() == 200;
      } catch (RuntimeException e) {
        return false;
      }
    });
    return p;
  }

  private static String tail(Path log) {
    try {
      String t = Files.readString(log);
      return t.length() > 6000 ? t.substring(t.length() - 6000) : t;
    } catch (Exception e) {
      return "(no log)";
    }
  }

  @AfterAll
  void stopServer() throws Exception {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
      // kept for a look after a failure (the temporary directory goes away)
      Files.copy(dir.resolve("server.log"), Path.of("target", "embedded-database-crash-server.log"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private String log() {
    return tail(dir.resolve("server.log"));
  }

  private Connection operator() throws Exception {
    int pgPort = Integer.parseInt(Files.readAllLines(data.resolve("postmaster.pid")).get(3).trim());
    String password = Files.readString(data.resolve(EmbeddedPostgresServer.PASSWORD_FILE)).strip();
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "postgres", password);
  }

  private long postmasterPid() throws Exception {
    return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
  }

  /** Ask/tell client threads recording every acknowledged ask and tell, and every refusal. */
  final class Clients implements AutoCloseable {
    final long study;
    final Map<Long, Double> asked = new ConcurrentHashMap<>(); // number -> x, per acknowledged ask
    final Map<Long, Double> told = new ConcurrentHashMap<>(); // number -> y, per acknowledged tell
    final ConcurrentLinkedQueue<String> reissued = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
    final AtomicLong acks = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    Clients(String name, int count) {
      study = FaultSupport.create(http, FaultSupport.study(name, null, Map.of("maxAttempts", 1)));
      for (int i = 0; i < count; i++) {
        String worker = "w" + i;
        threads.add(Thread.ofPlatform().name("client-" + i).start(() -> loop(worker)));
      }
    }

    private void refused(Http.Res r) {
      refusals.add(r.status() + " " + r.contentType() + (r.status() == 503 ? " retry-after="
          + r.header("Retry-After").orElse("none") : " " + r.text()));
    }

    private void loop(String worker) {
      Http client = new Http(port);
      while (!stop.get()) {
        try {
          Http.Res a = client.post("/api/v1/studies/" + study + "/suggestions", Map.of("count", 1, "workerId", worker));
          if (a.status() != 200) {
            refused(a);
            Thread.sleep(50);
            continue;
          }
          JsonNode t = a.json().get("trials").get(0);
          long n = t.get("number").asLong();
          double x = t.get("params").get("x").asDouble();
          Double before = asked.putIfAbsent(n, x);
          if (before != null && before != x) {
            reissued.add("trial " + n + " was issued with x=" + before + " and again with x=" + x);
          }
          double y = 2 * x + 1;
          Http.Res c = client.post("/api/v1/studies/" + study + "/trials/" + n + "/complete",
              Map.of("values", Map.of("loss", y)));
          if (c.status() == 200) {
            told.put(n, y);
            acks.incrementAndGet();
          } else {
            refused(c);
            Thread.sleep(50);
          }
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          refusals.add("no answer: " + e);
        }
      }
    }

    void awaitAcks(long more, String what) throws InterruptedException {
      long target = acks.get() + more;
      FaultSupport.await(what, Duration.ofSeconds(90), () -> {
        assertThat(server.isAlive()).as("search-api exited:\n%s", log()).isTrue();
        return acks.get() >= target;
      });
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      for (Thread t : threads) {
        t.join(30_000);
      }
    }

    /** Every acknowledged ask and tell is in the database, numbers unique, and the only refusals were 503s. */
    void verify() {
      assertThat(reissued).as("trial numbers issued twice").isEmpty();
      assertThat(refusals).as("refusals other than 503 problem+json with Retry-After")
          .allMatch(r -> r.startsWith("503 application/problem+json retry-after="), "is a 503 problem");
      List<JsonNode> trials = FaultSupport.trials(http, study);
      Map<Long, JsonNode> byNumber = new java.util.HashMap<>();
      for (JsonNode t : trials) {
        assertThat(byNumber.put(t.get("number").asLong(), t)).as("number %s twice", t.get("number")).isNull();
      }
      for (var e : asked.entrySet()) {
        JsonNode t = byNumber.get(e.getKey());
        assertThat(t).as("acknowledged ask of trial %d", e.getKey()).isNotNull();
        assertThat(t.get("params").get("x").asDouble()).as("x of trial %d", e.getKey()).isEqualTo(e.getValue());
      }
      for (var e : told.entrySet()) {
        JsonNode t = byNumber.get(e.getKey());
        assertThat(t.get("state").asString()).as("state of told trial %d", e.getKey()).isEqualTo("COMPLETED");
        assertThat(t.get("values").get("loss").asDouble()).as("loss of trial %d", e.getKey())
            .isEqualTo(e.getValue());
      }
    }
  }

  @Test
  void killingABackendLosesNoAcknowledgedTrial() throws Exception {
    try (Clients clients = new Clients("backend-kill", 6)) {
      clients.awaitAcks(30, "clients are under way");
      long victim;
      try (Connection c = operator(); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' "
              + "AND pid <> pg_backend_pid() ORDER BY state = 'active' DESC, xact_start NULLS LAST LIMIT 1")) {
        assertThat(r.next()).as("a backend serving search-api").isTrue();
        victim = r.getLong(1);
      }
      long postmaster = postmasterPid();
      ProcessHandle.of(victim).orElseThrow().destroyForcibly(); // SIGKILL, as the OOM killer sends
      long told = clients.acks.get();
      clients.awaitAcks(30, "clients carry on after the crash recovery");
      assertThat(clients.acks.get()).isGreaterThan(told);
      assertThat(postmasterPid()).as("the postmaster recovered by itself").isEqualTo(postmaster);
      clients.close();
      clients.verify();
    }
  }

  @Test
  void killingThePostmasterLosesNoAcknowledgedTrialAndTheServerRestartsIt() throws Exception {
    try (Clients clients = new Clients("postmaster-kill", 6)) {
      clients.awaitAcks(30, "clients are under way");
      Set<Integer> readiness = ConcurrentHashMap.newKeySet();
      List<Http.Res> duringOutage = new ArrayList<>();
      long postmaster = postmasterPid();
      ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();
      Http anonymous = new Http(port, null);
      FaultSupport.await("readiness reports the database DOWN", Duration.ofSeconds(20), () -> {
        Http.Res r = anonymous.get("/actuator/health/readiness");
        readiness.add(r.status());
        return r.status() == 503;
      });
      duringOutage.add(http.get("/api/v1/studies/" + clients.study));
      FaultSupport.await("readiness UP again after the restart", Duration.ofSeconds(60),
          () -> anonymous.get("/actuator/health/readiness").status() == 200);
      clients.awaitAcks(30, "clients carry on after the restart");
      assertThat(server.isAlive()).isTrue();
      assertThat(postmasterPid()).as("a new postmaster").isNotEqualTo(postmaster);
      Http.Res r = duringOutage.getFirst();
      assertThat(r.status()).as(r.text()).isEqualTo(503);
      assertThat(r.contentType()).isEqualTo("application/problem+json");
      assertThat(r.header("Retry-After")).isPresent();
      assertThat(r.json().get("detail").asString()).contains("database");
      clients.close();
      clients.verify();
      assertThat(new HashSet<>(clients.refusals)).as("what clients got during the outage").isNotEmpty();
      String log = Files.readString(dir.resolve("server.log"));
      assertThat(log).contains("has died").contains("was restarted");
    }
  }

  @Test
  void whenTheDatabaseCannotBeRestartedTheServerExitsWithAMessage() throws Exception {
    Path other = dir.resolve("unrecoverable");
    Path log = dir.resolve("unrecoverable.log");
    int apiPort = freePort();
    // the restart waits 8 s: time for the killed postmaster's children to notice and let go of its port, and for
    // the squatter below to take it first (with 2 s, a slow machine once let PostgreSQL come back on its port)
    Process p = start(other, apiPort, log, "--sextant.embedded-db.restart-delay=8s",
        "--sextant.embedded-db.restart-timeout=2s");
    try {
      List<String> pid = Files.readAllLines(other.resolve("postmaster.pid"));
      int pgPort = Integer.parseInt(pid.get(3).trim());
      ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(pid.get(0).trim())).orElseThrow();
      postmaster.destroyForcibly();
      postmaster.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
      // its port taken by someone else: PostgreSQL cannot start again
      try (var squatter = new java.net.ServerSocket()) {
        squatter.setReuseAddress(true);
        FaultSupport.await("the PostgreSQL port is free to take", Duration.ofSeconds(8), () -> {
          try {
            squatter.bind(new java.net.InetSocketAddress("127.0.0.1", pgPort));
            return true;
          } catch (java.io.IOException e) {
            return false;
          }
        });
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("search-api exits:\n%s", tail(log))
            .isTrue();
      }
      assertThat(p.exitValue()).as(tail(log)).isEqualTo(75);
      assertThat(Files.readString(log)).contains("could not be restarted within 2 s")
          .contains("exiting with status 75");
    } finally {
      p.destroyForcibly();
    }
  }
}
