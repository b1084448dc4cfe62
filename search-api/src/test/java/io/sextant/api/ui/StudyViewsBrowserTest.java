package io.sextant.api.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.api.ApiTestBase;
import java.util.ArrayList;
import java.util.Comparator;
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
import tools.jackson.databind.JsonNode;

/**
 * What the study views draw, read back from real headless Chromium (issue 20): the 3-D Pareto view, the hypervolume
 * chart's axis name, the order of bandit arms, a multi-objective study's front in the studies list, axis lines at the
 * plot's edges, programs as code in the trial table. Each test also asserts an empty console (no script error).
 */
class StudyViewsBrowserTest extends ApiTestBase {
  static ChromeDriver driver;
  UiPage page;

  @BeforeAll
  static void browser() throws Exception {
    driver = WebUiBrowserTest.chromium();
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
    page.clearConsole();
  }

  private void completeTrial(long study, long number, Map<String, Object> values) {
    var r = http.post("/api/v1/studies/" + study + "/trials/" + number + "/complete", Map.of("values", values));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
  }

  /** An ask/tell study with the objectives f1..fk, k parameters on [0, 1], and n trials on a spherical front. */
  private long frontStudy(int objectives, int n) {
    List<Map<String, Object>> params = new ArrayList<>();
    List<Map<String, Object>> objs = new ArrayList<>();
    for (int k = 1; k <= objectives; k++) {
      params.add(Map.of("name", "x" + k, "type", "float", "low", 0, "high", 1));
      objs.add(Map.of("metric", "f" + k));
    }
    long id = create(Map.of("name", unique("front" + objectives), "space", Map.of("parameters", params),
        "objectives", objs, "algorithm", Map.of("name", "sobol", "options", Map.of("seed", 7))));
    for (int i = 0; i < n; i++) {
      JsonNode t = suggest(id, 1, null).get(0);
      double u = t.get("params").get("x1").asDouble() * Math.PI / 2;
      double v = t.get("params").get("x2").asDouble() * Math.PI / 2;
      double r = 1 + 0.2 * (i % 3);
      Map<String, Object> values = objectives == 2
          ? Map.of("f1", r * Math.cos(u), "f2", r * Math.sin(u))
          : Map.of("f1", r * Math.cos(u) * Math.cos(v), "f2", r * Math.cos(u) * Math.sin(v), "f3", r * Math.sin(u));
      completeTrial(id, t.get("number").asLong(), values);
    }
    return id;
  }

  @Test
  void theThreeDimensionalParetoViewDrawsTheFront() throws Exception {
    long id = frontStudy(3, 16);
    page.openStudy(id);
    int[] p = page.show3dFront();
    assertThat(page.hover("pareto", p[0], p[1])).startsWith("trial ").contains("f1: ").contains("f3: ");
    page.shot("pareto-3d");
    assertThat(page.severeConsoleEntries()).isEmpty();
  }

  @Test
  void theHypervolumeChartShowsItsWholeAxisName() throws Exception {
    long id = frontStudy(2, 8);
    page.openStudy(id);
    List<Number> size = page.chartSize("hypervolume");
    Map<String, Object> name = page.texts("hypervolume").stream()
        .filter(t -> t.get("text").equals("completed trials")).findFirst().orElseThrow();
    double x = ((Number) name.get("x")).doubleValue();
    double y = ((Number) name.get("y")).doubleValue();
    assertThat(x).as("left edge of %s", name).isGreaterThanOrEqualTo(0);
    assertThat(x + ((Number) name.get("width")).doubleValue()).as("right edge of %s", name)
        .isLessThanOrEqualTo(size.get(0).doubleValue());
    assertThat(y + ((Number) name.get("height")).doubleValue()).as("bottom of %s", name)
        .isLessThanOrEqualTo(size.get(1).doubleValue());
    assertThat(page.severeConsoleEntries()).isEmpty();
  }

