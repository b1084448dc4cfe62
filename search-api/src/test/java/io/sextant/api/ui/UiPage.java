package io.sextant.api.ui;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import javax.imageio.ImageIO;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the browser tests do on the web UI and read back from it: open a view, hover a chart's points the way a user
 * does (a real mouse move to the pixel ECharts drew the point at), and read what a chart drew (its zrender display
 * list, or the pixels of a screenshot where WebGL draws).
 */
final class UiPage {
  final ChromeDriver driver;
  final int port;

  UiPage(ChromeDriver driver, int port) {
    this.driver = driver;
    this.port = port;
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + "/" + path;
  }

  void open(String path) {
    driver.get(url(path));
  }

  WebDriverWait waitUp(int seconds) {
    // views re-render as data arrives: an element found on one poll may be stale on the next, so retry the poll
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(seconds));
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Opens a study page and waits until every chart and the table are drawn. */
  void openStudy(long id) {
    open("#/studies/" + id);
    awaitReady();
  }

  void awaitReady() {
    waitUp(30).until(d -> Boolean.TRUE.equals(js("return !!(window.__sextant && window.__sextant.ready)")));
  }

  /** Empties the browser's console log, so that the next read sees only what came after. */
  void clearConsole() {
    driver.manage().logs().get(LogType.BROWSER);
  }

