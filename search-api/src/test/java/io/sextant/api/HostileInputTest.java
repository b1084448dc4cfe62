package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Random and mutated JSON/YAML thrown at every write endpoint (a seeded fuzzer: the seed is in the failure message
 * so a failure replays), and SQL injection attempts in every string field and query parameter: never a 5xx,
 * problem+json for every refusal, and a refused request changes nothing.
 */
class HostileInputTest extends ApiTestBase {
  private static final String[] NASTY = {
      "'; DROP TABLE trial; --", "\" OR 1=1 --", "x' UNION SELECT token_hash FROM api_token --", "\u0000", "%00",
      "<script>alert(1)</script>", "\uD83D\uDE00", "NaN", "-Infinity", "${jndi:ldap://x}", "../../etc/passwd",
      "a".repeat(5000), "", " ", "\\", "{{7*7}}", "\uFEFF", "null"};

  private Object randomValue(SplittableRandom r, int depth) {
    return switch (r.nextInt(depth > 3 ? 7 : 9)) {
      case 0 -> NASTY[r.nextInt(NASTY.length)];
      case 1 -> r.nextLong();
      case 2 -> r.nextDouble() * Math.pow(10, r.nextInt(-20, 400));
      case 3 -> r.nextBoolean();
      case 4 -> null;
      case 5 -> -r.nextInt(1000);
      case 6 -> 0;
      case 7 -> {
        List<Object> l = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
          l.add(randomValue(r, depth + 1));
        }
        yield l;
      }
      default -> {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
          m.put(r.nextBoolean() ? NASTY[r.nextInt(NASTY.length)] : "k" + i, randomValue(r, depth + 1));
        }
        yield m;
      }
    };
  }

  @SuppressWarnings("unchecked")
  private Object mutate(Object valid, SplittableRandom r) {
    if (valid instanceof Map<?, ?> m && !m.isEmpty()) {
      Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
      List<String> keys = new ArrayList<>(copy.keySet());
      String k = keys.get(r.nextInt(keys.size()));
      switch (r.nextInt(4)) {
        case 0 -> copy.remove(k);
        case 1 -> copy.put(k, randomValue(r, 0));
        case 2 -> copy.put(k, mutate(copy.get(k), r));
        default -> copy.put(NASTY[r.nextInt(NASTY.length)], randomValue(r, 0));
      }
      return copy;
    }
    if (valid instanceof List<?> l && !l.isEmpty()) {
      List<Object> copy = new ArrayList<>(l);
      int i = r.nextInt(copy.size());
      copy.set(i, r.nextBoolean() ? mutate(copy.get(i), r) : randomValue(r, 0));
      return copy;
    }
    return randomValue(r, 0);
  }

  private String render(Object body, SplittableRandom r) {
    String text = body == null ? "null" : Http.JSON.writeValueAsString(body);
    return switch (r.nextInt(8)) {
      case 0 -> text.substring(0, r.nextInt(text.length() + 1));
      case 1 -> "[".repeat(3000) + "]".repeat(3000);
      case 2 -> text.replace("0.5", "NaN");
      default -> text;
    };
  }

  private String snapshot(long study) {
    return http.get("/api/v1/studies?limit=1000").text() + http.get("/api/v1/studies/" + study + "/export?format=json").text();
  }

  @Test
  void fuzzedBodiesNeverCauseA5xxAndRefusalsChangeNothing() {
    // -Dsextant.fuzz.seed=S replays a failure; -Dsextant.fuzz.cases=N runs a longer campaign
    long seed = Long.getLong("sextant.fuzz.seed", System.nanoTime());
    int cases = Integer.getInteger("sextant.fuzz.cases", 240);
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, Object> fuzzStudy = demoStudy(unique("fuzz"));
    fuzzStudy.put("limits", Map.of("maxTrials", 1_000_000, "maxAttempts", 3)); // long campaigns issue many trials
    long study = create(fuzzStudy);
    long running = suggest(study, 1, "w").get(0).get("number").asLong();
    String s = "/api/v1/studies/" + study;
    Map<String, Object> validStudy = demoStudy("fuzz-new");
    @SuppressWarnings("unchecked")
    Map<String, Object> exported = Http.JSON.readValue(http.get(s + "/export?format=json").text(), Map.class);
    ((Map<String, Object>) exported.get("study")).put("name", "fuzz-imported");
    List<Object[]> targets = List.of(
        new Object[] {"/api/v1/studies", validStudy},
        new Object[] {"/api/v1/studies/import", exported},
        new Object[] {s + "/suggestions", Map.of("count", 2, "workerId", "w", "context", Map.of("a", 0.5))},
        new Object[] {s + "/trials", Map.of("params", Map.of("lr", 0.01, "layers", 2, "opt", "sgd", "momentum", 0.5))},
        new Object[] {s + "/trials/" + running + "/complete", Map.of("values", Map.of("loss", 0.5))},
        new Object[] {s + "/trials/" + running + "/fail", Map.of("reason", "x")},
        new Object[] {s + "/trials/" + running + "/measurements", Map.of("step", 1, "values", Map.of("loss", 0.5))},
        new Object[] {"/api/v1/tokens", Map.of("name", "t", "role", "VIEWER")},
        new Object[] {"/api/v1/users", Map.of("username", "fuzzuser", "role", "VIEWER", "password", "long-enough-password")},
        new Object[] {"/api/v1/executors", Map.of("name", "n", "slots", 1)});
    int refused = 0;
    for (int i = 0; i < cases; i++) {
      Object[] t = targets.get(r.nextInt(targets.size()));
      Object body = mutate(t[1], r);
      boolean yaml = r.nextInt(5) == 0;
      String text = yaml ? toYamlish(body) : render(body, r);
      String before = snapshot(study);
      Http.Res res = http.post((String) t[0], text, yaml ? "application/yaml" : "application/json");
      String what = "seed " + seed + " case " + i + " " + t[0] + " " + text.substring(0, Math.min(300, text.length()));
      assertThat(res.status()).as(what + " -> " + res.text()).isLessThan(500);
      if (res.status() >= 400) {
        refused++;
        assertThat(res.contentType()).as(what).startsWith("application/problem+json");
        assertThat(snapshot(study)).as(what + " changed something").isEqualTo(before);
      } else if (t[0].equals(s + "/trials/" + running + "/complete") || t[0].toString().endsWith("/fail")) {
        // the running trial was legitimately finished: hand out a new one for the next cases
        running = suggest(study, 1, "w" + i).get(0).get("number").asLong();
        targets = retarget(targets, s, running);
      }
    }
    assertThat(refused).as("the fuzzer should mostly produce invalid input").isGreaterThan(cases * 100 / 240);
  }

  private static List<Object[]> retarget(List<Object[]> targets, String s, long running) {
    List<Object[]> out = new ArrayList<>();
    for (Object[] t : targets) {
      String p = (String) t[0];
      out.add(new Object[] {p.replaceAll("/trials/\\d+/", "/trials/" + running + "/"), t[1]});
    }
    return out;
  }

  /** A YAML rendering (JSON is YAML) with YAML-specific hostility now and then: anchors and aliases. */
  private static String toYamlish(Object body) {
    String json = Http.JSON.writeValueAsString(body);
    return json.length() % 2 == 0 ? json : "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n" + json;
  }

  @Test
  void sqlInjectionInEveryStringAndQueryParameterIsJustText() {
    String evil = "x'); DELETE FROM trial; DROP TABLE study; --";
    Map<String, Object> body = new LinkedHashMap<>(Map.of(
        "name", evil,
        "space", Map.of("parameters", List.of(
            Map.of("name", evil, "type", "float", "low", 0, "high", 1),
            Map.of("name", "c", "type", "categorical", "choices", List.of(evil, "b")))),
        "objectives", List.of(Map.of("metric", evil + "m"))));
    long id = create(body);
    JsonNode t = suggest(id, 1, evil).get(0);
    Http.Res done = http.post("/api/v1/studies/" + id + "/trials/" + t.get("number").asLong() + "/complete",
        Map.of("values", Map.of(evil + "m", 1.5)));
    assertThat(done.status()).as(done.text()).isEqualTo(200);
    assertThat(http.post("/api/v1/studies/" + id + "/trials/" + t.get("number").asLong() + "/fail",
        Map.of("reason", evil)).status()).isEqualTo(409);
    String q = URLEncoder.encode(evil, StandardCharsets.UTF_8);
    for (String path : List.of("/api/v1/studies?q=" + q, "/api/v1/studies/" + id + "/trials?state=" + q,
        "/api/v1/studies/" + id + "/export?format=" + q, "/api/v1/studies/" + id + "/importance?objective=" + q,
        "/api/v1/studies/" + id + "/trials?after=" + q, "/api/v1/studies/" + q)) {
      assertThat(http.get(path).status()).as(path).isLessThan(500);
    }
    JsonNode s = http.get("/api/v1/studies/" + id).json();
    assertThat(s.get("name").asString()).isEqualTo(evil);
    assertThat(s.get("trialCounts").get("COMPLETED").asLong()).isEqualTo(1);
    assertThat(http.get("/api/v1/studies?q=" + q).json().get("studies")).hasSize(1);
    assertThat(http.get("/api/v1/studies/" + id + "/trials/" + t.get("number").asLong()).json()
        .get("params").has(evil)).isTrue();
  }
}
