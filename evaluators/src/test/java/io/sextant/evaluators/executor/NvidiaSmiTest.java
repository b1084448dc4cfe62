package io.sextant.evaluators.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvidiaSmiTest {
  @TempDir Path dir;

  @Test
  void parsesTheCsvQueryOutput() {
    String out = """
        0, NVIDIA H100 80GB HBM3, 81559
        1, NVIDIA GeForce RTX 4090, 24564

        2, Tesla T4, [N/A]
        """;
    assertThat(NvidiaSmi.parse(out)).containsExactly(
        new ExecutorInfo.Gpu(0, "NVIDIA H100 80GB HBM3", 81559),
        new ExecutorInfo.Gpu(1, "NVIDIA GeForce RTX 4090", 24564),
        new ExecutorInfo.Gpu(2, "Tesla T4", 0));
    assertThat(NvidiaSmi.parse("3, Odd, Name, With Commas, 1024\r\n"))
        .containsExactly(new ExecutorInfo.Gpu(3, "Odd, Name, With Commas", 1024));
    assertThat(NvidiaSmi.parse("")).isEmpty();
  }

  @Test
  void refusesWhatItCannotRead() {
    assertThatThrownBy(() -> NvidiaSmi.parse("No devices were found")).hasMessageContaining("line 1");
    assertThatThrownBy(() -> NvidiaSmi.parse("GPU-x, name, 12")).hasMessageContaining("no device index");
  }

  private Path fake(String body) throws Exception {
    Path p = dir.resolve("nvidia-smi");
    Files.writeString(p, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  @Test
  void queriesAnExecutableWithTheDocumentedArguments() throws Exception {
    Path smi = fake("""
        [ "$1" = "--query-gpu=index,name,memory.total" ] && [ "$2" = "--format=csv,noheader,nounits" ] || exit 9
        echo '0, Fake GPU A, 1024'
        echo '1, Fake GPU B, 2048'
        """);
    assertThat(NvidiaSmi.query(smi.toString(), Duration.ofSeconds(20))).contains(List.of(
        new ExecutorInfo.Gpu(0, "Fake GPU A", 1024), new ExecutorInfo.Gpu(1, "Fake GPU B", 2048)));
  }

  @Test
  void absentOrFailingNvidiaSmiMeansNoGpus() throws Exception {
    assertThat(NvidiaSmi.query(dir.resolve("absent").toString(), Duration.ofSeconds(5))).isEmpty();
    Path failing = fake("echo 'NVIDIA-SMI has failed because it could not communicate with the driver' ; exit 9\n");
    assertThat(NvidiaSmi.query(failing.toString(), Duration.ofSeconds(20))).isEmpty();
  }
}
