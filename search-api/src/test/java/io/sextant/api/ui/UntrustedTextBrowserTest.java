package io.sextant.api.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.api.ApiTestBase;
import io.sextant.api.Http;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * Every string a user can give the service (study, parameter, choice and metric names, metadata, failure reasons,
 * worker ids, bandit contexts, executor names, labels and GPU names, token names) is markup that would set
 * {@code window.__xss} if the browser ever parsed it as HTML. The test visits every view in real headless Chromium,
 * hovers a point of every chart (tooltips are where ECharts takes HTML), opens the 3-D view and trial details, and
 * asserts that the flag stays unset and that no Content-Security-Policy violation happened either: the markup must be
 * inert text, not something the policy had to stop. Also: the policy is sent with every response.
 */
class UntrustedTextBrowserTest extends ApiTestBase {
  static final String MARKUP = "<img src=x onerror=\"window.__xss=1\"><svg onload=\"window.__xss=2\"></svg>"
      + "\"><script>window.__xss=3</script>";
  /** For names of at most 100 characters (executor label names, evaluator names). */
  static final String SHORT_MARKUP = "<img src=x onerror=\"window.__xss=4\">";
  static final String LABEL_KEY = "k " + SHORT_MARKUP;
  static ChromeDriver driver;
  UiPage page;

  static String m(String label) {
    return label + " " + MARKUP;
  }

