package io.sextant.api.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.api.Http;
import io.sextant.api.fault.FaultSupport.Executor;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A custom evaluator that exists only in a jar on one executor's class path, exactly as docs/evaluators.md's worked
 * example builds it (the test compiles the Java source from that document): the server does not have the class, yet
 * accepts a study naming it once an executor declares it, leases its trials only to that executor (a plain executor
 * polls beside it), and the trials complete with the values the example computes. Before any executor offers it,
 * the name is refused; a config the executor refuses fails the trial with the evaluator's message.
 */
class CustomEvaluatorOnExecutorTest extends ProcessTestBase {

  /** Builds my-evaluator.jar from the worked example in docs/evaluators.md, as the document says to. */
  private Path buildDocumentedEvaluatorJar() throws Exception {
    Path repo = Path.of(System.getProperty("user.dir")).resolve("..").normalize();
    String doc = Files.readString(repo.resolve("docs/evaluators.md"));
    Matcher m = Pattern.compile("## Worked example: a custom evaluator.*?```java\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    assertThat(m.find()).as("the worked example in docs/evaluators.md").isTrue();
    Path src = Files.createDirectories(dir.resolve("src/com/example")).resolve("SphereProvider.java");
    Files.writeString(src, m.group(1));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-cp", System.getProperty("java.class.path"), "-d", classes.toString(),
        src.toString());
    assertThat(rc).as("javac of the documented example").isZero();
    Path services = Files.createDirectories(classes.resolve("META-INF/services"));
    Files.writeString(services.resolve("io.sextant.evaluators.spi.EvaluatorProvider"), "com.example.SphereProvider\n");
    Path jar = dir.resolve("my-evaluator.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, (OutputStream) out);
        out.closeEntry();
      }
    }
    return jar;
  }

  private static Map<String, Object> sphereStudy(Object shift, int trials) {
    return FaultSupport.study("sphere", Map.of("name", "sphere", "config", Map.of("shift", shift)),
        Map.of("maxTrials", trials, "maxAttempts", 1, "maxParallel", 2));
  }

  @Test
  void anEvaluatorOnlyOnAnExecutorsClassPathRunsThereAndOnlyThere() throws Exception {
    Path jar = buildDocumentedEvaluatorJar();
    server = FaultSupport.startServer(FaultSupport.newDatabase());
    Http http = server.http();

    // nobody offers "sphere" yet: refused, naming the field, nothing created
    Http.Res refused = http.post("/api/v1/studies", sphereStudy(0.25, 4));
    assertThat(refused.status()).as(refused.text()).isEqualTo(400);
    assertThat(refused.field()).isEqualTo("evaluator.name");
    assertThat(refused.json().get("detail").asString()).contains("unknown evaluator 'sphere'");

    Executor custom = FaultSupport.startExecutor(dir, "sphere-box", server.url(), 2, Map.of(), List.of(jar));
    Executor plain = FaultSupport.startExecutor(dir, "plain-box", server.url(), 2, Map.of());
    executors.addAll(List.of(custom, plain));
    String customId = FaultSupport.awaitRegistered(http, custom, Duration.ofSeconds(90));
    String plainId = FaultSupport.awaitRegistered(http, plain, Duration.ofSeconds(90));
    assertThat(custom.logText()).contains("sphere");

    // the catalog lists it with the node that offers it
    JsonNode listed = null;
    for (JsonNode e : http.get("/api/v1/evaluators").json().get("evaluators")) {
      if (e.get("name").asString().equals("sphere")) {
        listed = e;
      }
    }
    assertThat(listed).as("sphere in GET /evaluators").isNotNull();
    assertThat(listed.get("executors").get(0).asString()).isEqualTo("sphere-box");

    long study = FaultSupport.create(http, sphereStudy(0.25, 6));
    FaultSupport.await("sphere study completed", Duration.ofSeconds(90),
        () -> FaultSupport.studyState(http, study).equals("COMPLETED"));
    List<JsonNode> trials = FaultSupport.trials(http, study);
    FaultSupport.assertGapless(trials, 6);
    for (JsonNode t : trials) {
      assertThat(t.get("state").asString()).as(t.toString() + FaultSupport.logs(executors)).isEqualTo("COMPLETED");
      assertThat(t.get("executorId").asString()).isEqualTo(customId).isNotEqualTo(plainId);
      double x = t.get("params").get("x").asDouble();
      double k = t.get("params").get("k").asDouble();
      double expected = (x - 0.25) * (x - 0.25) + (k - 0.25) * (k - 0.25);
      assertThat(t.get("values").get("loss").asDouble()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
    }

    // the server cannot check a remote evaluator's config; the node does, and the trial fails with its message
    long bad = FaultSupport.create(http, sphereStudy("not a number", 1));
    FaultSupport.await("bad-config study ended (FAILED: its only trial failed)", Duration.ofSeconds(60),
        () -> FaultSupport.studyState(http, bad).equals("FAILED"));
    JsonNode failed = FaultSupport.trials(http, bad).getFirst();
    assertThat(failed.get("state").asString()).isEqualTo("FAILED");
    assertThat(failed.get("failureReason").asString()).contains("shift");
  }
}
