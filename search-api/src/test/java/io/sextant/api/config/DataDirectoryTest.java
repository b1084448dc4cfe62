package io.sextant.api.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
  @Test
  void anEmptyDirectoryOrAPostgresDataDirectoryIsAcceptedAnythingElseIsRefusedPlainly(@TempDir Path tmp)
      throws Exception {
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    assertThatCode(() -> EmbeddedPostgresServer.checkDataDirectory(empty)).doesNotThrowAnyException();
    Path pg = Files.createDirectory(tmp.resolve("pg"));
    Files.writeString(pg.resolve("PG_VERSION"), "17\n");
    Files.writeString(pg.resolve("postgresql.conf"), "");
    assertThatCode(() -> EmbeddedPostgresServer.checkDataDirectory(pg)).doesNotThrowAnyException();
    Path other = Files.createDirectory(tmp.resolve("other"));
    Files.writeString(other.resolve("run.log"), "hello");
    assertThatThrownBy(() -> EmbeddedPostgresServer.checkDataDirectory(other))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("neither empty nor a PostgreSQL data directory")
        .hasMessageContaining(other.toString());
    // nothing was touched
    org.assertj.core.api.Assertions.assertThat(Files.readString(other.resolve("run.log"))).isEqualTo("hello");
  }
}
