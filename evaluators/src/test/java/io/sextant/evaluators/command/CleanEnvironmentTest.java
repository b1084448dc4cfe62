package io.sextant.evaluators.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A command inherits an allowlist of the executor's environment and nothing else (no tokens, no credentials). */
class CleanEnvironmentTest {
  @Test
  void onlyTheAllowlistAndTheOperatorsExtraNamesPass() {
    Map<String, String> executor = Map.of("PATH", "/usr/bin", "HOME", "/root", "LC_ALL", "C.UTF-8",
        "SEXTANT_TOKEN", "sxt_executor", "SEXTANT_ADMIN_TOKEN", "sxt_admin", "SPRING_DATASOURCE_PASSWORD", "pw",
        "AWS_SECRET_ACCESS_KEY", "aws", "HF_HOME", "/data/hf", "SEXTANT_PASS_ENV", "HF_HOME, MISSING");
    Map<String, String> passed = CommandRun.inherited(executor);
    assertThat(passed).containsOnlyKeys("PATH", "HOME", "LC_ALL", "HF_HOME");
    assertThat(CommandRun.inherited(Map.of("SEXTANT_TOKEN", "x", "JAVA_TOOL_OPTIONS", "-javaagent:x"))).isEmpty();
  }
}
