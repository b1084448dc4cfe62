package io.sextant.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.api.Http;
import io.sextant.api.SextantApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded PostgreSQL of {@code ./sextant run} as another local account meets it: no way in without the
 * generated password (not over TCP, not over a Unix socket), and it is durable by default; a data directory made by
 * an earlier version (trust authentication) is secured in place at its next start, its data kept.
 */
class EmbeddedPostgresSecurityTest {
  @TempDir
  Path dir;

  private ConfigurableApplicationContext start(Path data, String... extra) {
    List<String> args = new ArrayList<>(List.of("--server.port=0", "--sextant.data-dir=" + data,
        "--sextant.executor.in-process.enabled=false", "--sextant.admin-token=" + Http.ADMIN_TOKEN,
        "--logging.level.root=WARN"));
    args.addAll(List.of(extra));
    return new SpringApplicationBuilder(SextantApplication.class).run(args.toArray(String[]::new));
  }

  /** The port, as an operator reads it: the fourth line of postmaster.pid. */
  private static int port(Path data) throws IOException {
    return Integer.parseInt(Files.readAllLines(data.resolve("postmaster.pid")).get(3).trim());
  }

  private static Connection connect(int port, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    if (password != null) {
      p.setProperty("password", password);
    }
    p.setProperty("connectTimeout", "5");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
  }

  private static String password(Path data) throws IOException {
    return Files.readString(data.resolve(EmbeddedPostgresServer.PASSWORD_FILE)).strip();
  }