  @Test
  void banditArmsAreDrawnInTheOrderOfTheirValues() throws Exception {
    List<Double> choices = List.of(1.65, 1.2, 1.95, 1.0, 1.75, 1.5);
    long id = create(Map.of("name", unique("arms"),
        "space", Map.of("parameters", List.of(Map.of("name", "omega", "type", "categorical", "choices", choices))),
        "objectives", List.of(Map.of("metric", "iterations")),
        "algorithm", Map.of("name", "tsallis-inf", "options", Map.of("seed", 11))));
    for (int i = 0; i < 24; i++) {
      JsonNode t = suggest(id, 1, null).get(0);
      double omega = t.get("params").get("omega").asDouble();
      completeTrial(id, t.get("number").asLong(), Map.of("iterations", 100 * Math.abs(omega - 1.5) + 10));
    }
    List<Double> served = new ArrayList<>();
    http.get("/api/v1/studies/" + id + "/arms").json().get("arms")
        .forEach(a -> served.add(a.get("params").get("omega").asDouble()));
    page.openStudy(id);
    // the category labels under the plot, left to right
    double bottom = page.plotArea("arms").get("y").doubleValue() + page.plotArea("arms").get("height").doubleValue();
    List<Double> drawn = page.texts("arms").stream()
        .filter(t -> ((Number) t.get("y")).doubleValue() > bottom && ((String) t.get("text")).matches("[0-9.]+"))
        .sorted(Comparator.comparingDouble(t -> ((Number) t.get("x")).doubleValue()))
        .map(t -> Double.parseDouble((String) t.get("text"))).toList();
    assertThat(drawn).as("server order %s", served).hasSameSizeAs(served).isSorted()
        .containsExactlyInAnyOrderElementsOf(served);
    page.shot("bandit-arms");
    assertThat(page.severeConsoleEntries()).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void aContextualSorStudysArmsViewDrawsArmsByValueAndComparesAgainstTheInstanceOptimum() throws Exception {
    // a new user's contextual study on the built-in solver family: the evaluator reports each instance's
    // instance-optimal cost, so the cumulative chart can draw that comparator next to the learner
    long id = create(Map.of("name", unique("sor-arms"),
        "space", Map.of("parameters", List.of(Map.of("name", "omega", "type", "float", "low", 1.0, "high", 1.95,
            "step", 0.05))),
        "objectives", List.of(Map.of("metric", "iterations")),
        "algorithm", Map.of("name", "linucb"),
        "evaluator", Map.of("name", "sor", "config", Map.of("family", "low-variance")),
        "limits", Map.of("maxTrials", 40, "maxParallel", 1)));
    long end = System.nanoTime() + 120_000_000_000L;
    while (!http.get("/api/v1/studies/" + id).json().get("state").asString().equals("COMPLETED")) {
      assertThat(System.nanoTime()).as("sor study completes").isLessThan(end);
      Thread.sleep(100);
    }
    JsonNode served = http.get("/api/v1/studies/" + id + "/arms").json();
    assertThat(served.has("instanceOptimalCost")).as(served.toString()).isTrue();
    page.openStudy(id);
    page.waitUp(20).until(d -> page.charts().contains("cumulative"));
    // the cumulative chart: the learner and the instance-optimal line, each with a point per pull
    Map<String, Long> lines = new java.util.HashMap<>();
    ((List<List<Object>>) page.js("return window.__sextant.charts.cumulative.getOption().series"
        + ".map(s => [s.name, s.data.length])")).forEach(s -> lines.put((String) s.get(0), ((Number) s.get(1))
        .longValue()));
    assertThat(lines).containsEntry("learner", 40L).containsEntry("instance-optimal", 40L);
    assertThat(page.texts("cumulative").stream().map(t -> (String) t.get("text")))
        .contains("learner", "instance-optimal").anyMatch(t -> t.contains("vs instance-optimal"));
    // the arms view: the arms the learner pulled, left to right by omega, with the mean cost as a line
    double bottom = page.plotArea("arms").get("y").doubleValue() + page.plotArea("arms").get("height").doubleValue();
    List<Double> drawn = page.texts("arms").stream()
        .filter(t -> ((Number) t.get("y")).doubleValue() > bottom && ((String) t.get("text")).matches("[0-9.]+"))
        .sorted(Comparator.comparingDouble(t -> ((Number) t.get("x")).doubleValue()))
        .map(t -> Double.parseDouble((String) t.get("text"))).toList();
    assertThat(drawn).isNotEmpty().isSorted();
    List<Object> meanCost = (List<Object>) page.js("return window.__sextant.charts.arms.getOption().series"
        + ".find(s => s.name === 'mean cost').data");
    assertThat(meanCost).hasSize(served.get("arms").size())
        .anyMatch(v -> v instanceof Number n && n.doubleValue() > 0);
    assertThat(page.texts("arms").stream().map(t -> (String) t.get("text"))).contains("pulls", "mean cost");
    page.shot("sor-arms-instance-optimal");
    assertThat(page.severeConsoleEntries()).isEmpty();
  }

  @Test
  void theStudiesListShowsAMultiObjectiveStudysFrontSizeAndHypervolume() throws Exception {
    long id = frontStudy(2, 10);
    JsonNode pareto = http.get("/api/v1/studies/" + id + "/pareto").json();
    String name = http.get("/api/v1/studies/" + id).json().get("name").asString();
    page.open("#/");
    WebElement search = page.waitUp(20).until(ExpectedConditions.presenceOfElementLocated(By.id("study-search")));
    search.sendKeys(name);
    page.waitUp(20).until(d -> d.findElements(By.cssSelector("a.study-link")).size() == 1
        && d.findElement(By.cssSelector("td.best")).getText().startsWith("front "));
    String best = driver.findElement(By.cssSelector("td.best")).getText();
    assertThat(best).startsWith("front " + pareto.get("trials").size() + " · HV ");
    double hv = Double.parseDouble(best.substring(best.indexOf("HV ") + 3));
    assertThat(hv).isCloseTo(pareto.get("hypervolume").asDouble(), org.assertj.core.data.Percentage.withPercentage(0.01));
    assertThat(page.severeConsoleEntries()).isEmpty();
  }

  @Test
  void axisLinesStayAtThePlotsEdgesWhenTheDataStraddleZero() throws Exception {
    long id = create(Map.of("name", unique("straddle"),
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", -5, "high", 10),
            Map.of("name", "y", "type", "float", "low", -3, "high", 4))),
        "objectives", List.of(Map.of("metric", "loss")),
        "algorithm", Map.of("name", "sobol", "options", Map.of("seed", 3))));
    for (int i = 0; i < 12; i++) {
      JsonNode t = suggest(id, 1, null).get(0);
      double x = t.get("params").get("x").asDouble();
      double y = t.get("params").get("y").asDouble();
      completeTrial(id, t.get("number").asLong(), Map.of("loss", x * y));
    }
    page.openStudy(id);
    assertThat(page.axisLinesInsidePlot("slice")).as("slice plot").isEmpty();
    assertThat(page.axisLinesInsidePlot("history")).as("history").isEmpty();
    page.shot("slice-straddling-zero");
    assertThat(page.severeConsoleEntries()).isEmpty();
  }

  @Test
  void aFailedStudyShowsWhyNextToItsState() throws Exception {
    var body = demoStudy(unique("failed"));
    body.put("limits", Map.of("maxTrials", 1, "maxAttempts", 1));
    long id = create(body);
    long n = suggest(id, 1, null).get(0).get("number").asLong();
    var failed = http.post("/api/v1/studies/" + id + "/trials/" + n + "/fail", Map.of("reason", "CUDA out of memory"));
    assertThat(failed.status()).as(failed.text()).isEqualTo(200);
    String reason = http.get("/api/v1/studies/" + id).json().get("stateReason").asString();
    assertThat(reason).contains("no trial completed");
    page.openStudy(id);
    WebElement shown = page.waitUp(10).until(ExpectedConditions.presenceOfElementLocated(
        By.id("study-state-reason")));
    assertThat(shown.getText()).isEqualTo(reason);
    assertThat(driver.findElement(By.tagName("body")).getText()).contains("FAILED");
    assertThat(page.severeConsoleEntries()).isEmpty();
  }

  @Test
  void theTrialTableOfAProgramSearchShowsProgramsAsCode() throws Exception {
    var created = http.post("/api/v1/studies?paused=true", Map.of("name", unique("program-table"),
        "objectives", List.of(Map.of("metric", "fitness")),
        "algorithm", Map.of("name", "program-evolution", "options", Map.of("population", 4, "tournament", 2)),
        "limits", Map.of("maxTrials", 4)));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    long id = created.json().get("id").asLong();
    var enqueued = http.post("/api/v1/studies/" + id + "/trials", Map.of("params", Map.of("program", Map.of(
        "body", List.of(Map.of("fn", "mul", "args", List.of("g", 0.01), "target", "update")),
        "returns", List.of("update", "m", "v")))));
    assertThat(enqueued.status()).as(enqueued.text()).isEqualTo(201);
    assertThat(http.post("/api/v1/studies/" + id + "/resume", "").status()).isEqualTo(200);
    for (int i = 0; i < 4; i++) {
      JsonNode t = suggest(id, 1, null).get(0);
      completeTrial(id, t.get("number").asLong(), Map.of("fitness", 1.0 + i));
    }
    page.openStudy(id);
    page.waitUp(10).until(d -> d.findElements(By.cssSelector("td.program pre")).size() == 4
        && d.findElements(By.cssSelector("td.program pre")).stream().allMatch(e -> !e.getText().equals("…")));
    for (WebElement code : driver.findElements(By.cssSelector("td.program pre"))) {
      assertThat(code.getText()).startsWith("def train(w, g, m, v, lr):").contains("return ");
    }
    assertThat(driver.findElement(By.cssSelector("table[aria-label=Trials] thead")).getText()).contains("Program");
    // the detail of the hand-written trial: its program as the same code
    driver.findElement(By.cssSelector("a.trial-link[href$='/trials/1']")).click();
    page.awaitReady();
    // the detail panel may be rendered again while the trial loads: look it up afresh on every poll
    page.waitUp(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("trial-detail"), "Trial 1"));
    String code = page.waitUp(10)
        .until(d -> d.findElement(By.cssSelector("#trial-detail pre.code")).getText());
    assertThat(code).startsWith("def train(w, g, m, v, lr):").contains("update = g * 0.01");
    page.shot("program-table");
    assertThat(page.severeConsoleEntries()).isEmpty();
  }
}