  List<String> severeConsoleEntries() {
    List<String> out = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        out.add(e.getMessage());
      }
    }
    return out;
  }

  void shot(String name) throws java.io.IOException {
    Files.createDirectories(WebUiBrowserTest.SHOTS);
    Files.write(WebUiBrowserTest.SHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
  }

  /** The chart keys of the open study page. */
  @SuppressWarnings("unchecked")
  List<String> charts() {
    return (List<String>) js("return Object.keys(window.__sextant.charts)");
  }

  /**
   * Where (pixels from the chart's top left) the chart drew a data point of its first series that has one: the point
   * nearest the middle of the chart (one at the plot's edge is half clipped); null when it has none (or its coordinate
   * system has no 2-D pixels, as the 3-D view).
   */
  @SuppressWarnings("unchecked")
  List<Number> firstPoint(String chart) {
    return (List<Number>) js("""
        const c = window.__sextant.charts[arguments[0]];
        const o = c.getOption();
        const catY = o.yAxis && o.yAxis[0] && o.yAxis[0].type === 'category';
        const mx = c.getWidth() / 2, my = c.getHeight() / 2;
        for (let s = 0; s < (o.series || []).length; s++) {
          const data = o.series[s].data || [];
          let best = null;
          for (let i = 0; i < data.length; i++) {
            const d = data[i];
            const v = Array.isArray(d) ? [d[0], d[1]] : typeof d === 'number' ? (catY ? [d / 2, i] : [i, d / 2]) : null;
            if (!v) continue;
            let px = null;
            try { px = c.convertToPixel({seriesIndex: s}, v); } catch (e) { px = null; }
            if (!px || !isFinite(px[0]) || !isFinite(px[1])) continue;
            const dist = Math.hypot(px[0] - mx, px[1] - my);
            if (!best || dist < best[2]) best = [px[0], px[1], dist];
          }
          if (best) return [best[0], best[1]];
        }
        return null;""", chart);
  }

  /**
   * Moves the mouse to (x, y) of the chart's element and waits for the chart's tooltip (the element ECharts adds
   * after its canvas); its text.
   */
  String hover(String chart, double x, double y) {
    String tooltip = """
        const kids = document.getElementById('chart-' + arguments[0]).children;
        const t = kids.length > 1 ? kids[kids.length - 1] : null;
        """;
    WebElement el = driver.findElement(By.id("chart-" + chart));
    js(tooltip + "if (t) t.textContent = '';", chart);
    // off the chart first, so that the move to the point is a fresh hover
    new Actions(driver).moveToElement(driver.findElement(By.tagName("h1"))).perform();
    js("arguments[0].scrollIntoView({block: 'center'})", el);
    int w = el.getSize().getWidth();
    int h = el.getSize().getHeight();
    new Actions(driver).moveToElement(el, (int) Math.round(x - w / 2.0), (int) Math.round(y - h / 2.0)).perform();
    waitUp(10).withMessage("a tooltip of chart " + chart + " at " + x + ", " + y).until(d -> Boolean.TRUE.equals(
        js(tooltip + "return !!(t && t.textContent)", chart)));
    return (String) js(tooltip + "return t.textContent", chart);
  }

  /** Hovers the chart's first data point; the tooltip's text, or null when the chart has no point to hover. */
  String hoverFirstPoint(String chart) {
    List<Number> p = firstPoint(chart);
    return p == null ? null : hover(chart, p.get(0).doubleValue(), p.get(1).doubleValue());
  }

  /** The texts the chart drew (axis names and labels, legend, titles: zrender text spans) with their boxes in chart pixels. */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> texts(String chart) {
    return (List<Map<String, Object>>) js("""
        const c = window.__sextant.charts[arguments[0]];
        const out = [];
        c.getZr().storage.getDisplayList(true).forEach(el => {
          if ((el.type !== 'text' && el.type !== 'tspan') || el.invisible || !el.style || el.style.text == null || el.style.text === '') return;
          const r = el.getBoundingRect().clone();
          if (el.transform) r.applyTransform(el.transform);
          out.push({text: String(el.style.text), x: r.x, y: r.y, width: r.width, height: r.height});
        });
        return out;""", chart);
  }

  /** The chart's plot area (its grid) in chart pixels: x, y, width, height. */
  @SuppressWarnings("unchecked")
  Map<String, Number> plotArea(String chart) {
    return (Map<String, Number>) js("""
        const r = window.__sextant.charts[arguments[0]].getModel().getComponent('grid').coordinateSystem.getRect();
        return {x: r.x, y: r.y, width: r.width, height: r.height};""", chart);
  }

  /** The size of the chart's canvas in CSS pixels: width, height. */
  List<Number> chartSize(String chart) {
    @SuppressWarnings("unchecked")
    List<Number> s = (List<Number>) js(
        "const c = window.__sextant.charts[arguments[0]]; return [c.getWidth(), c.getHeight()]", chart);
    return s;
  }

  /**
   * The axis lines and ticks (ECharts' default axis colour #6E7079; split lines are lighter) whose midpoint lies
   * inside the plot area, more than a pixel from its edges: where an axis drawn through the other axis's zero ends up.
   */
  @SuppressWarnings("unchecked")
  List<String> axisLinesInsidePlot(String chart) {
    return (List<String>) js("""
        const c = window.__sextant.charts[arguments[0]];
        const grid = c.getModel().getComponent('grid');
        if (!grid) return [];
        const r = grid.coordinateSystem.getRect();
        const out = [];
        c.getZr().storage.getDisplayList(true).forEach(el => {
          if (!el.shape || !('x1' in el.shape) || !el.style || String(el.style.stroke).toUpperCase() !== '#6E7079') return;
          const s = el.shape;
          const mx = (s.x1 + s.x2) / 2, my = (s.y1 + s.y2) / 2;
          if (mx > r.x + 1 && mx < r.x + r.width - 1 && my > r.y + 1 && my < r.y + r.height - 1) {
            out.push(JSON.stringify(s));
          }
        });
        return out;""", chart);
  }

  /**
   * Turns on the 3-D Pareto view and waits until WebGL drew the front's points (#d1495b) on the screen; the pixel (in
   * the chart) at the middle of the most complete one.
   */
  int[] show3dFront() {
    driver.findElement(By.id("pareto-3d")).click();
    WebElement chart = driver.findElement(By.id("chart-pareto"));
    // the 3-D chart replaced the 2-D one (whose legend has a point of the same colour)
    waitUp(20).until(d -> Boolean.TRUE.equals(js("""
        const o = window.__sextant.charts.pareto.getOption();
        return !!o.grid3D && o.series.length > 0 && o.series[0].type === 'scatter3D'""")));
    int front = 0xd1495b;
    return waitUp(20).withMessage("the 3-D view draws the front's points").until(d -> {
      try {
        BufferedImage img = screenshot(chart);
        return count(img, front, 40) > 20 ? densest(img, front, 40) : null;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /** The element's pixels as the screen shows them (WebGL included). */
  BufferedImage screenshot(WebElement el) throws java.io.IOException {
    return ImageIO.read(new ByteArrayInputStream(el.getScreenshotAs(OutputType.BYTES)));
  }

  /** How many pixels are close to the colour (each channel within tol). */
  static int count(BufferedImage img, int rgb, int tol) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if (close(img.getRGB(x, y), rgb, tol)) {
          n++;
        }
      }
    }
    return n;
  }

  /** The pixel close to the colour with the most such neighbours (the middle of a drawn point); null if none. */
  static int[] densest(BufferedImage img, int rgb, int tol) {
    int[] best = null;
    int most = 0;
    for (int y = 2; y < img.getHeight() - 2; y++) {
      for (int x = 2; x < img.getWidth() - 2; x++) {
        if (!close(img.getRGB(x, y), rgb, tol)) {
          continue;
        }
        int n = 0;
        for (int dy = -2; dy <= 2; dy++) {
          for (int dx = -2; dx <= 2; dx++) {
            n += close(img.getRGB(x + dx, y + dy), rgb, tol) ? 1 : 0;
          }
        }
        if (n > most) {
          most = n;
          best = new int[] {x, y};
        }
      }
    }
    return best;
  }

  private static boolean close(int argb, int rgb, int tol) {
    return Math.abs(((argb >> 16) & 255) - ((rgb >> 16) & 255)) <= tol
        && Math.abs(((argb >> 8) & 255) - ((rgb >> 8) & 255)) <= tol
        && Math.abs((argb & 255) - (rgb & 255)) <= tol;
  }
}