  private static String show(Connection c, String setting) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW " + setting)) {
      r.next();
      return r.getString(1);
    }
  }

  /**
   * Speaks the first message of the PostgreSQL protocol over a Unix socket (what psql -h /tmp does): a startup
   * packet for user postgres. Returns what came back: "no socket" when there is none to connect to, "auth ok" when
   * the server let us in without a password, else the authentication request or error it sent.
   */
  static String socketLogin(Path socket) {
    if (!Files.exists(socket)) {
      return "no socket";
    }
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      byte[] params = "user\0postgres\0database\0postgres\0\0".getBytes(StandardCharsets.US_ASCII);
      ByteBuffer out = ByteBuffer.allocate(8 + params.length);
      out.putInt(8 + params.length).putInt(196608).put(params).flip();
      ch.write(out);
      ByteBuffer in = ByteBuffer.allocate(9);
      while (in.hasRemaining() && ch.read(in) >= 0) {
        // read the message type, length and the authentication code
      }
      in.flip();
      char type = (char) in.get();
      in.getInt();
      int code = in.getInt();
      return type == 'R' && code == 0 ? "auth ok" : type == 'R' ? "auth request " + code : "message " + type;
    } catch (IOException e) {
      return "refused: " + e.getMessage();
    }
  }

  private static void assertPasswordOnly(Path data, int port) throws Exception {
    assertThatThrownBy(() -> connect(port, null).close()).isInstanceOf(SQLException.class)
        .hasMessageContaining("password");
    assertThatThrownBy(() -> connect(port, "not-the-password").close()).isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
    // no Unix socket anywhere: not in /tmp (the library's default, world-writable), not in the data directory
    for (Path socket : List.of(Path.of("/tmp/.s.PGSQL." + port), data.resolve(".s.PGSQL." + port))) {
      assertThat(socketLogin(socket)).as(socket.toString()).isEqualTo("no socket");
    }
    Path pw = data.resolve(EmbeddedPostgresServer.PASSWORD_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pw))).isEqualTo("rw-------");
    assertThat(Files.getPosixFilePermissions(data)).doesNotContain(PosixFilePermission.OTHERS_READ,
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
    assertThat(Files.readString(data.resolve("pg_hba.conf"))).doesNotContain("trust");
    try (Connection c = connect(port, password(data)); Statement s = c.createStatement()) {
      assertThat(show(c, "listen_addresses")).isEqualTo("127.0.0.1");
      assertThat(show(c, "unix_socket_directories")).isEmpty();
      assertThat(show(c, "password_encryption")).isEqualTo("scram-sha-256");
      List<String> rules = new ArrayList<>();
      try (ResultSet r = s.executeQuery("SELECT type, address, auth_method, error FROM pg_hba_file_rules")) {
        while (r.next()) {
          rules.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3) + " " + r.getString(4));
        }
      }
      assertThat(rules).containsExactly("host 127.0.0.1 scram-sha-256 null");
      try (ResultSet r = s.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'")) {
        r.next();
        assertThat(r.getString(1)).startsWith("SCRAM-SHA-256$");
      }
    }
  }

  private static Http http(ConfigurableApplicationContext ctx) {
    return new Http(((WebServerApplicationContext) ctx).getWebServer().getPort());
  }

  private static void askAndTell(Http h, String name) {
    Http.Res r = h.post("/api/v1/studies", Map.of("name", name, "objectives", List.of(Map.of("metric", "y")),
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1)))));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    long id = r.json().get("id").asLong();
    long n = h.post("/api/v1/studies/" + id + "/suggestions", Map.of("count", 1)).json().get("trials").get(0)
        .get("number").asLong();
    assertThat(h.post("/api/v1/studies/" + id + "/trials/" + n + "/complete", Map.of("values", Map.of("y", 1.5)))
        .status()).isEqualTo(200);
  }

  @Test
  void aNewDataDirectoryHasAPasswordNoSocketAndIsDurable() throws Exception {
    Path data = dir.resolve("pgdata");
    try (ConfigurableApplicationContext ctx = start(data)) {
      int port = port(data);
      assertPasswordOnly(data, port);
      try (Connection c = connect(port, password(data))) {
        // durable by default: an acknowledged commit is on disk (the library defaults were -F, synchronous_commit off)
        assertThat(show(c, "fsync")).isEqualTo("on");
        assertThat(show(c, "synchronous_commit")).isEqualTo("on");
        assertThat(show(c, "full_page_writes")).isEqualTo("on");
      }
      assertThat(Files.readString(data.resolve("postmaster.opts"))).doesNotContain(" -F").contains("fsync=on");
      askAndTell(http(ctx), "secured");
    }
  }

  @Test
  void aTrustDataDirectoryOfAnEarlierVersionIsSecuredInPlaceAndKeepsItsData() throws Exception {
    Path data = dir.resolve("old");
    // what earlier versions made: initdb -A trust through the library, its socket in /tmp, no password
    try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
        .setRegisterShutdownHook(false).setServerConfig("listen_addresses", "127.0.0.1").start();
        Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA legacy");
      s.execute("CREATE TABLE legacy.kept (v text)");
      s.execute("INSERT INTO legacy.kept VALUES ('from the trust era')");
    }
    assertThat(Files.readString(data.resolve("pg_hba.conf"))).contains("trust");
    assertThat(data.resolve(EmbeddedPostgresServer.PASSWORD_FILE)).doesNotExist();

    String password;
    try (ConfigurableApplicationContext ctx = start(data)) {
      int port = port(data);
      assertPasswordOnly(data, port);
      password = password(data);
      try (Connection c = connect(port, password); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT v FROM legacy.kept")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).isEqualTo("from the trust era");
      }
      askAndTell(http(ctx), "after-upgrade");
    }
    // the next start reuses the password; a throwaway run may turn durability off, explicitly
    try (ConfigurableApplicationContext ctx = start(data, "--sextant.embedded-db.durable=false")) {
      int port = port(data);
      assertThat(password(data)).isEqualTo(password);
      assertPasswordOnly(data, port);
      try (Connection c = connect(port, password)) {
        assertThat(show(c, "fsync")).isEqualTo("off");
        assertThat(show(c, "synchronous_commit")).isEqualTo("off");
      }
      assertThat(http(ctx).get("/api/v1/studies?limit=10").json().get("studies")).hasSize(1);
    }
  }
}
