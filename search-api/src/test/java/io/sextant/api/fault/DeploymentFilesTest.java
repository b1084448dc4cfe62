package io.sextant.api.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.evaluators.executor.ExecutorOptions;
import io.sextant.evaluators.executor.GpuSelection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Docker cannot run here, so the deployment files are checked by reading them: the executor command lines of
 * compose.yaml and deploy/k8s/executor.yaml, appended to Dockerfile.executor's entry point, are what the executor's
 * own parser ({@link ExecutorOptions#parse}) accepts, with the server, GPUs and lease they mean to set; the GPU
 * reservation / nvidia.com/gpu request is there; stop grace periods exceed the drain time; the image copies the jar
 * the build produces.
 */
class DeploymentFilesTest {
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private static Path root() {
    Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    return Files.exists(here.resolve("compose.yaml")) ? here : here.getParent();
  }

  /** Dockerfile.executor's ENTRYPOINT: the flags after {@code -jar <jar>}. */
  private static List<String> entryPointFlags() throws Exception {
    String text = Files.readString(root().resolve("Dockerfile.executor"));
    Matcher m = Pattern.compile("(?m)^ENTRYPOINT (\\[.*])\\s*$").matcher(text);
    assertThat(m.find()).as("ENTRYPOINT in exec form").isTrue();
    List<String> entry = new ArrayList<>();
    JsonMapper.builder().build().readTree(m.group(1)).forEach(n -> entry.add(n.asString()));
    int jar = entry.indexOf("-jar");
    assertThat(entry.get(jar + 1)).isEqualTo("/opt/sextant/sextant-executor.jar");
    assertThat(text).contains("COPY evaluators/target/sextant-executor.jar /opt/sextant/sextant-executor.jar");
    return entry.subList(jar + 2, entry.size());
  }

  private static List<String> strings(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.asString()));
    return out;
  }

  @Test
  void composeExecutorCommandParsesAndReservesGpus() throws Exception {
    JsonNode services = YAML.readTree(root().resolve("compose.yaml").toFile()).get("services");
    JsonNode ex = services.get("executor");
    assertThat(ex.get("build").get("dockerfile").asString()).isEqualTo("Dockerfile.executor");
    List<String> args = new ArrayList<>(entryPointFlags());
    args.addAll(strings(ex.get("command")));
    Map<String, String> env = new HashMap<>();
    ex.get("environment").properties().forEach(e -> env.put(e.getKey(), e.getValue().asString()));

    ExecutorOptions o = ExecutorOptions.parse(args, env).orElseThrow();
    assertThat(o.server().toString()).isEqualTo("http://search-api:8080");
    assertThat(services.has("search-api")).isTrue();
    assertThat(o.gpus()).isInstanceOf(GpuSelection.Auto.class);
    assertThat(o.slots().getAsInt()).isPositive();
    assertThat(o.workDir().orElseThrow().toString()).isEqualTo("/var/lib/sextant/work");
    double serverLease = Double.parseDouble(services.get("search-api").get("environment")
        .get("SEXTANT_DISPATCH_LEASE_SECONDS").asString());
    assertThat(o.leaseDuration().toMillis() / 1000.0).isLessThanOrEqualTo(serverLease);
    Duration grace = Duration.ofSeconds(Long.parseLong(ex.get("stop_grace_period").asString().replace("s", "")));
    assertThat(grace).isGreaterThan(o.drainGrace());

    JsonNode device = ex.get("deploy").get("resources").get("reservations").get("devices").get(0);
    assertThat(device.get("driver").asString()).isEqualTo("nvidia");
    assertThat(device.get("count").asString()).isEqualTo("all");
    assertThat(strings(device.get("capabilities"))).containsExactly("gpu");
  }

  @Test
  void kubernetesExecutorArgsParseAndRequestGpus() throws Exception {
    String text = Files.readString(root().resolve("deploy/k8s/executor.yaml"));
    JsonNode deployment = null;
    for (String doc : text.split("(?m)^---\\s*$")) {
      JsonNode n = YAML.readTree(doc);
      if (n != null && n.has("kind") && n.get("kind").asString().equals("Deployment")) {
        deployment = n;
      }
    }
    assertThat(deployment).isNotNull();
    JsonNode pod = deployment.get("spec").get("template").get("spec");
    JsonNode c = pod.get("containers").get(0);
    List<String> args = new ArrayList<>(entryPointFlags());
    args.addAll(strings(c.get("args")));
    Map<String, String> env = new HashMap<>();
    c.get("env").forEach(e -> {
      if (e.has("value")) {
        env.put(e.get("name").asString(), e.get("value").asString());
      }
    });
    ExecutorOptions o = ExecutorOptions.parse(args, env).orElseThrow();
    assertThat(o.server().getHost()).isEqualTo("search-api.sextant.svc");
    assertThat(o.gpus()).isInstanceOf(GpuSelection.Auto.class);
    assertThat(o.labels()).containsEntry("pool", "k8s");
    assertThat(pod.get("terminationGracePeriodSeconds").asLong()).isGreaterThan(o.drainGrace().toSeconds());
    JsonNode res = c.get("resources");
    assertThat(res.get("limits").get("nvidia.com/gpu").asInt()).isPositive()
        .isEqualTo(res.get("requests").get("nvidia.com/gpu").asInt());
    JsonNode podLabels = deployment.get("spec").get("template").get("metadata").get("labels");
    deployment.get("spec").get("selector").get("matchLabels").properties()
        .forEach(e -> assertThat(podLabels.get(e.getKey())).as("pod label %s", e.getKey()).isEqualTo(e.getValue()));
  }
}