  @BeforeAll
  static void browser() throws Exception {
    driver = WebUiBrowserTest.chromium();
    // installed before any page script runs, in every document: records what the Content-Security-Policy blocked
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
        window.__csp = [];
        document.addEventListener('securitypolicyviolation',
          e => window.__csp.push(e.effectiveDirective + ' blocked ' + e.blockedURI + ' ' + e.sample), true);"""));
  }

  @AfterAll
  static void close() {
    if (driver != null) {
      driver.quit();
    }
  }

  @BeforeEach
  void signIn() {
    WebUiBrowserTest.signIn(driver, port);
    page = new UiPage(driver, port);
  }

  /** Nothing ran: the flag is unset, the policy stopped nothing, the console has no error but the expected ones. */
  private void assertInert(String where, String... expectedErrors) throws InterruptedException {
    Thread.sleep(300); // an image's error event comes a moment after it was inserted
    assertThat(page.js("return window.__xss === undefined ? null : String(window.__xss)")).as(where).isNull();
    assertThat(page.js("return JSON.stringify(window.__csp || ['listener missing'])")).as(where).isEqualTo("[]");
    assertThat(page.severeConsoleEntries()).as(where)
        .allMatch(e -> java.util.Arrays.stream(expectedErrors).anyMatch(e::contains));
  }

  private Map<String, String> cspDirectives(Http.Res r) {
    String header = r.header("Content-Security-Policy").orElse("");
    Map<String, String> out = new LinkedHashMap<>();
    for (String d : header.split(";")) {
      String t = d.trim();
      if (!t.isEmpty()) {
        int sp = t.indexOf(' ');
        out.put(sp < 0 ? t : t.substring(0, sp), sp < 0 ? "" : t.substring(sp + 1).trim());
      }
    }
    return out;
  }

  @Test
  void theContentSecurityPolicyIsOnEveryResponse() {
    Http anonymous = new Http(port, null);
    for (Http.Res r : List.of(http.get("/"), http.get("/api/v1/studies"), http.get("/api/v1/studies/999999"),
        anonymous.get("/api/v1/studies"), anonymous.get("/login"), http.get("/swagger-ui/index.html"),
        http.get("/v3/api-docs"))) {
      Map<String, String> csp = cspDirectives(r);
      assertThat(csp).as("status %d %s", r.status(), r.contentType())
          .containsEntry("default-src", "'self'").containsEntry("script-src", "'self'")
          .containsEntry("object-src", "'none'").containsEntry("frame-ancestors", "'none'")
          .containsEntry("base-uri", "'self'").containsEntry("form-action", "'self'");
      assertThat(String.join(" ", csp.values())).doesNotContain("unsafe-eval");
    }
  }

  @Test
  void theSignInPageReflectsNothingFromTheRequest() {
    String q = URLEncoder.encode(MARKUP, StandardCharsets.UTF_8);
    Http.Res r = new Http(port, null).send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/login?error=" + q + "&logout=" + q + "&" + q + "=1"))
        .header("Cookie", "XSRF-TOKEN=" + URLEncoder.encode("\"><img src=x>", StandardCharsets.UTF_8)).GET().build());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).contains("<form").doesNotContain("<img").doesNotContain("<svg").doesNotContain("__xss");
  }

  @Test
  void markupInEveryUserStringStaysTextInEveryView() throws Exception {
    Fixtures f = fixtures();
    page.clearConsole();

    // the studies list (names, objectives, a multi-objective study's front)
    page.open("#/");
    page.waitUp(20).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("a.study-link")));
    driver.findElement(By.id("study-search")).sendKeys(f.tag);
    page.waitUp(20).until(d -> d.findElements(By.cssSelector("a.study-link")).size() == f.studies.size()
        && !d.findElement(By.tagName("table")).getText().contains("…"));
    assertThat(driver.findElement(By.tagName("table")).getText()).contains(m("single")).contains(m("loss"));
    assertInert("studies list");

    // every study page: header, every chart hovered, selects, 3-D, the table and the details of its trials
    for (long id : f.studies) {
      page.openStudy(id);
      assertThat(driver.findElement(By.tagName("h1")).getText()).contains(MARKUP);
      assertInert("study " + id);
      for (String chart : page.charts()) {
        if (chart.equals("parallel")) {
          continue; // draws no tooltip
        }
        String tip = page.hoverFirstPoint(chart);
        assertInert("hovering " + chart + " of study " + id);
        if (tip != null && !chart.equals("hypervolume") && !chart.equals("cumulative")) {
          // the tooltip names a metric, parameter or arm: the user's markup, shown as text
          assertThat(tip).as("%s tooltip of study %d", chart, id).contains(MARKUP);
        }
      }
      if (!driver.findElements(By.id("slice-param")).isEmpty()) {
        Select slice = new Select(driver.findElement(By.id("slice-param")));
        for (int i = 0; i < slice.getOptions().size(); i++) {
          slice.selectByIndex(i);
          String tip = page.hoverFirstPoint("slice");
          if (tip != null) {
            assertThat(tip).contains(MARKUP);
          }
        }
        assertInert("slice parameters of study " + id);
      }
      if (id == f.twoObjectives || id == f.threeObjectives) {
        new Select(driver.findElement(By.id("pareto-x"))).selectByIndex(1);
        new Select(driver.findElement(By.id("pareto-y"))).selectByIndex(0);
        String x = id == f.twoObjectives ? m("f2") : m("g2");
        String y = id == f.twoObjectives ? m("f1") : m("g1");
        page.waitUp(10).until(d -> Boolean.TRUE.equals(page.js("""
            const o = window.__sextant.charts.pareto.getOption();
            return o.xAxis[0].name === arguments[0] && o.yAxis[0].name === arguments[1]""", x, y)));
        assertThat(page.hoverFirstPoint("pareto")).contains(MARKUP);
        assertInert("Pareto axes of study " + id);
      }
      if (id == f.threeObjectives) {
        assertThat(hover3d()).contains(m("g1")).contains(m("g2")).contains(m("g3"));
        page.shot("untrusted-3d");
        assertInert("3-D Pareto view");
      }
      new Select(driver.findElement(By.id("trial-sort"))).selectByIndex(1);
      List<String> numbers = driver.findElements(By.cssSelector("a.trial-link")).stream().map(WebElement::getText)
          .toList();
      for (String n : numbers) {
        // a trial link re-opens the study page with that trial's details
        driver.findElement(By.cssSelector("a.trial-link[href$='/trials/" + n + "']")).click();
        page.awaitReady();
        page.waitUp(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("trial-detail"),
            "Trial " + n));
      }
      assertInert("trial details of study " + id);
    }
    // the failed trial's reason and the enqueued trial's metadata, as text
    page.open("#/studies/" + f.single + "/trials/" + f.failed);
    page.awaitReady();
    page.waitUp(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("trial-detail"), m("reason")));
    page.open("#/studies/" + f.single + "/trials/" + f.withMetadata);
    page.awaitReady();
    // metadata is shown as JSON, where quotes are escaped
    page.waitUp(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("trial-detail"),
        Http.JSON.writeValueAsString(m("value"))));
    assertThat(driver.findElement(By.id("trial-detail")).getText()).contains(m("worker"))
        .contains(Http.JSON.writeValueAsString(m("key")));
    new Select(driver.findElement(By.id("trial-state"))).selectByValue("FAILED");
    assertThat(driver.findElements(By.cssSelector("a.trial-link"))).hasSize(1);
    page.shot("untrusted-study");
    assertInert("failed trial and metadata");

    // executors: name, labels, GPU names
    page.open("#/executors");
    page.waitUp(20).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("table"), m("executor")));
    assertThat(driver.findElement(By.tagName("table")).getText()).contains(LABEL_KEY + "=" + m("v")).contains(m("gpu"));
    assertInert("executors");

    // the create page shows the server's error, which quotes the user's field name
    page.open("#/new");
    WebElement text = page.waitUp(20).until(ExpectedConditions.presenceOfElementLocated(By.id("study-spec")));
    new Select(driver.findElement(By.id("spec-format"))).selectByValue("json");
    text.clear();
    text.sendKeys(Http.JSON.writeValueAsString(Map.of("name", m("new"), m("field"), 1)));
    driver.findElement(By.id("create-study")).click();
    WebElement error = page.waitUp(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("spec-error")));
    assertThat(error.getText()).contains(MARKUP);
    assertInert("create page error", "the server responded with a status of 400");

    // Swagger UI works under the policy
    page.open("swagger-ui.html");
    page.waitUp(30).until(d -> !d.findElements(By.cssSelector(".swagger-ui .opblock")).isEmpty());
    assertThat(driver.findElement(By.cssSelector(".swagger-ui .info .title")).getText()).isNotBlank();
    assertInert("Swagger UI");
    http.delete("/api/v1/executors/" + f.executor);
  }

  /** Turns on the 3-D view, waits until WebGL drew the front's points, hovers the middle of one; the tooltip. */
  private String hover3d() {
    int[] p = page.show3dFront();
    return page.hover("pareto", p[0], p[1]);
  }

  record Fixtures(String tag, List<Long> studies, long single, long twoObjectives, long threeObjectives, long failed,
      long withMetadata, String executor) {}

  private JsonNode ok(Http.Res r, int status) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    return r.text().isEmpty() ? null : r.json();
  }

  private Fixtures fixtures() {
    List<Long> studies = new ArrayList<>();
    String tag = unique("inert");
    // single objective, ask/tell: every kind of parameter, measurements, a failed trial, enqueued metadata
    long single = create(Map.of("name", m("single") + " " + tag,
        "space", Map.of("parameters", List.of(
            Map.of("name", m("lr"), "type", "float", "low", 1e-5, "high", 0.1, "log", true),
            Map.of("name", m("layers"), "type", "int", "low", 1, "high", 4),
            Map.of("name", m("opt"), "type", "categorical", "choices", List.of(m("adam"), m("sgd"))))),
        "objectives", List.of(Map.of("metric", m("loss"))),
        "algorithm", Map.of("name", "random", "options", Map.of("seed", 1)),
        "limits", Map.of("maxTrials", 100, "maxAttempts", 1)));
    studies.add(single);
    long withMetadata = ok(http.post("/api/v1/studies/" + single + "/trials", Map.of(
        "params", Map.of(m("lr"), 0.01, m("layers"), 2, m("opt"), m("adam")),
        "metadata", Map.of(m("key"), m("value")))), 201).get("number").asLong();
    long failed = -1;
    for (int i = 0; i < 9; i++) {
      JsonNode t = suggest(single, 1, m("worker")).get(0);
      long n = t.get("number").asLong();
      String base = "/api/v1/studies/" + single + "/trials/" + n;
      if (i == 4) {
        ok(http.post(base + "/fail", Map.of("reason", m("reason"))), 200);
        failed = n;
        continue;
      }
      ok(http.post(base + "/measurements", Map.of("step", 1, "values", Map.of(m("loss"), 2.0 + i))), 200);
      ok(http.post(base + "/complete", Map.of("values", Map.of(m("loss"), 1.0 + (i * 7 % 5)))), 200);
    }
    // two and three objectives (the 3-D view)
    long two = create(Map.of("name", m("two") + " " + tag,
        "space", Map.of("parameters", List.of(Map.of("name", m("x"), "type", "float", "low", 0, "high", 1),
            Map.of("name", m("y"), "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", m("f1")), Map.of("metric", m("f2"))),
        "algorithm", Map.of("name", "sobol", "options", Map.of("seed", 2))));
    long three = create(Map.of("name", m("three") + " " + tag,
        "space", Map.of("parameters", List.of(Map.of("name", m("u"), "type", "float", "low", 0, "high", 1),
            Map.of("name", m("v"), "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", m("g1")), Map.of("metric", m("g2")), Map.of("metric", m("g3"))),
        "algorithm", Map.of("name", "sobol", "options", Map.of("seed", 3))));
    for (int i = 0; i < 12; i++) {
      JsonNode t = suggest(two, 1, null).get(0);
      double x = t.get("params").get(m("x")).asDouble();
      double y = t.get("params").get(m("y")).asDouble();
      ok(http.post("/api/v1/studies/" + two + "/trials/" + t.get("number").asLong() + "/complete",
          Map.of("values", Map.of(m("f1"), x, m("f2"), 1 - Math.sqrt(x) + y))), 200);
      t = suggest(three, 1, null).get(0);
      double u = t.get("params").get(m("u")).asDouble() * Math.PI / 2;
      double v = t.get("params").get(m("v")).asDouble() * Math.PI / 2;
      ok(http.post("/api/v1/studies/" + three + "/trials/" + t.get("number").asLong() + "/complete",
          Map.of("values", Map.of(m("g1"), Math.cos(u) * Math.cos(v), m("g2"), Math.cos(u) * Math.sin(v),
              m("g3"), Math.sin(u) + 0.1 * (i % 3)))), 200);
    }
    studies.add(two);
    studies.add(three);
    // a bandit whose arms are markup, pulled with a markup context (the trial's metadata)
    long bandit = create(Map.of("name", m("bandit") + " " + tag,
        "space", Map.of("parameters", List.of(Map.of("name", m("arm"), "type", "categorical",
            "choices", List.of(m("a1"), m("a2"), m("a3"))))),
        "objectives", List.of(Map.of("metric", m("cost"))),
        "algorithm", Map.of("name", "tsallis-inf", "options", Map.of("seed", 4))));
    for (int i = 0; i < 12; i++) {
      JsonNode t = ok(http.post("/api/v1/studies/" + bandit + "/suggestions",
          Map.of("count", 1, "context", Map.of(m("ctx"), m("cv")))), 200).get("trials").get(0);
      ok(http.post("/api/v1/studies/" + bandit + "/trials/" + t.get("number").asLong() + "/complete",
          Map.of("values", Map.of(m("cost"), 10.0 + i % 4))), 200);
    }
    studies.add(bandit);
    // program evolution: a hand-written program with markup metadata (variable names are checked: markup there is
    // refused), then the search's own
    long programs = create(Map.of("name", m("programs") + " " + tag,
        "objectives", List.of(Map.of("metric", m("fitness"))),
        "algorithm", Map.of("name", "program-evolution", "options", Map.of("population", 4, "tournament", 2)),
        "limits", Map.of("maxTrials", 4)), true);
    Map<String, Object> program = Map.of("body", List.of(
        Map.of("fn", "mul", "args", List.of("g", 0.01), "target", "update")), "returns", List.of("update", "m", "v"));
    assertThat(http.post("/api/v1/studies/" + programs + "/trials", Map.of("params", Map.of("program",
        Map.of("body", List.of(Map.of("fn", "mul", "args", List.of("g", 0.01), "target", MARKUP)),
            "returns", List.of("update", "m", "v"))))).field()).isEqualTo("params.program");
    ok(http.post("/api/v1/studies/" + programs + "/trials", Map.of("params", Map.of("program", program),
        "metadata", Map.of(m("note"), m("hand-written")))), 201);
    ok(http.post("/api/v1/studies/" + programs + "/resume", ""), 200);
    for (int i = 0; i < 3; i++) {
      JsonNode t = suggest(programs, 1, null).get(0);
      ok(http.post("/api/v1/studies/" + programs + "/trials/" + t.get("number").asLong() + "/complete",
          Map.of("values", Map.of(m("fitness"), 1.0 + i))), 200);
    }
    studies.add(programs);
    // an executor registered over the REST protocol; a token; user names cannot be markup
    String executor = ok(http.post("/api/v1/executors", Map.of("name", m("executor"), "slots", 1,
        "labels", Map.of(LABEL_KEY, m("v")), "gpus", List.of(Map.of("index", 0, "name", m("gpu"), "memoryMiB", 1)),
        "evaluators", List.of("e " + SHORT_MARKUP))), 201).get("id").asString();
    ok(http.post("/api/v1/tokens", Map.of("name", m("token"), "role", "VIEWER")), 201);
    assertThat(http.post("/api/v1/users", Map.of("username", m("user"), "password", "a-long-password-1",
        "role", "VIEWER")).field()).isEqualTo("username");
    return new Fixtures(tag, studies, single, two, three, failed, withMetadata, executor);
  }

  private long create(Map<String, Object> body, boolean paused) {
    return ok(http.post("/api/v1/studies?paused=" + paused, body), 201).get("id").asLong();
  }
}
