package io.sextant.api.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The embedded PostgreSQL 17 behind {@code ./sextant run}: real binaries ({@link PostgresBinaries}) on a data
 * directory, started with {@code pg_ctl} (its own session, so a Ctrl-C meant for the JVM does not stop the database
 * before the JVM drained its work).
 *
 * <p>Security. The superuser {@code postgres} has a generated password (32 random bytes), stored as SCRAM-SHA-256
 * by the server and in clear in {@value #PASSWORD_FILE} (mode 0600) in the data directory (itself 0700), generated at
 * the first start and reused after. {@code pg_hba.conf} is rewritten at every start with one rule, password
 * (scram-sha-256) over TCP from 127.0.0.1; the server listens on 127.0.0.1 only and has no Unix socket
 * ({@code unix_socket_directories} is empty), so no other local account can reach it without the password. A data
 * directory made by an earlier version (initdb {@code -A trust}, no password file) is upgraded in place at its next
 * start: the password is set in single-user mode (the server is not running, nothing can connect meanwhile), then
 * pg_hba.conf is replaced. Each step is redone at the next start if it was interrupted.
 *
 * <p>Durability. By default {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} are on: a commit
 * is acknowledged after its WAL reached the disk, so neither a crash of a PostgreSQL process nor of the machine loses
 * it. {@code durable=false} (for throwaway runs) turns fsync and synchronous_commit off, the library defaults this
 * class replaced.
 *
 * <p>Supervision (when {@code watch}). A watchdog checks the postmaster every 250 ms. When it is gone (killed, OOM),
 * the state becomes {@link State#DOWN}, listeners hear it at once, and after {@code restartDelay} the server is
 * started again on the same port and data directory (crash recovery replays the WAL) until {@code restartTimeout}
 * has passed; then {@code onGiveUp} runs (the application exits with a message so a supervisor restarts it).
 * A crash of one backend needs nothing from us: the postmaster itself resets and recovers.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(EmbeddedPostgresServer.class.getName());
  private static final System.Logger PG_LOG = System.getLogger("io.sextant.postgres");

  /** The password file in the data directory (mode 0600). */
  public static final String PASSWORD_FILE = "sextant-db-password";
  /** The superuser the application connects as. */
  public static final String USER = "postgres";
  static final String HBA = """
      # Written by Sextant at every start of its embedded PostgreSQL; edits are overwritten.
      # Password (SCRAM-SHA-256) over TCP from 127.0.0.1 only; the server has no Unix socket.
      # The password is in sextant-db-password next to this file.
      host all all 127.0.0.1/32 scram-sha-256
      """;
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  /** Whether the database can be used. */
  public enum State { UP, DOWN, STOPPED }

  /**
   * How to run it. {@code port} 0 picks a free port once (kept across restarts). {@code settings} are extra
   * server settings ({@code -c name=value}).
   */
  public record Options(Path dataDir, Path binariesDir, int port, boolean durable, Map<String, String> settings,
      boolean watch, Duration restartDelay, Duration restartTimeout) {}

  private final Path dataDir;
  private final Path install;
  private final int port;
  private final String password;
  private final List<String> serverOptions;
  private final Options options;
  private final List<Consumer<State>> listeners = new CopyOnWriteArrayList<>();
  private final Object lifecycle = new Object();
  private volatile Runnable onGiveUp = () -> {};
  private volatile State state = State.DOWN;
  private volatile long postmasterPid;
  private volatile boolean closing;
  private Thread watchdog;

  private EmbeddedPostgresServer(Options o, Path install, int port, String password) {
    this.options = o;
    this.dataDir = o.dataDir().toAbsolutePath();
    this.install = install;
    this.port = port;
    this.password = password;
    this.serverOptions = serverOptions(port, o.durable(), o.settings());
  }

  /**
   * Prepares the data directory (initdb on an empty one; stops a PostgreSQL an earlier, killed run left on it;
   * secures it) and starts the server.
   */
  public static EmbeddedPostgresServer start(Options o) throws IOException {
    Path dir = o.dataDir().toAbsolutePath();
    Files.createDirectories(dir);
    checkDataDirectory(dir);
    Path install = PostgresBinaries.unpacked(o.binariesDir());
    if (!Files.exists(dir.resolve("PG_VERSION"))) {
      initdb(install, dir);
    } else {
      stopOrphan(dir);
    }
    String password = secure(install, dir);
    EmbeddedPostgresServer s = new EmbeddedPostgresServer(o, install, o.port() > 0 ? o.port() : freePort(), password);
    s.launch();
    if (o.watch()) {
      s.watchdog = Thread.ofPlatform().daemon().name("embedded-postgres-watchdog").start(s::watch);
    }
    return s;
  }

  public int port() {
    return port;
  }

  public String password() {
    return password;
  }

  public Path dataDir() {
    return dataDir;
  }

  public State state() {
    return state;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** A plain (unpooled) data source for {@code database}, as the superuser with the password. */
  public DataSource dataSource(String database) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName(database);
    ds.setUser(USER);
    ds.setPassword(password);
    return ds;
  }

  /** Called with the new state whenever it changes (from the watchdog thread). */
  public void onStateChange(Consumer<State> listener) {
    listeners.add(listener);
  }

  /** What to do when the server could not be restarted within the restart timeout. */
  public void onGiveUp(Runnable r) {
    this.onGiveUp = r;
  }

  /** Fast shutdown (committed transactions are safe; sessions are ended), waiting up to 60 s. */
  @Override
  public void close() throws IOException {
    synchronized (lifecycle) {
      if (closing) {
        return;
      }
      closing = true;
      if (watchdog != null) {
        watchdog.interrupt();
      }
      if (alive(postmasterPid)) {
        int rc = run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "stop", "-m", "fast", "-w", "-t", "60"),
            PG_LOG);
        if (rc != 0) {
          LOG.log(System.Logger.Level.WARNING, "pg_ctl stop on {0} exited with {1}", dataDir, rc);
        }
      }
      setState(State.STOPPED);
    }
  }

  // ------------------------------------------------------------------ start and stop

  static List<String> serverOptions(int port, boolean durable, Map<String, String> settings) {
    List<String> o = new ArrayList<>(List.of("-p", Integer.toString(port),
        "-c", "listen_addresses=127.0.0.1",
        "-c", "unix_socket_directories=''",
        "-c", "password_encryption=scram-sha-256",
        "-c", "timezone=UTC",
        "-c", "fsync=" + (durable ? "on" : "off"),
        "-c", "synchronous_commit=" + (durable ? "on" : "off"),
        "-c", "full_page_writes=on"));
    settings.forEach((k, v) -> {
      if (!k.matches("[a-z_.]+") || !v.matches("[A-Za-z0-9_.:/-]+")) {
        throw new IllegalArgumentException("unsupported embedded PostgreSQL setting " + k + "=" + v);
      }
      o.addAll(List.of("-c", k + "=" + v));
    });
    return o;
  }

  private void launch() throws IOException {
    synchronized (lifecycle) {
      if (closing) {
        throw new IOException("the embedded PostgreSQL is being stopped");
      }
      LOG.log(System.Logger.Level.INFO, "Starting embedded PostgreSQL with data in {0} on 127.0.0.1:{1,number,#}"
          + " ({2})", dataDir, port, options.durable() ? "durable" : "NOT durable: fsync and synchronous_commit off");
      // pg_ctl leaves the postmaster writing to our pipe: its log goes to ours until it exits
      List<String> cmd = List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-w", "-t", "60",
          "-o", String.join(" ", serverOptions), "start");
      int rc = run(cmd, PG_LOG);
      if (rc != 0) {
        throw new IOException("the embedded PostgreSQL did not start on " + dataDir + " (pg_ctl exit code " + rc
            + "; its log lines are above)");
      }
      postmasterPid = readPid(dataDir).orElseThrow(() -> new IOException("no postmaster.pid after start"));
      try (Connection c = dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
        s.execute("SELECT 1");
      } catch (SQLException e) {
        throw new IOException("the embedded PostgreSQL started but refuses the password in "
            + dataDir.resolve(PASSWORD_FILE) + ": " + e.getMessage(), e);
      }
      setState(State.UP);
    }
  }

  private void setState(State s) {
    if (state != s) {
      state = s;
      for (Consumer<State> l : listeners) {
        try {
          l.accept(s);
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "state listener failed", e);
        }
      }
    }
  }

  private void watch() {
    while (!closing) {
      try {
        Thread.sleep(250);
        if (closing || alive(postmasterPid)) {
          continue;
        }
        setState(State.DOWN);
        LOG.log(System.Logger.Level.ERROR, "The embedded PostgreSQL (pid {0,number,#}) on {1} has died; requests "
            + "fail with 503 until it is back. Restarting it in {2} ms", postmasterPid, dataDir,
            options.restartDelay().toMillis());
        Thread.sleep(options.restartDelay().toMillis());
        long deadline = System.nanoTime() + options.restartTimeout().toNanos();
        while (!closing) {
          try {
            launch();
            LOG.log(System.Logger.Level.WARNING, "The embedded PostgreSQL on {0} was restarted (pid {1,number,#})",
                dataDir, postmasterPid);
            break;
          } catch (IOException e) {
            if (System.nanoTime() > deadline) {
              LOG.log(System.Logger.Level.ERROR, "The embedded PostgreSQL on " + dataDir + " could not be restarted"
                  + " within " + options.restartTimeout().toSeconds() + " s (" + e.getMessage() + "); Sextant stops"
                  + " so that a supervisor (or you) can start it again", e);
              onGiveUp.run();
              return;
            }
            // e.g. processes of the dead postmaster still hold its shared memory: they exit shortly
            Thread.sleep(1000);
          }
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Whether {@code pid} is a live process (a zombie waiting for its parent is not). */
  static boolean alive(long pid) {
    if (pid <= 0 || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int close = stat.lastIndexOf(')');
      return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
    } catch (IOException e) {
      return !Files.isDirectory(Path.of("/proc")); // no procfs: trust isAlive
    }
  }

  private static Optional<Long> readPid(Path dir) throws IOException {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pidFile);
    try {
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static List<String> nonRootPrefix;

  /**
   * PostgreSQL refuses to run as root. When the JVM is root (containers, CI), its tools run in a new user namespace
   * ({@code unshare -U}), where they are an unprivileged user; the files they write still belong to the real user.
   */
  static synchronized List<String> asNonRoot() throws IOException {
    if (nonRootPrefix == null) {
      int uid;
      try {
        uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
        uid = "root".equals(System.getProperty("user.name")) ? 0 : 1;
      }
      if (uid != 0) {
        nonRootPrefix = List.of();
      } else {
        String inside;
        try {
          Process p = new ProcessBuilder("unshare", "-U", "id", "-u").redirectErrorStream(true).start();
          inside = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
          p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
          inside = "";
        }
        if (inside.isEmpty() || inside.equals("0") || !inside.chars().allMatch(Character::isDigit)) {
          throw new IOException("PostgreSQL refuses to run as root and 'unshare -U' is not available here ("
              + inside + "); run Sextant as an ordinary user, or use an external database (SPRING_DATASOURCE_URL)");
        }
        nonRootPrefix = List.of("unshare", "-U");
      }
    }
    return nonRootPrefix;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private String bin(String name) {
    return bin(install, name);
  }

  private static String bin(Path install, String name) {
    return install.resolve("bin").resolve(name).toString();
  }

  /**
   * Runs a PostgreSQL tool (as an unprivileged user when we are root) with {@code input} on its stdin; its output is
   * collected into {@code output}, or else logged line by line to {@code log} (by a daemon thread that outlives the
   * tool: the postmaster pg_ctl starts keeps writing its log to the pipe). Returns the exit code.
   */
  private static int run(List<String> cmd, System.Logger log) throws IOException {
    return run(cmd, log, null, null);
  }

  private static int run(List<String> cmd, System.Logger log, String input, StringBuilder output) throws IOException {
    List<String> full = new ArrayList<>(asNonRoot());
    full.addAll(cmd);
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
    // a PGDATA, PGPORT or PGOPTIONS of the caller's shell must not change what we start
    pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
    if (input == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process p = pb.start();
    if (input != null) {
      try (var in = p.getOutputStream()) {
        in.write(input.getBytes(StandardCharsets.UTF_8));
      }
    }
    String name = Path.of(cmd.getFirst()).getFileName().toString();
    Thread reader = Thread.ofPlatform().daemon().name("postgres-output").start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (output != null) {
            output.append(line).append('\n');
          } else if (!line.isBlank()) {
            log.log(System.Logger.Level.INFO, line);
          }
        }
      } catch (IOException e) {
        // the process went away
      }
    });
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd.subList(0, Math.min(2, cmd.size()))) + " did not finish");
      }
      if (output != null) {
        reader.join(10_000);
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + name, e);
    }
  }

  // ------------------------------------------------------------------ the data directory

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

  /** initdb with the password already set (from a 0600 temporary file), then the password file and pg_hba.conf. */
  private static void initdb(Path install, Path dir) throws IOException {
    String password = newPassword();
    Path pwfile = Files.createTempFile("sextant-initdb", ".pw",
        PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try {
      Files.writeString(pwfile, password + "\n");
      StringBuilder out = new StringBuilder();
      int rc = run(List.of(bin(install, "initdb"), "-D", dir.toString(), "-U", USER, "-E", "UTF-8",
          "--auth=scram-sha-256", "--pwfile=" + pwfile), null, null, out);
      if (rc != 0) {
        throw new IOException("initdb failed on " + dir + " (exit code " + rc + "): " + out.toString().strip());
      }
    } finally {
      Files.deleteIfExists(pwfile);
    }
    writePrivate(dir.resolve(PASSWORD_FILE), password);
    Files.writeString(dir.resolve("pg_hba.conf"), HBA);
  }

  /**
   * The password of this data directory, after making sure the server will demand it: generated when there is
   * none (set in single-user mode, with pg_hba.conf replaced after it) or when pg_hba.conf is not Sextant's
   * (an earlier version's trust rules, or hand edits).
   */
  private static String secure(Path install, Path dir) throws IOException {
    Path pwFile = dir.resolve(PASSWORD_FILE);
    Path hba = dir.resolve("pg_hba.conf");
    String password = null;
    if (Files.exists(pwFile)) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(pwFile);
      if (!perms.equals(OWNER_ONLY)) {
        LOG.log(System.Logger.Level.WARNING, "{0} had mode {1}; set to rw-------", pwFile,
            PosixFilePermissions.toString(perms));
        Files.setPosixFilePermissions(pwFile, OWNER_ONLY);
      }
      password = Files.readString(pwFile).strip();
      if (password.isEmpty()) {
        password = null;
      }
    }
    boolean hbaOurs = Files.exists(hba) && Files.readString(hba).equals(HBA);
    if (password != null && hbaOurs) {
      return password;
    }
    if (password == null) {
      password = newPassword();
      writePrivate(pwFile, password);
    }
    LOG.log(System.Logger.Level.WARNING, "Securing the embedded PostgreSQL data directory {0}: superuser password "
        + "(SCRAM-SHA-256) in {1}, pg_hba.conf: password over TCP from 127.0.0.1 only", dir, pwFile);
    // single-user mode: no server runs, nobody can connect meanwhile
    StringBuilder out = new StringBuilder();
    int rc = run(List.of(bin(install, "postgres"), "--single", "-D", dir.toString(),
            "-c", "password_encryption=scram-sha-256", "-c", "unix_socket_directories=", "-c", "fsync=on", USER),
        null, "ALTER ROLE " + USER + " WITH PASSWORD '" + password + "';\n", out);
    if (rc != 0 || out.indexOf("ERROR:") >= 0 || out.indexOf("FATAL:") >= 0) {
      throw new IOException("could not set the database password on " + dir + " in single-user mode (exit code "
          + rc + "): " + out.toString().replace(password, "***").strip());
    }
    Path tmp = dir.resolve("pg_hba.conf.sextant-new");
    Files.writeString(tmp, HBA);
    Files.setPosixFilePermissions(tmp, OWNER_ONLY);
    Files.move(tmp, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return password;
  }

  private static String newPassword() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Writes {@code text} to {@code file} with mode 0600 from the start (a temporary file renamed into place). */
  private static void writePrivate(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".new");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    Files.writeString(tmp, text + "\n");
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
    boolean ours = proc.isPresent() && alive(pid)
        && proc.get().info().command().map(c -> c.endsWith("postgres")).orElse(false)
        && Path.of(lines.get(1).trim()).toAbsolutePath().equals(dir);
    if (!ours) {
      return;
    }
    LOG.log(System.Logger.Level.WARNING, "Stopping PostgreSQL {0} left running by an earlier run on {1}", pid, dir);
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (alive(pid) && System.nanoTime() < end) {
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the PostgreSQL (pid " + pid + ") left running on " + dir, e);
    }
    if (alive(pid)) {
      throw new IOException("could not stop the PostgreSQL (pid " + pid + ") left running on " + dir);
    }
  }
}
